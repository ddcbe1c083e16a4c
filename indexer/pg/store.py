"""The PostgreSQL index: the writer, checkpoints and reading records back (the indexer's side).

One batch is one transaction: the documents, their lexicon entries, the checkpoints and the
generation number are committed together or not at all, so after a crash the database holds
the whole batch with its checkpoint, or neither (as a Whoosh commit does). One writer at a
time: a batch takes a transaction-level advisory lock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from indexer.document import Document
from indexer.index import (
    LOCK_TIMEOUT,
    Changes,
    IndexLocked,
    IndexUnavailable,
    _stop_signals_held,
)
from indexer.pg.migrations import SCHEMA_VERSION, current_version, migrate
from indexer.pg.vectors import row

POOL_SIZE = 4
CONNECT_TIMEOUT = 5.0
_WRITE_LOCK = 0x1D3E6
_PASSWORD = re.compile(r"://([^:/@]+):[^@]*@")
_COLUMNS = ("id", "kind", "site_id", "site_title", "list_id", "file_type", "language",
            "modified", "sort_date", "acl", "audiences", "site_words", "author_words",
            "title_prefixes", "words", "title_len", "description_len", "body_len", "tsv",
            "record")
_UPSERT = (
    f"INSERT INTO documents ({', '.join(_COLUMNS)}) VALUES ("
    + ", ".join(f"%({c})s::tsvector" if c == "tsv" else f"%({c})s" for c in _COLUMNS)
    + ") ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS[1:]))


class PgBatch(Changes):
    """A PostgreSQL transaction's changes."""

    def apply(self, conn: psycopg.Connection) -> None:
        """Write every change in the connection's open transaction."""
        rows, terms, words = [], {}, set()
        for doc in self._docs.values():
            if doc is not None:
                values, doc_terms = row(doc)
                rows.append(values)
                words.update(values["words"])
                for name, found in doc_terms.items():
                    terms.setdefault(name, set()).update(found)
        with conn.cursor() as cursor:
            cursor.execute("DELETE FROM documents WHERE id = ANY(%s)",
                           ([i for i, d in self._docs.items() if d is None],))
            if rows:
                cursor.executemany(_UPSERT, rows)
            for name, found in terms.items():
                cursor.execute("INSERT INTO terms SELECT %s, unnest(%s::text[]) "
                               "ON CONFLICT DO NOTHING", (name, sorted(found)))
            cursor.execute("INSERT INTO vocabulary SELECT unnest(%s::text[]) "
                           "ON CONFLICT DO NOTHING", (sorted(words),))
            for key, value in self._checkpoints.items():
                if value is None:
                    cursor.execute("DELETE FROM checkpoints WHERE key = %s", (key,))
                else:
                    cursor.execute("INSERT INTO checkpoints VALUES (%s, %s) ON CONFLICT (key) "
                                   "DO UPDATE SET value = EXCLUDED.value", (key, value))
            cursor.execute(  # the counts and average field lengths that ranking uses
                "UPDATE generation SET number = number + 1, documents = d.n, title_len = d.t, "
                "description_len = d.d, body_len = d.b FROM (SELECT count(*) AS n, "
                "coalesce(avg(title_len), 1) AS t, coalesce(avg(description_len), 1) AS d, "
                "coalesce(avg(body_len), 1) AS b FROM documents) AS d")


@contextmanager
def unavailable_on_failure(url: str) -> Iterator[None]:
    """Turn a refused, dropped or timed-out connection into :class:`IndexUnavailable`."""
    try:
        yield
    except (psycopg.OperationalError, PoolTimeout) as exc:
        raise IndexUnavailable(f"the search database at {redact(url)} cannot be used: "
                               f"{type(exc).__name__}") from exc


