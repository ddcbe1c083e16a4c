"""The index: opening and corruption, atomic batches with checkpoints, the write lock."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from whoosh.index import open_dir
from whoosh.searching import Searcher

from indexer import index_repair
from indexer.document import Document, make_id, principals_for
from indexer.index import IndexLocked, IndexUnavailable, SearchIndex

ROOT = Path(__file__).resolve().parents[2]
MakeDoc = Callable[..., Document]


def test_a_document_round_trips(search_index: SearchIndex, make_doc: MakeDoc,
                                now: datetime) -> None:
    doc = make_doc(1, "Ferieregler 2025", "Alle medarbejdere skal holde tre ugers ferie.",
                   description="Regler for ferie", html="<p>Alle medarbejdere</p>", size=2048,
                   published=None, banner="https://x/b.png", banner_alt="Strand",
                   version="3.0", acl=["group:ABC", "everyone"], audiences=["G1"],
                   extract_error=None, created=now, library="Dokumenter",
                   path="/sites/hr/Dokumenter/ferie.docx", site_url="https://x/sites/hr")
    with search_index.batch() as batch:
        batch.upsert(doc)
    stored = search_index.get(doc.id)
    assert stored is not None
    assert stored.language == "da"  # detected, as the record had none
    doc.language = "da"
    assert stored == doc
    assert stored.acl == ["everyone", "group:abc"]
    assert stored.modified.tzinfo is not None


def test_the_document_record_normalises_its_fields(make_doc: MakeDoc) -> None:
    assert make_id("{AB-1}", "LIST", "Item") == "ab-1:list:item"
    assert principals_for("OID", ["G1"]) == {"everyone", "user:oid", "group:g1"}
    doc = make_doc(1, "Nyhed", "ord " * 200, kind="news", acl=["Group:X", "everyone"],
                   modified=datetime(2026, 1, 1))
    assert (doc.file_type, doc.acl, doc.modified.utcoffset()) == (
        "news", ["everyone", "group:x"], timedelta(0))
    assert doc.preview.endswith(" …") and len(doc.preview) <= 302
    assert Document.from_dict(doc.to_dict()) == doc
    for bad in ({"kind": "folder"}, {"acl": ["admins"]}, {"language": "de"}):
        with pytest.raises(ValueError):
            make_doc(2, "Forkert", **bad)


def test_missing_or_empty_directory_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable, match="no search index"):
        SearchIndex.open(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(IndexUnavailable):
        SearchIndex.open(tmp_path / "empty")


def test_open_or_create_creates_once(tmp_path: Path, make_doc: MakeDoc) -> None:
    created = SearchIndex.open_or_create(tmp_path / "ix")
    with created.batch() as batch:
        batch.upsert(make_doc(1, "Budget"))
    assert SearchIndex.open_or_create(tmp_path / "ix").doc_count() == 1


def test_garbage_table_of_contents_is_unavailable(search_index: SearchIndex) -> None:
    toc = next(search_index.path.glob("_MAIN_*.toc"))
    toc.write_bytes(b"\x00garbage" * 10)
    with pytest.raises(IndexUnavailable, match="cannot be read"):
        SearchIndex.open(search_index.path)


def test_missing_segment_file_is_unavailable(search_index: SearchIndex, make_doc: MakeDoc) -> None:
    with search_index.batch() as batch:
        batch.upsert(make_doc(1, "Budget", "Tal"))
    next(search_index.path.glob("*.trm")).unlink()
    with pytest.raises(IndexUnavailable):
        SearchIndex.open(search_index.path)


def test_another_schema_version_is_unavailable(search_index: SearchIndex) -> None:
    writer = open_dir(str(search_index.path)).writer()
    writer.update_document(id="#meta", kind="meta", record={"schema_version": 0})
    writer.commit()
    with pytest.raises(IndexUnavailable, match="sync --full"):
        SearchIndex.open(search_index.path)


def test_batch_commits_documents_and_checkpoint_together(
        search_index: SearchIndex, make_doc: MakeDoc) -> None:
    with search_index.batch() as batch:
        batch.upsert(make_doc(1, "Budget 2025"))
        batch.upsert(make_doc(2, "Ferie"))
        batch.set_checkpoint("hr/docs", {"token": "1;3;abc", "at": "2026-11-20"})
    assert search_index.checkpoints() == {"hr/docs": {"token": "1;3;abc", "at": "2026-11-20"}}
    assert search_index.ids() == {"hr:docs:1", "hr:docs:2"}
    assert search_index.doc_count() == 2

    with search_index.batch() as batch:
        batch.delete("hr:docs:1")
        batch.upsert(make_doc(3, "Ny", list_id="news"))
        batch.set_checkpoint("hr/docs", {"token": "1;3;def"})
    assert search_index.checkpoints()["hr/docs"] == {"token": "1;3;def"}
    assert search_index.ids(list_id="docs") == {"hr:docs:2"}
    assert search_index.ids(list_id="news") == {"hr:news:3"}
    assert search_index.get("hr:docs:1") is None
    assert search_index.get("#checkpoint:hr/docs") is None
    assert [d.id for d in search_index.all_documents()] == ["hr:docs:2", "hr:news:3"]


def test_last_change_to_an_id_in_a_batch_wins(search_index: SearchIndex, make_doc: MakeDoc) -> None:
    with search_index.batch() as batch:
        batch.upsert(make_doc(1, "First"))
        batch.upsert(make_doc(1, "Second"))
        batch.upsert(make_doc(2, "Gone"))
        batch.delete("hr:docs:2")
    assert [d.title for d in search_index.all_documents()] == ["Second"]


def test_a_failing_batch_writes_nothing_and_releases_the_lock(
        search_index: SearchIndex, make_doc: MakeDoc) -> None:
    generation = search_index.generation()
    with pytest.raises(RuntimeError), search_index.batch() as batch:
        batch.upsert(make_doc(1, "Budget"))
        batch.set_checkpoint("hr/docs", {"token": "x"})
        raise RuntimeError("extraction failed")
    assert search_index.generation() == generation
    assert search_index.checkpoints() == {}
    with search_index.batch() as batch:  # the lock is free again
        batch.upsert(make_doc(1, "Budget"))
    assert search_index.doc_count() == 1


def test_an_empty_batch_makes_no_commit(search_index: SearchIndex) -> None:
    generation = search_index.generation()
    with search_index.batch():
        pass
    assert search_index.generation() == generation


def test_second_writer_in_the_same_process_is_refused(search_index: SearchIndex) -> None:
    with search_index.batch():
        started = time.monotonic()
        with pytest.raises(IndexLocked, match="only one may run"):
            with SearchIndex.open(search_index.path).batch(lock_timeout=0.2):
                pass
        assert time.monotonic() - started < 2


def test_second_writer_process_is_refused(search_index: SearchIndex) -> None:
    script = textwrap.dedent(f"""
        import sys, time
        from indexer.index import SearchIndex
        with SearchIndex.open({str(search_index.path)!r}).batch():
            print("locked", flush=True)
            time.sleep(30)
    """)
    with subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                          text=True) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
            with pytest.raises(IndexLocked):
                with search_index.batch(lock_timeout=0.2):
                    pass
        finally:
            holder.kill()
    with search_index.batch(lock_timeout=2):  # a killed writer's lock dies with it
        pass


_CRASHING_WRITER = """
import sys
from datetime import UTC, datetime
from indexer.document import Document, make_id, principals_for
from indexer.index import SearchIndex

