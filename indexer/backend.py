"""The search backend interface that the indexer and the portal use, and the one factory.

Two implementations: the embedded Whoosh index (indexer.index and indexer.search, the default)
and PostgreSQL (indexer.pg, when ``INDEX_URL`` is a ``postgresql://`` URL), which many portal
nodes can share. Nothing else needs to know which one it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from indexer.document import Document
from indexer.search import Listing, SearchResults, TitleSuggestion

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class WriteBatch(Protocol):
    """Changes committed as one, with their checkpoints."""

    def upsert(self, doc: Document) -> None: ...
    def delete(self, doc_id: str) -> None: ...
    def set_checkpoint(self, key: str, value: dict[str, Any]) -> None: ...
    def delete_checkpoint(self, key: str) -> None: ...


class IndexBackend(Protocol):
    """The write side (the indexer) and the untrimmed record access it needs."""

    path: Path

    def batch(self, lock_timeout: float = ...) -> AbstractContextManager[WriteBatch]: ...
    def optimize(self, lock_timeout: float = ...) -> None: ...
    def checkpoints(self) -> dict[str, dict[str, Any]]: ...
    def ids(self, list_id: str | None = None) -> set[str]: ...
    def get(self, doc_id: str) -> Document | None: ...
    def all_documents(self) -> Iterator[Document]: ...
    def list_counts(self) -> dict[str, int]: ...
    def doc_count(self) -> int: ...
    def generation(self) -> int: ...
    def site_titles(self) -> dict[str, str]: ...


class SearchReader(Protocol):
    """The portal's security-trimmed read side."""

    def get(self, doc_id: str, principals: Iterable[str]) -> Document | None: ...
    def latest_news(self, principals: Iterable[str], limit: int = 10, offset: int = 0,
                    site_id: str | None = None, targeted: bool = True) -> Listing: ...
    def recent_documents(self, principals: Iterable[str], limit: int = 10, offset: int = 0,
                         site_id: str | None = None) -> Listing: ...
    def search(self, query: str, principals: Iterable[str],
               filters: Mapping[str, Any] | None = None, sort: str = "relevance",
               page: int = 1, page_size: int = 10) -> SearchResults: ...
    def suggest_titles(self, prefix: str, principals: Iterable[str],
                       limit: int = 8) -> list[TitleSuggestion]: ...
    def did_you_mean(self, query: str, principals: Iterable[str]) -> str | None: ...
    def close(self) -> None: ...


def is_postgres(index_url: str) -> bool:
    """Whether INDEX_URL names a PostgreSQL database."""
    return index_url.strip().lower().startswith(POSTGRES_SCHEMES)


def open_index(index_url: str, index_dir: str | Path, create: bool = False) -> IndexBackend:
    """The index INDEX_URL names (PostgreSQL), else the Whoosh index in ``index_dir``.

    ``create`` (the indexer) creates or migrates it; without it (the portal, status) a missing
    or outdated index raises :class:`indexer.index.IndexUnavailable`.
    """
    if is_postgres(index_url):
        from indexer.pg.store import PgIndex  # psycopg is only loaded when it is used

        return (PgIndex.open_or_create if create else PgIndex.open)(index_url, index_dir)
    from indexer.index import SearchIndex

    return (SearchIndex.open_or_create if create else SearchIndex.open)(index_dir)


def open_reader(index: IndexBackend) -> SearchReader:
    """The security-trimmed reader of an index opened by :func:`open_index`."""
    from indexer.index import SearchIndex

    if isinstance(index, SearchIndex):
        from indexer.search import Reader

        return Reader(index)
    from indexer.pg.reader import PgReader

    return PgReader(index)