def redact(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    return _PASSWORD.sub(r"://\1:…@", url)


class PgIndex:
    """A search index in PostgreSQL: create or migrate it, write batches, read records back.

    ``path`` is the local directory beside which the indexer keeps its status files (the
    INDEX_DIR setting), as for the Whoosh index.
    """

    def __init__(self, url: str, path: str | Path, pool_size: int = POOL_SIZE) -> None:
        self.url = url
        self.path = Path(path)
        self.pool = ConnectionPool(url, min_size=0, max_size=pool_size, open=False,
                                   timeout=CONNECT_TIMEOUT, name="search",
                                   kwargs={"connect_timeout": int(CONNECT_TIMEOUT)})
        self.pool.open(wait=False)

    @classmethod
    def open_or_create(cls, url: str, path: str | Path) -> PgIndex:
        """Open the database, creating or migrating its schema (the indexer, at start)."""
        index = cls(url, path)
        with index.connection() as conn:
            migrate(conn)
        return index

    @classmethod
    def open(cls, url: str, path: str | Path) -> PgIndex:
        """Open the database; :class:`IndexUnavailable` unless its schema is this code's."""
        index = cls(url, path)
        try:
            with index.connection() as conn:
                version = current_version(conn)
        except IndexUnavailable:
            index.close()
            raise
        if version != SCHEMA_VERSION:
            index.close()
            raise IndexUnavailable(f"the search database has schema version {version}, this "
                                   f"code needs {SCHEMA_VERSION}: start the indexer to migrate")
        return index

    def close(self) -> None:
        """Close every pooled connection."""
        self.pool.close()

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection; failures to reach the database are IndexUnavailable."""
        with unavailable_on_failure(self.url), self.pool.connection() as conn:
            yield conn

    def generation(self) -> int:
        """The number of batches committed so far."""
        with self.connection() as conn:
            return conn.execute("SELECT number FROM generation").fetchone()[0]

    @contextmanager
    def batch(self, lock_timeout: float = LOCK_TIMEOUT) -> Iterator[PgBatch]:
        """Collect changes and commit them, with their checkpoints, in one transaction.

        Raises :class:`IndexLocked` if another writer holds the lock for ``lock_timeout``
        seconds. Nothing is written if the block raises.
        """
        batch = PgBatch()
        yield batch
        if not batch:
            return
        with self.connection() as conn, _stop_signals_held(), conn.transaction():
            conn.execute("SELECT set_config('lock_timeout', %s, true)",
                         (f"{int(lock_timeout * 1000)}ms",))
            try:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
            except psycopg.errors.LockNotAvailable as exc:
                raise IndexLocked("another indexer is writing to the search database; only "
                                  "one may run at a time") from exc
            batch.apply(conn)

    def optimize(self, lock_timeout: float = LOCK_TIMEOUT) -> None:
        """Refresh the planner's statistics (after a full sync)."""
        with self.connection() as conn:
            conn.execute("ANALYZE documents")

    def checkpoints(self) -> dict[str, dict[str, Any]]:
        """Every stored checkpoint by key."""
        with self.connection() as conn:
            return dict(conn.execute("SELECT key, value FROM checkpoints").fetchall())

    def ids(self, list_id: str | None = None) -> set[str]:
        """The ids of the documents (in one list, if given), for reconciliation."""
        with self.connection() as conn:
            if list_id is None:
                rows = conn.execute("SELECT id FROM documents")
            else:
                rows = conn.execute("SELECT id FROM documents WHERE list_id = %s", (list_id,))
            return {r[0] for r in rows}

    def get(self, doc_id: str) -> Document | None:
        """One document by id, without security trimming (for the indexer)."""
        with self.connection() as conn:
            found = conn.execute("SELECT record FROM documents WHERE id = %s",
                                 (doc_id,)).fetchone()
        return Document.from_dict(found[0]) if found else None

    def all_documents(self) -> Iterator[Document]:
        """Every document, in id order (to compare two indexes)."""
        with self.connection() as conn:
            for (record,) in conn.execute("SELECT record FROM documents ORDER BY id COLLATE \"C\""):
                yield Document.from_dict(record)

    def list_counts(self) -> dict[str, int]:
        """How many documents each list has in the index."""
        with self.connection() as conn:
            return dict(conn.execute("SELECT list_id, count(*) FROM documents GROUP BY list_id"))

    def doc_count(self) -> int:
        """The number of documents."""
        with self.connection() as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def site_titles(self) -> dict[str, str]:
        """Every site id in the index with its title."""
        with self.connection() as conn:
            rows = conn.execute("SELECT site_id, min(site_title) FROM documents "
                                "GROUP BY site_id").fetchall()
        return {site_id: title or site_id for site_id, title in rows}
