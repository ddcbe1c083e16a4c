"""The index's fast segment writer writes exactly what Whoosh's own writer writes."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from whoosh.writing import SegmentWriter

import indexer.index
from indexer.document import Document
from indexer.index import SearchIndex
from indexer.writer import FastWriter

MakeDoc = Callable[..., Document]

WORDS = ("medarbejder medarbejdere ferie ferieregler sygefravær tilfredshedsundersøgelse budget "
         "skole skolen elever lærer borger borgere kommune kommunen referat møde mødet plan "
         "strategi klima energi affald genbrug parkering council staff meeting budget school "
         "holiday policy øresund æblehaven Ålborg").split()


def _build(path: Path, make_doc: MakeDoc, seed: int) -> SearchIndex:
    """Several batches of upserts, updates and deletes (so segments are merged with
    deletions), then an optimize: the same script every time for one seed."""
    pick = random.Random(seed)
    index = SearchIndex.create(path)
    for batch_number in range(12):
        with index.batch() as batch:
            for _ in range(pick.randint(1, 15)):
                number = pick.randrange(60)
                body = " ".join(pick.choices(WORDS, k=pick.randint(0, 400)))
                batch.upsert(make_doc(number, " ".join(pick.sample(WORDS, 3)), body,
                                      acl=[f"group:g{number % 7}"]))
            for _ in range(pick.randint(0, 3)):
                batch.delete(f"hr:docs:{pick.randrange(60)}")
            batch.set_checkpoint("list:docs", {"batch": batch_number})
    index.optimize()
    return index


def _contents(index: SearchIndex) -> dict:
    """Every field's terms with their postings, and every stored document."""
    with index.searcher() as searcher:
        reader = searcher.reader()
        postings = {}
        for fieldname in sorted(reader.indexed_field_names()):
            for term in reader.lexicon(fieldname):
                matcher = reader.postings(fieldname, term)
                found = []
                while matcher.is_active():
                    found.append((matcher.id(), matcher.weight(), matcher.value()))
                    matcher.next()
                postings[fieldname, term] = found
        stored = [reader.stored_fields(n) for n in reader.all_doc_ids()]
        return {"postings": postings, "stored": stored, "count": reader.doc_count()}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_writer_writes_what_whoosh_writes(tmp_path: Path, make_doc: MakeDoc,
                                              monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    fast = _contents(_build(tmp_path / "fast", make_doc, seed))
    monkeypatch.setattr(indexer.index, "FastWriter",
                        lambda ix, **options: SegmentWriter(ix, **options))
    whoosh = _contents(_build(tmp_path / "whoosh", make_doc, seed))
    assert fast["count"] == whoosh["count"] > 0
    assert fast["stored"] == whoosh["stored"]
    assert fast["postings"].keys() == whoosh["postings"].keys()
    assert fast["postings"] == whoosh["postings"]


def test_a_scorable_field_is_refused(tmp_path: Path) -> None:
    """The fast writer writes no field lengths, so it cannot serve a scored field."""
    from whoosh import fields, index

    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT))
    with pytest.raises(ValueError, match="scorable"):
        FastWriter(ix)
