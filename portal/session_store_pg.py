"""Signed-in sessions in PostgreSQL (SESSION_DB=postgresql://…), shared by every portal node.

The same records and rules as the SQLite store (:mod:`portal.sessions`): only a hash of the
session id is stored, idle sessions are swept at each sign-in, and sign-out deletes the row, so
a copied cookie is worthless on every node at once. The portal owns its table and creates or
migrates it itself (versioned, like ``indexer/pg/migrations.py``) on first use, so a portal may
start while the database is down. A database that cannot be reached, or does not answer within
a few seconds, raises :class:`~portal.sessions.SessionStoreUnavailable` (a 503 page), never a
stale answer.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from indexer.pg.migrations import apply_migrations
from indexer.pg.store import redact
from portal.identity import Identity
from portal.sessions import (
    TOUCH_EVERY,
    SessionRecord,
    SessionStoreUnavailable,
    hashed,
    new_session_id,
)

POOL_SIZE = 4
CONNECT_TIMEOUT = 2.0  # seconds to connect, and to wait for a pooled connection
STATEMENT_TIMEOUT_MS = 2000
# a sign-out (a delete) must survive a database crash, or a copied cookie would work again
_OPTIONS = f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c synchronous_commit=on"
_LOCK_KEY = 0x1D3E7  # an advisory lock: portal nodes starting at once migrate one at a time
MIGRATIONS: tuple[str, ...] = (
    # 1: one row per signed-in session, keyed by the hash of its id
    """
    CREATE TABLE portal_sessions (
        key text PRIMARY KEY,
        oid text NOT NULL,
        name text NOT NULL,
        username text NOT NULL,
        principals text[] NOT NULL,
        kiosk boolean NOT NULL,
        created float8 NOT NULL,
        last_seen float8 NOT NULL
    );
    CREATE INDEX portal_sessions_last_seen ON portal_sessions (last_seen);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: psycopg.Connection) -> int:
    """Bring the portal's tables up to :data:`SCHEMA_VERSION`; return the version before."""
    return apply_migrations(conn, MIGRATIONS, "portal_schema_version", _LOCK_KEY,
                            "the session store")


class PgSessionStore:
    """Sessions in one PostgreSQL database, shared by every portal node and process."""

    def __init__(self, url: str, clock: Callable[[], float] = time.time,
                 pool_size: int = POOL_SIZE) -> None:
        self.url = url
        self.clock = clock
        self.pool_size = pool_size
        self._lock = threading.Lock()
        self._pool: tuple[int, ConnectionPool] | None = None  # opened per process, on first use
        self._migrated = False

    def _open_pool(self) -> ConnectionPool:
        with self._lock:
            if self._pool is None or self._pool[0] != os.getpid():
                # reconnect_timeout=0: no retrying in the background; each request that finds
                # no connection tries once, so the first request after an outage succeeds
                pool = ConnectionPool(
                    self.url, min_size=0, max_size=self.pool_size, open=False,
                    timeout=CONNECT_TIMEOUT, reconnect_timeout=0, name="sessions",
                    check=ConnectionPool.check_connection,
                    kwargs={"autocommit": True, "connect_timeout": int(CONNECT_TIMEOUT),
                            "options": _OPTIONS})
                pool.open(wait=False)
                self._pool = os.getpid(), pool
            return self._pool[1]

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        try:
            with self._open_pool().connection() as conn:
                if not self._migrated:
                    migrate(conn)
                    self._migrated = True
                yield conn
        except (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout) as exc:
            raise SessionStoreUnavailable(f"the session database at {redact(self.url)} cannot "
                                          f"be used: {type(exc).__name__}") from exc

    def close(self) -> None:
        """Close this process's pooled connections."""
        with self._lock:
            if self._pool is not None and self._pool[0] == os.getpid():
                self._pool[1].close()
            self._pool = None

    def create(self, identity: Identity, kiosk: bool, oldest_allowed: float) -> str:
        """Store a new session and return its id; sessions idle since before
        ``oldest_allowed`` seconds ago are swept on the way."""
        session_id = new_session_id()
        now = self.clock()
        with self._connection() as conn, conn.transaction():
            conn.execute("DELETE FROM portal_sessions WHERE last_seen < %s",
                         (now - oldest_allowed,))
            conn.execute("INSERT INTO portal_sessions VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", (
                hashed(session_id), identity.oid, identity.name, identity.username,
                sorted(identity.principals), kiosk, now, now))
        return session_id

    def get(self, session_id: str) -> SessionRecord | None:
        """The session, whether or not it is still within its idle limit."""
        with self._connection() as conn:
            row = conn.execute(
                "SELECT oid, name, username, principals, kiosk, created, last_seen"
                " FROM portal_sessions WHERE key = %s", (hashed(session_id),)).fetchone()
        if row is None:
            return None
        oid, name, username, principals, kiosk, created, last_seen = row
        return SessionRecord(Identity(oid, name, username, frozenset(principals)), kiosk,
                             created, last_seen)

    def touch(self, session_id: str, record: SessionRecord) -> SessionRecord:
        """Mark the session used now (written at most every few seconds)."""
        now = self.clock()
        if now - record.last_seen < TOUCH_EVERY:
            return record
        with self._connection() as conn:
            conn.execute("UPDATE portal_sessions SET last_seen = %s WHERE key = %s",
                         (now, hashed(session_id)))
        return SessionRecord(record.identity, record.kiosk, record.created, now)

    def delete(self, session_id: str) -> None:
        """End the session for good."""
        with self._connection() as conn:
            conn.execute("DELETE FROM portal_sessions WHERE key = %s", (hashed(session_id),))
