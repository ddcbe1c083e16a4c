"""The judged-query and two-portal benchmarks' own logic: when a judgement holds, how a failed
one is reported, and that PostgreSQL gets exactly the records of the Whoosh benchmark index."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import build_index
from bench.judged import judged_figure
from bench.pg_search import fill
from emulator.postgres import PostgresServer
from emulator.sample.judgements import JUDGEMENTS, Judgement
from indexer.index import SearchIndex
from indexer.pg.store import PgIndex

ITEMS = 30


def test_a_judgement_holds_only_with_its_titles_first_and_nothing_absent() -> None:
    judgement = Judgement("q", ("a", "b"), within=3, absent=("x",))
    assert judgement.holds(["b", "c", "a", "d"])
    assert not judgement.holds(["b", "c", "d", "a"])  # "a" below the first three
    assert not judgement.holds(["a", "b", "c", "x"])  # an absent title anywhere


def test_a_failed_judgement_is_named_and_the_figure_is_not_met() -> None:
    failed = judged_figure("PostgreSQL", [JUDGEMENTS[0].query])
    assert (failed.value, failed.runs, failed.met) == (len(JUDGEMENTS) - 1, len(JUDGEMENTS),
                                                       False)
    assert f"failed: `{JUDGEMENTS[0].query}`" in failed.notes
    passed = judged_figure("Whoosh", [])
    assert (passed.value, passed.met) == (len(JUDGEMENTS), True)
    assert passed.notes.endswith("failed: none")


def test_postgres_gets_the_records_of_the_whoosh_index(tmp_path: Path,
                                                       postgres: PostgresServer) -> None:
    index_dir = build_index(ITEMS, tmp_path / "cache")
    url = postgres.empty_database()
    whoosh, copy = SearchIndex.open(index_dir), PgIndex.open(url, tmp_path / "status")
    try:
        count, _ = fill(copy, index_dir)
        assert count > ITEMS
        assert list(copy.all_documents()) == list(whoosh.all_documents())
    finally:
        copy.close()
        whoosh.ix.close()
