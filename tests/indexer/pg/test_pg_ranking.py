"""PostgreSQL ranking at scale: matching through the GIN index alone, and the two-step ranking
that reads the full vectors of a window of matches only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from emulator.postgres import PostgresServer
from indexer.document import Document
from indexer.pg import ranking
from indexer.pg.reader import PgReader
from indexer.pg.sqlquery import condition
from indexer.pg.store import PgIndex
from indexer.query import parse

MakeDoc = Callable[..., Document]
EVERYONE = ["everyone"]


class _NoPrefixes:
    def expand_prefix(self, fieldname: str, prefix: str) -> Iterator[bytes]:
        return iter(())


@pytest.fixture
def index(postgres: PostgresServer, tmp_path: Path, make_doc: MakeDoc) -> Iterator[PgIndex]:
    """Budget in a title (the oldest item), in bodies (newer), once in a body of repeats."""
    index = PgIndex.open_or_create(postgres.empty_database(), tmp_path)
    with index.batch() as batch:
        batch.upsert(make_doc(9, "Budget 2027", "Tal for året."))
        for number in range(1, 6):
            batch.upsert(make_doc(number, f"Referat {number}", "Mødet drøftede budget."))
        batch.upsert(make_doc(7, "Referat 7", "Budget, budget og budget igen."))
        batch.upsert(make_doc(8, "Ferie", "Regler for ferie."))
    yield index
    index.close()


def test_a_word_in_every_field_is_matched_without_weights_and_a_part_keeps_its_weight():
    budget = condition(parse("budget", _NoPrefixes()).query).params[0]
    assert budget == "(('budg' | 'budget'))"  # the GIN index answers it without a recheck
    compound = condition(parse("sygefravær", _NoPrefixes()).query).params[0]
    assert "'sygefrava' |" in compound and "('syg':D & 'frava':D)" in compound


def test_the_page_is_exact_while_the_window_holds_every_match_that_could_beat_it(
        index: PgIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    with PgReader(index) as reader:
        exact = [h.doc.id for h in reader.search("budget", EVERYONE, page_size=10).hits]
        monkeypatch.setattr(ranking, "RANK_WINDOW", 1)
        first = reader.search("budget", EVERYONE, page_size=1)
        second = reader.search("budget", EVERYONE, page=2, page_size=1)
    assert exact[:2] == ["hr:docs:9", "hr:docs:7"]  # the title, then the most repeats
    assert first.total == second.total == 7
    # the title match is found first by its bound alone, although it is the oldest match
    assert [h.doc.id for h in first.hits] == ["hr:docs:9"]
    # a window of two (the page's end) holds the title match and the newest body match: the
    # body match with more repeats is passed over, as documented
    assert [h.doc.id for h in second.hits] == ["hr:docs:1"]
