"""``bench.search.figures``: search, type-ahead, "did you mean" and compound figures on a small
synthetic index built into a temporary cache."""

from __future__ import annotations

from pathlib import Path

from bench.did_you_mean import MISSPELLINGS
from bench.search import QUERIES, WORDS, figures

ITEMS = 30


def test_figures_measure_every_query_against_fts5(tmp_path: Path) -> None:
    measured = {f.name: f for f in figures(ITEMS, quick=True, cache=tmp_path)}
    queries = sum(len(q) for q in QUERIES.values())

    every = measured["Search latency p95, all queries"]
    assert every.runs == 2 * queries  # quick: two measured rounds
    assert every.baseline is not None and every.ratio is not None
    assert every.spread["median"] <= every.spread["p95"] <= every.spread["p99"]
    for kind, found in QUERIES.items():
        assert measured[f"Search latency p95, {kind}"].runs == 2 * len(found)
    assert measured["Search latency p95, first search after a commit"].runs == queries
    assert measured["Type-ahead latency p95"].runs == 2 * len(WORDS)

    warm = measured["Did you mean latency p95"]
    first = measured["Did you mean latency p95, first after a commit"]
    assert (warm.runs, first.runs) == (2 * len(MISSPELLINGS), len(MISSPELLINGS))
    corrected = int(warm.notes.split(" corrected")[0].rsplit(" ", 1)[1])
    assert 0 < corrected <= len(MISSPELLINGS)
    assert measured["Compound recall: items holding a word part, found by the part"].value > 0

    built = list(tmp_path.glob(f"synthetic-{ITEMS}-*/build.json"))
    assert len(built) == 1  # the index is built once into the cache, then reused
