"""Search-result snippets: the best passage of a text, HTML-escaped, with the hits marked."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import lru_cache
from html import escape

from indexer.analysis import fold, split_compound, stems

SNIPPET_CHARS = 240
SNIPPET_SCAN_CHARS = 100_000
_SPACE = re.compile(r"\s+")
_WORD_END = re.compile(r"\w*")
# Letters that only their own case forms match when case is ignored, as str.lower() gives them,
# except in text holding one of _CASE_FOLDS (İ lowers to two characters; ı and ſ match i and s).
_PLAIN_LETTERS = frozenset(string.ascii_lowercase + string.digits + "æøåäöß")
_CASE_FOLDS = re.compile("[\u0130\u0131\u017f]")


@lru_cache(maxsize=200_000)
def token_terms(word: str) -> frozenset[str]:
    """Every index term a surface word stands for: its stems and its compound parts' stems."""
    terms = set(stems(word))
    for part in split_compound(fold(word)):
        terms.update(stems(part))
    return frozenset(terms)


_SPELLINGS = {"ae": "(?:ae|æ|ä)", "oe": "(?:oe|ø|ö)", "aa": "(?:aa|å)", "ss": "(?:ss|ß)"}


def _unfolded(head: str) -> str:
    """A regex matching ``head`` (folded) as written with or without æ, ø and å."""
    parts, index = [], 0
    while index < len(head):
        pair = head[index:index + 2]
        if pair in _SPELLINGS:
            parts.append(_SPELLINGS[pair])
            index += 2
        else:
            parts.append(re.escape(head[index]))
            index += 1
    return "".join(parts)


def _head(term: str) -> str:
    """The first letters of a term, never cutting a folded "ae", "oe" or "aa" in two."""
    cut = max(3, len(term) - 2)
    return term[:cut - 1] if term[cut - 1:cut + 1] in _SPELLINGS else term[:cut]


@lru_cache(maxsize=256)
def _candidates(terms: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """Words that may hold a term: those containing its first letters (stems and parts are
    mostly prefixes and substrings of the written word), found by one C-speed scan.

    Two patterns: one ignoring case, and (when the heads hold only ``_PLAIN_LETTERS``) the
    same pattern for lowercased text, which the regex engine scans much faster.
    """
    heads = {_head(term) for term in terms}
    alternatives = "|".join(_unfolded(h) for h in sorted(heads, key=len, reverse=True))
    lowercase = re.compile(alternatives) if set("".join(heads)) <= _PLAIN_LETTERS else None
    return re.compile(alternatives, re.IGNORECASE), lowercase


def candidate_matches(text: str, terms: frozenset[str]) -> Iterator[re.Match[str]]:
    """The candidate matches in the first ``SNIPPET_SCAN_CHARS`` of ``text``, as the pattern
    ignoring case finds them (from the lowercased text where that gives the same matches)."""
    any_case, lowercase = _candidates(terms)
    scanned = text[:SNIPPET_SCAN_CHARS]
    if lowercase is not None and not _CASE_FOLDS.search(scanned):
        lowered = scanned.lower()
        if len(lowered) == len(scanned):
            return lowercase.finditer(lowered)
    return any_case.finditer(text, 0, SNIPPET_SCAN_CHARS)


def _spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """The (start, end) of each word in ``text`` that stands for one of ``terms``."""
    spans: list[tuple[int, int]] = []
    for match in candidate_matches(text, frozenset(terms)):
        start = match.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        if spans and start < spans[-1][1]:
            continue  # another hit inside a word already seen
        end = _WORD_END.match(text, match.end()).end()
        if not terms.isdisjoint(token_terms(text[start:end].lower())):
            spans.append((start, end))
    return spans


def snippet_html(text: str, terms: set[str], size: int = SNIPPET_CHARS) -> str:
    """The passage of ``text`` with the most query terms, HTML-escaped, hits in <mark>."""
    spans = _spans(text, terms) if terms else []
    if not spans:
        if len(text) <= size:
            return _plain(text)
        return _plain(text[:max(text.rfind(" ", 0, size), size // 2)]) + " …"
    best, best_count, last = 0, 0, 0
    for first, (start, _) in enumerate(spans):
        while last < len(spans) and spans[last][1] <= start + size:
            last += 1
        if last - first > best_count:
            best, best_count = first, last - first
    start = spans[best][0] - size // 5
    start = 0 if start <= 0 else text.rfind(" ", 0, start) + 1
    end = min(len(text), start + size)
    end = len(text) if end >= len(text) else max(text.rfind(" ", start, end), spans[best][1])
    parts = ["… "] if start else []
    position = start
    for span_start, span_end in spans:
        if span_start >= position and span_end <= end:
            parts += [_plain(text[position:span_start]), "<mark>",
                      escape(text[span_start:span_end]), "</mark>"]
            position = span_end
    parts.append(_plain(text[position:end]))
    if end < len(text):
        parts.append(" …")
    return "".join(parts)


def _plain(text: str) -> str:
    return escape(_SPACE.sub(" ", text))
