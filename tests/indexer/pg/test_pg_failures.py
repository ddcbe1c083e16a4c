"""PostgreSQL going away: the portal answers with its "unavailable" page and recovers when the
database returns; a connection dropped in the middle of a query is an outage, not a crash."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from emulator.postgres import PostgresServer
from emulator.sample import people as p
from emulator.server import Emulator
from indexer.backend import open_index, open_reader
from indexer.document import Document
from indexer.index import IndexUnavailable
from indexer.pg.reader import PgReader
from indexer.pg.store import PgIndex
from portal import create_app
from tests.portal.portal_support import SignIn, build_documents, portal_config

STAFF = frozenset({"everyone"})
MakeDoc = Callable[..., Document]


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    """A PostgreSQL of this test's own, which it may stop."""
    server = PostgresServer()
    yield server
    server.remove()


@pytest.fixture
def filled(own_server: PostgresServer, emulator: Emulator, tmp_path: Path) -> str:
    """The URL of a database holding the portal tests' documents."""
    url = own_server.empty_database()
    index = open_index(url, tmp_path / "index", create=True)
    with index.batch() as batch:
        for doc in build_documents(emulator.sharepoint_url):
            batch.upsert(doc)
    index.close()
    # The test server commits asynchronously (synchronous_commit=off) and its stop is a crash
    # (-m immediate): a commit whose WAL the WAL writer has not yet written (it lags under
    # load) would be lost, and the database would come back empty. Make the documents durable.
    with psycopg.connect(own_server.url("postgres"), autocommit=True) as admin:
        admin.execute("CHECKPOINT")
    return url


def test_the_portal_shows_unavailable_while_postgres_is_stopped_and_recovers(
        own_server: PostgresServer, filled: str, emulator: Emulator, tmp_path: Path) -> None:
    app = create_app(portal_config(emulator, tmp_path, INDEX_URL=filled))
    client = app.test_client()
    SignIn(client, emulator)(p.TEACHER)
    try:
        assert "Personalehåndbog 2026" in client.get("/search?q=personalehåndbog").text
        own_server.stop()
        down = client.get("/search?q=personalehåndbog")
        assert down.status_code == 503
        assert down.headers["Retry-After"]
        assert "<title>" in down.text and "Personaleh" not in down.text.split("<main", 1)[-1]
        assert client.get("/readyz").status_code == 503
        own_server.start()
        again = client.get("/search?q=personalehåndbog")
        assert again.status_code == 200 and "Personalehåndbog 2026" in again.text
    finally:
        app.extensions["portal.content"].close()


@pytest.fixture
def shared(postgres: PostgresServer, make_doc: MakeDoc, tmp_path: Path) -> Iterator[PgIndex]:
    """The session's database with one document, and the index on it."""
    index = PgIndex.open_or_create(postgres.empty_database(), tmp_path / "index")
    with index.batch() as batch:
        batch.upsert(make_doc(1, "Personalehåndbog 2026"))
    yield index
    index.close()


def _terminate_when_sleeping(admin_url: str, pid: int) -> None:
    """Wait until backend ``pid`` runs pg_sleep, then kill it (as a network cut would)."""
    with psycopg.connect(admin_url, autocommit=True) as admin:
        while not admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE pid = %s AND state = 'active' AND query LIKE %s",
                                (pid, "%pg_sleep%")).fetchone():
            time.sleep(0.01)


def test_a_connection_dropped_mid_query_is_unavailable_then_recovers(
        postgres: PostgresServer, shared: PgIndex) -> None:
    reader = open_reader(shared)
    assert reader.search("personalehåndbog", STAFF).total == 1
    with pytest.raises(IndexUnavailable), shared.connection() as conn:
        killer = threading.Thread(target=_terminate_when_sleeping,
                                  args=(postgres.url("postgres"), conn.info.backend_pid))
        killer.start()
        try:
            conn.execute("SELECT pg_sleep(30)")
        finally:
            killer.join()
    assert reader.search("personalehåndbog", STAFF).total == 1  # the pool replaced it


def test_a_read_over_the_statement_timeout_is_unavailable(shared: PgIndex) -> None:
    reader = PgReader(shared, statement_timeout_ms=50)
    with pytest.raises(IndexUnavailable), reader._read() as conn:
        conn.execute("SELECT pg_sleep(30)")
    assert reader.search("personalehåndbog", STAFF).total == 1
