"""Signed-in sessions: shared-computer (kiosk) rules, idle expiry and the session store.

The browser holds Flask's signed session cookie with a random session id. The store keeps,
per session, who signed in, their principals (too many for a cookie for a user in hundreds of
groups), whether it is a shared-computer session and when it was last used. Idle expiry is
decided here, on the server, and sign-out deletes the record, so a copied cookie is worthless
after sign-out. Only a hash of the session id is stored.

This module holds the shared rules and :class:`SessionStore`, the SQLite file of one machine (the
default); ``portal/session_store_pg.py`` keeps the same records in PostgreSQL for several nodes,
and ``portal/session_factory.py`` picks one from SESSION_DB.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from portal.identity import Identity

TOUCH_EVERY = 15.0  # seconds between writes of last_seen for a busy session
_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    key TEXT PRIMARY KEY, oid TEXT NOT NULL, name TEXT NOT NULL, username TEXT NOT NULL,
    principals TEXT NOT NULL, kiosk INTEGER NOT NULL, created REAL NOT NULL,
    last_seen REAL NOT NULL)
"""


def is_kiosk_address(address: str | None, ranges: Iterable[Any]) -> bool:
    """Whether ``address`` is in one of the configured shared-computer IP ranges."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in ranges)


def idle_limit(kiosk: bool, config: dict[str, Any]) -> float:
    """Seconds a session may stay unused: short on a shared computer, long on one's own."""
    if kiosk:
        return float(config["KIOSK_IDLE_MINUTES"]) * 60
    return float(config["PERSONAL_IDLE_HOURS"]) * 3600


@dataclass(frozen=True)
class SessionRecord:
    """One signed-in session as the store keeps it."""

    identity: Identity
    kiosk: bool
    created: float
    last_seen: float


class SessionStoreUnavailable(Exception):
    """The session store cannot be reached: nobody can be signed in or recognised now."""


class Sessions(Protocol):
    """What the portal needs of a session store (SQLite or PostgreSQL)."""

    clock: Callable[[], float]

    def create(self, identity: Identity, kiosk: bool, oldest_allowed: float) -> str: ...
    def get(self, session_id: str) -> SessionRecord | None: ...
    def touch(self, session_id: str, record: SessionRecord) -> SessionRecord: ...
    def delete(self, session_id: str) -> None: ...


def new_session_id() -> str:
    """A fresh random session id (the browser's cookie holds it, the store only its hash)."""
    return secrets.token_urlsafe(32)


def hashed(session_id: str) -> str:
    """The key a session is stored under: a hash, so a stolen store gives no usable cookie."""
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionStore:
    """Sessions in one SQLite file, safe to share between the portal processes of a machine."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()  # each thread reads through its own connection
        with closing(self._connect()) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)

    def _reading(self) -> sqlite3.Connection:
        """This thread's connection for reads, opened once (per process) and kept."""
        pid, db = getattr(self._local, "db", (None, None))
        if pid != os.getpid():
            db = self._connect()
            self._local.db = os.getpid(), db
        return db

    def create(self, identity: Identity, kiosk: bool, oldest_allowed: float) -> str:
        """Store a new session and return its id; sessions idle since before
        ``oldest_allowed`` seconds ago are swept on the way."""
        session_id = new_session_id()
        now = self.clock()
        with closing(self._connect()) as db:
            db.execute("DELETE FROM sessions WHERE last_seen < ?", (now - oldest_allowed,))
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (
                hashed(session_id), identity.oid, identity.name, identity.username,
                json.dumps(sorted(identity.principals)), int(kiosk), now, now))
        return session_id

    def get(self, session_id: str) -> SessionRecord | None:
        """The session, whether or not it is still within its idle limit."""
        row = self._reading().execute(
            "SELECT oid, name, username, principals, kiosk, created, last_seen"
            " FROM sessions WHERE key = ?", (hashed(session_id),)).fetchone()
        if row is None:
            return None
        oid, name, username, principals, kiosk, created, last_seen = row
        identity = Identity(oid, name, username, frozenset(json.loads(principals)))
        return SessionRecord(identity, bool(kiosk), created, last_seen)

    def touch(self, session_id: str, record: SessionRecord) -> SessionRecord:
        """Mark the session used now (written at most every few seconds)."""
        now = self.clock()
        if now - record.last_seen < TOUCH_EVERY:
            return record
        with closing(self._connect()) as db:
            db.execute("UPDATE sessions SET last_seen = ? WHERE key = ?", (now, hashed(session_id)))
        return SessionRecord(record.identity, record.kiosk, record.created, now)

    def delete(self, session_id: str) -> None:
        """End the session for good."""
        with closing(self._connect()) as db:
            db.execute("DELETE FROM sessions WHERE key = ?", (hashed(session_id),))