index = SearchIndex.open_or_create(sys.argv[1])
start = index.checkpoints().get("seq", {"n": -1})["n"] + 1
body = " ".join(["Medarbejderne i kommunen skriver referater og budgetter."] * 200)
for n in range(start, start + 10_000):
    with index.batch() as batch:
        for j in range(20):
            batch.upsert(Document(id=f"s:l:{n}-{j}", kind="document", title=f"Dok {n} {j}",
                                  url="https://x", site_id="s", list_id="l", body=body,
                                  modified=datetime.now(UTC), acl=["everyone"]))
        batch.set_checkpoint("seq", {"n": n})
    print(n, flush=True)
"""


@pytest.mark.slow
def test_kill_9_at_any_moment_leaves_whole_batches_with_their_checkpoint(
        tmp_path: Path) -> None:
    path = tmp_path / "ix"
    chance = random.Random(7)
    for _ in range(6):
        writer = subprocess.Popen([sys.executable, "-c", _CRASHING_WRITER, str(path)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL)
        time.sleep(chance.uniform(1.0, 2.5))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        survivor = SearchIndex.open(path)
        last = survivor.checkpoints().get("seq", {"n": -1})["n"]
        expected = {f"s:l:{n}-{j}" for n in range(last + 1) for j in range(20)}
        assert survivor.ids() == expected
    assert last >= 0
    with SearchIndex.open(path).batch(lock_timeout=1) as batch:
        batch.set_checkpoint("seq", {"n": last})
    assert not list(path.glob("_MAIN_*.toc.*"))  # a killed commit's leftovers are cleaned


def test_optimize_keeps_every_document(search_index: SearchIndex, make_doc: MakeDoc) -> None:
    for number in range(4):
        with search_index.batch() as batch:
            batch.upsert(make_doc(number, f"Dokument {number}"))
    before = list(search_index.all_documents())
    search_index.optimize()
    assert list(search_index.all_documents()) == before
    assert len(list(search_index.path.glob("*.trm"))) == 1


def test_a_searcher_opened_before_a_merging_commit_still_reads_every_document(
        search_index: SearchIndex, make_doc: MakeDoc) -> None:
    for number in range(3):  # three commits, three segments
        with search_index.batch() as batch:
            batch.upsert(make_doc(number, f"Referat {number}", "Mødet blev holdt."))
    searcher = search_index.searcher()
    try:
        search_index.optimize()  # one merged segment; the three old ones are deleted
        ids = {searcher.stored_fields(docnum)["id"] for docnum in searcher.reader().all_doc_ids()}
        assert {make_doc(number, "", "").id for number in range(3)} <= ids
    finally:
        searcher.close()


@pytest.mark.parametrize("read", [lambda index: list(index.all_documents()),
                                  SearchIndex.site_titles, SearchIndex.checkpoints],
                         ids=["all_documents", "site_titles", "checkpoints"])
def test_a_merging_commit_landing_during_another_process_read_is_read_again(
        search_index: SearchIndex, make_doc: MakeDoc, monkeypatch: pytest.MonkeyPatch,
        read: Callable[[SearchIndex], object]) -> None:
    for number in range(3):  # three commits, three segments
        with search_index.batch() as batch:
            batch.upsert(make_doc(number, f"Referat {number}", "Mødet blev holdt."))
            batch.set_checkpoint(f"hr/docs{number}", {"token": f"1;3;{number}"})
    portal = SearchIndex.open(search_index.path)
    expected = read(portal)
    open_searcher = portal.ix.searcher
    landed = []

    def a_commit_lands_after_the_open() -> Searcher:
        searcher = open_searcher()
        if not landed:  # the indexer merges the segments away before the first read of a file
            landed.append(search_index.optimize())
        return searcher

    monkeypatch.setattr(portal.ix, "searcher", a_commit_lands_after_the_open)
    assert read(portal) == expected
    assert landed


def test_opening_the_index_while_a_merging_commit_lands_is_not_taken_for_damage(
        search_index: SearchIndex, make_doc: MakeDoc, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(3):  # three commits, three segments
        with search_index.batch() as batch:
            batch.upsert(make_doc(number, f"Referat {number}", "Mødet blev holdt."))
    check_segments = index_repair.check_segments
    landed = []

    def a_commit_lands_first(searcher: Searcher) -> None:
        if not landed:  # the indexer merges between the portal's open and its check
            landed.append(search_index.optimize())
        check_segments(searcher)

    monkeypatch.setattr(index_repair, "check_segments", a_commit_lands_first)
    reopened = SearchIndex.open(search_index.path)
    assert landed
    assert reopened.doc_count() == 3
