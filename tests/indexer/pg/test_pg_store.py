"""The PostgreSQL writer: versioned migrations, batches with their checkpoints in one
transaction, one writer at a time, and the records read back as the Whoosh index gives them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from emulator.postgres import PostgresServer
from indexer.backend import open_index
from indexer.document import Document
from indexer.index import IndexLocked, IndexUnavailable, SearchIndex
from indexer.pg.migrations import SCHEMA_VERSION, current_version, migrate
from indexer.pg.store import PgIndex, redact

MakeDoc = Callable[..., Document]


def test_the_schema_is_created_at_start_and_a_portal_refuses_an_unmigrated_one(
        postgres: PostgresServer, tmp_path: Path) -> None:
    url = postgres.url("postgres")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS fresh")
        conn.execute("CREATE DATABASE fresh")
    fresh = postgres.url("fresh")
    with pytest.raises(IndexUnavailable, match="schema version 0"):
        open_index(fresh, tmp_path)
    open_index(fresh, tmp_path, create=True).close()
    with psycopg.connect(fresh) as conn:
        assert current_version(conn) == SCHEMA_VERSION
        assert migrate(conn) == SCHEMA_VERSION  # a second start changes nothing
    open_index(fresh, tmp_path).close()


def test_a_failed_batch_writes_nothing_not_even_its_checkpoint(backend: SearchIndex | PgIndex,
                                                               make_doc: MakeDoc) -> None:
    with backend.batch() as batch:
        batch.upsert(make_doc(1, "Budget"))
        batch.set_checkpoint("hr/docs", {"token": "1"})
    with pytest.raises(RuntimeError), backend.batch() as batch:
        batch.upsert(make_doc(2, "Regnskab"))
        batch.delete("hr:docs:1")
        batch.set_checkpoint("hr/docs", {"token": "2"})
        raise RuntimeError("the sync failed half way")
    assert backend.ids() == {"hr:docs:1"}
    assert backend.checkpoints() == {"hr/docs": {"token": "1"}}


def test_records_read_back_as_written(backend: SearchIndex | PgIndex, make_doc: MakeDoc) -> None:
    docs = [make_doc(2, "Budget", "Tal.", html="<p>Tal.</p>", list_id="other"),
            make_doc(1, "Ferie", "Regler.", language="da", audiences=["hr"])]
    with backend.batch() as batch:
        for doc in docs:
            batch.upsert(doc)
        batch.set_checkpoint("k", {"token": "t"})
    generation = backend.generation()
    with backend.batch() as batch:
        batch.delete_checkpoint("k")
    assert backend.generation() > generation
    assert backend.get("hr:docs:1").audiences == ["hr"]
    assert backend.get("hr:other:2").html == "<p>Tal.</p>"
    assert [d.id for d in backend.all_documents()] == ["hr:docs:1", "hr:other:2"]
    assert backend.list_counts() == {"docs": 1, "other": 1}
    assert (backend.doc_count(), backend.ids("other"), backend.checkpoints()) == (
        2, {"hr:other:2"}, {})
    assert backend.site_titles() == {"hr": "HR og Løn"}


def test_only_one_writer_at_a_time(postgres: PostgresServer, tmp_path: Path,
                                   make_doc: MakeDoc) -> None:
    url = postgres.empty_database()
    first, second = PgIndex.open(url, tmp_path), PgIndex.open(url, tmp_path)
    try:
        with first.connection() as holder, holder.transaction():
            holder.execute("SELECT pg_advisory_xact_lock(%s)", (0x1D3E6,))
            with pytest.raises(IndexLocked), second.batch(lock_timeout=0.1) as batch:
                batch.upsert(make_doc(1, "Budget"))
        assert second.doc_count() == 0
    finally:
        first.close()
        second.close()


def test_a_password_never_reaches_a_message() -> None:
    assert redact("postgresql://search:s3cret@db.example:5432/intranet") == (
        "postgresql://search:…@db.example:5432/intranet")
