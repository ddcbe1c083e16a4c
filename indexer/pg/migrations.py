"""Versioned schema migrations: each step runs once, in order, in its own transaction.

The version reached is kept in ``schema_version``; the indexer migrates at start, and a portal
refuses a database whose version is not the one this code needs.
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg import sql

MIGRATIONS: tuple[str, ...] = (
    # 1: documents, checkpoints, the lexicons for prefixes and "did you mean"
    """
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE TABLE documents (
        id text PRIMARY KEY,
        kind text NOT NULL,
        site_id text NOT NULL,
        site_title text NOT NULL,
        list_id text NOT NULL,
        file_type text NOT NULL,
        language text NOT NULL,
        modified timestamptz NOT NULL,
        sort_date timestamptz NOT NULL,
        acl text[] NOT NULL,
        audiences text[] NOT NULL,
        site_words text[] NOT NULL,
        author_words text[] NOT NULL,
        title_prefixes text[] NOT NULL,
        words text[] NOT NULL,
        title_len int NOT NULL,
        description_len int NOT NULL,
        body_len int NOT NULL,
        tsv tsvector NOT NULL,
        record jsonb NOT NULL
    );
    CREATE INDEX documents_tsv ON documents USING gin (tsv);
    -- each field's terms alone: their document frequencies (ranking) without a recheck
    CREATE INDEX documents_title_terms ON documents USING gin (ts_filter(tsv, '{a}'));
    CREATE INDEX documents_description_terms ON documents USING gin (ts_filter(tsv, '{b}'));
    CREATE INDEX documents_body_terms ON documents USING gin (ts_filter(tsv, '{c}'));
    CREATE INDEX documents_acl ON documents USING gin (acl);
    CREATE INDEX documents_title_prefixes ON documents USING gin (title_prefixes);
    CREATE INDEX documents_words ON documents USING gin (words);
    CREATE INDEX documents_site_words ON documents USING gin (site_words);
    CREATE INDEX documents_author_words ON documents USING gin (author_words);
    CREATE INDEX documents_list ON documents (list_id);
    CREATE INDEX documents_site ON documents (site_id);
    CREATE INDEX documents_sort_date ON documents (sort_date DESC, id);
    CREATE TABLE checkpoints (key text PRIMARY KEY, value jsonb NOT NULL);
    CREATE TABLE terms (field text NOT NULL, term text COLLATE "C" NOT NULL,
                        PRIMARY KEY (field, term));
    CREATE TABLE vocabulary (word text PRIMARY KEY);
    CREATE INDEX vocabulary_trigrams ON vocabulary USING gin (word gin_trgm_ops);
    CREATE TABLE generation (one boolean PRIMARY KEY DEFAULT true CHECK (one),
                             number bigint NOT NULL, documents bigint NOT NULL,
                             title_len float8 NOT NULL, description_len float8 NOT NULL,
                             body_len float8 NOT NULL);
    INSERT INTO generation VALUES (true, 1, 0, 1, 1, 1);
    """,
    # 2: the title and description terms alone, small enough to read for every match: the
    # first, cheap step of ranking (indexer.pg.reader)
    """
    ALTER TABLE documents ADD COLUMN head tsvector
        GENERATED ALWAYS AS (ts_filter(tsv, '{a,b}')) STORED;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
_LOCK_KEY = 0x1D3E5  # an advisory lock: two indexers starting at once migrate one at a time


def current_version(conn: psycopg.Connection) -> int:
    """The schema version of the database (0: nothing created yet)."""
    exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    return conn.execute("SELECT version FROM schema_version").fetchone()[0]


def migrate(conn: psycopg.Connection) -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION`; return the version it had before."""
    return apply_migrations(conn, MIGRATIONS, "schema_version", _LOCK_KEY, "the database")


def apply_migrations(conn: psycopg.Connection, migrations: Sequence[str], table: str,
                     lock_key: int, owner: str) -> int:
    """Run the ``migrations`` not yet run, in order, in one transaction, under an advisory lock
    (processes starting at once migrate one at a time); ``table`` keeps the version reached.
    Return the version before; refuse a version newer than this code knows."""
    version_table = sql.Identifier(table)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key,))
        conn.execute(sql.SQL("CREATE TABLE IF NOT EXISTS {} (version int NOT NULL)")
                     .format(version_table))
        found = conn.execute(sql.SQL("SELECT version FROM {}").format(version_table)).fetchone()
        if found is None:
            conn.execute(sql.SQL("INSERT INTO {} VALUES (0)").format(version_table))
        before = found[0] if found else 0
        if before > len(migrations):
            raise RuntimeError(f"{owner} has schema version {before}, newer than this code's "
                               f"{len(migrations)}")
        for version in range(before + 1, len(migrations) + 1):
            conn.execute(migrations[version - 1])
            conn.execute(sql.SQL("UPDATE {} SET version = %s").format(version_table), (version,))
    return before
