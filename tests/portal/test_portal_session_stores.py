"""Both session stores, the SQLite file and PostgreSQL, keep the same records by the same rules."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import psycopg
import pytest

from portal.identity import Identity
from portal.session_store_pg import SCHEMA_VERSION, PgSessionStore, migrate
from portal.sessions import TOUCH_EVERY, SessionStore
from portal.settings import load_config

TEACHER = Identity("oid-teacher", "Mette Holm", "mette@sundby.dk",
                   frozenset({"everyone", "user:oid-teacher", "group:g-teachers"}))
NOW = 1_800_000_000.0


class Clock:
    """A clock a test moves by hand."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def session_db(postgres) -> str:
    """A PostgreSQL database of this module's own."""
    return postgres.new_database("portal_session_stores")


@pytest.fixture(params=["sqlite", "postgresql"])
def kind(request) -> str:
    """Which store a test runs against."""
    return request.param


@pytest.fixture
def open_store(kind, request, tmp_path) -> Iterator[Callable[[Clock], object]]:
    """``open_store(clock)``: one more store over the same sessions (another process or node)."""
    opened = []
    url = request.getfixturevalue("session_db") if kind == "postgresql" else ""
    if url:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS portal_sessions, portal_schema_version")

    def make(clock: Clock) -> object:
        if kind == "sqlite":
            return SessionStore(tmp_path / "sessions.sqlite3", clock=clock)
        store = PgSessionStore(url, clock=clock)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def stored_rows(store) -> list[tuple]:
    """Every stored row, as the database holds it."""
    if isinstance(store, SessionStore):
        with closing(sqlite3.connect(store.path)) as db:
            return db.execute("SELECT * FROM sessions").fetchall()
    with psycopg.connect(store.url) as conn:
        return conn.execute("SELECT * FROM portal_sessions").fetchall()


def test_a_session_is_kept_under_a_hash_of_its_id_only(open_store):
    store = open_store(Clock())
    session_id = store.create(TEACHER, kiosk=True, oldest_allowed=3600)
    record = open_store(Clock()).get(session_id)  # another process or node reads it
    assert record.identity == TEACHER and record.kiosk
    assert record.created == record.last_seen == NOW
    (row,) = stored_rows(store)
    assert session_id not in repr(row) and row[0] != session_id
    assert store.get(session_id + "x") is None and store.get(row[0]) is None


def test_many_groups_come_back_whole(open_store):
    store = open_store(Clock())
    principals = frozenset({"everyone"} | {f"group:g{n:04d}" for n in range(600)})
    user = Identity("oid-many", "Mange Grupper", "mange@sundby.dk", principals)
    assert store.get(store.create(user, kiosk=False, oldest_allowed=3600)).identity == user


def test_touch_writes_at_most_every_few_seconds(open_store):
    clock = Clock()
    store, other = open_store(clock), open_store(clock)
    session_id = store.create(TEACHER, kiosk=False, oldest_allowed=3600)
    record = store.get(session_id)
    clock.now = NOW + TOUCH_EVERY - 1
    assert store.touch(session_id, record) is record
    assert other.get(session_id).last_seen == NOW
    clock.now = NOW + TOUCH_EVERY + 1
    touched = store.touch(session_id, record)
    assert touched.last_seen == NOW + TOUCH_EVERY + 1 and touched.created == NOW
    assert other.get(session_id) == touched


def test_sign_out_deletes_the_session_everywhere(open_store):
    store, other = open_store(Clock()), open_store(Clock())
    session_id = store.create(TEACHER, kiosk=False, oldest_allowed=3600)
    kept = store.create(TEACHER, kiosk=False, oldest_allowed=3600)
    other.delete(session_id)
    assert store.get(session_id) is None
    assert store.get(kept) is not None


def test_a_new_session_sweeps_the_long_idle_ones(open_store):
    clock = Clock()
    store = open_store(clock)
    old = store.create(TEACHER, kiosk=False, oldest_allowed=3600)
    clock.now = NOW + 1800
    recent = store.create(TEACHER, kiosk=True, oldest_allowed=3600)
    clock.now = NOW + 3601
    newest = store.create(TEACHER, kiosk=False, oldest_allowed=3600)
    assert store.get(old) is None
    assert store.get(recent) is not None and store.get(newest) is not None
    assert len(stored_rows(store)) == 2


def test_the_session_tables_are_migrated_once_and_versioned(session_db):
    with psycopg.connect(session_db, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS portal_sessions, portal_schema_version")
        assert migrate(conn) == 0
        assert migrate(conn) == SCHEMA_VERSION
        assert conn.execute("SELECT version FROM portal_schema_version").fetchall() == [
            (SCHEMA_VERSION,)]
        conn.execute("UPDATE portal_schema_version SET version = %s", (SCHEMA_VERSION + 1,))
        with pytest.raises(RuntimeError, match="newer than this code"):
            migrate(conn)
        conn.execute("DROP TABLE portal_sessions, portal_schema_version")



@pytest.mark.parametrize(("raw", "expected"), [
    ("var/portal/sessions.sqlite3", Path("var/portal/sessions.sqlite3")),
    ("postgresql://portal@db.example:5432/intranet", "postgresql://portal@db.example:5432/intranet"),
    (" postgres://db/intranet ", "postgres://db/intranet"),
])
def test_session_db_is_a_file_or_a_postgresql_url(raw, expected):
    assert load_config({"TESTING": True, "SESSION_DB": raw})["SESSION_DB"] == expected
