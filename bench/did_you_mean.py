""""Did you mean" latency on the benchmark index: misspellings of words the corpus holds.

The portal asks for a correction only when a search found nothing, in the same reader as that
search. Two figures: warm (the reader has answered searches and corrections before, so term
bitmaps are cached) and first after a commit (the same warm reader right after a commit that
changed one document: only the new segment's vocabulary and postings are read from disk, the
bitmaps of the new generation are built again).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from bench.figures import Figure, summary
from indexer.index import SearchIndex
from indexer.search import Reader

# One edit or two from words of the corpus (Danish and English, æ/ø/å typed as ae/oe/aa too).
MISSPELLINGS = ("medarbejdr", "sikkerhd", "rekrutering", "parkring", "trivsl", "wellbeeing",
                "klimma", "oekonomi", "kantinn", "visitaton", "recycing", "budgett",
                "sygefravr", "ledelssen", "bibliotk", "ældrepleej")
TARGET_MS = 150.0


def measure_did_you_mean(index: SearchIndex, principals: frozenset[str], warm_up: int,
                         measured: int, scratch: SearchIndex,
                         change: Callable[[SearchIndex, int], None]) -> list[Figure]:
    """Warm and first-after-commit latency of ``Reader.did_you_mean`` over ``MISSPELLINGS``;
    the commits (``change`` of one document) go to ``scratch``, a copy of ``index``."""
    with Reader(index) as reader:
        warm = _rounds(reader, principals, warm_up, measured)
        found = sum(reader.did_you_mean(w, principals) is not None for w in MISSPELLINGS)
    first = []
    with Reader(scratch) as reader:
        _rounds(reader, principals, 1, 0)
        for number, word in enumerate(MISSPELLINGS):
            change(scratch, 1000 + number)
            reader.search(word, principals)  # the search that found nothing, as in the portal
            first += _rounds(reader, principals, 0, 1, (word,))
    notes = (f"{len(MISSPELLINGS)} misspellings, {found} corrected for this user; a correction "
             "is drawn only from words of items the user may see")
    return [_figure("Did you mean latency p95", warm,
                    f"{measured} measured rounds after {warm_up} warm-up; {notes}"),
            _figure("Did you mean latency p95, first after a commit", first,
                    "each misspelling once, in a reader that has answered every one before, "
                    f"right after a commit that changed one document and its search; {notes}")]


def _rounds(reader: Reader, principals: frozenset[str], warm_up: int, measured: int,
            words: Iterable[str] = MISSPELLINGS) -> list[float]:
    samples = []
    for round_number in range(warm_up + measured):
        for word in words:
            start = time.perf_counter()
            reader.did_you_mean(word, principals)
            if round_number >= warm_up:
                samples.append((time.perf_counter() - start) * 1000)
    return samples


def _figure(name: str, samples: list[float], notes: str) -> Figure:
    spread = summary(samples)
    return Figure(name=name, unit="ms", runs=len(samples), value=spread["p95"], spread=spread,
                  target=f"p95 <= {TARGET_MS:g} ms", met=spread["p95"] <= TARGET_MS,
                  notes=notes)
