"""The portal's model: what a page shows, read from the index and trimmed to the user.

Views call one function here; this module calls the index's read API
(:class:`indexer.search.Reader`). Nothing here calls SharePoint.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app

from indexer.backend import IndexBackend, SearchReader, open_index, open_reader
from indexer.document import Document
from indexer.search import (
    DATE_FACETS,
    MAX_RESULT_WINDOW,
    Listing,
    SearchResults,
    TitleSuggestion,
)

FRONT_NEWS = 7
FRONT_DOCUMENTS = 8
EARLIER_NEWS = 5
EARLIER_WINDOW = 40
PAGE_SIZE = 20
SUGGESTIONS = 8
EMPTY_RECENT = 5
MODIFIED_DAYS = dict(DATE_FACETS)  # "week": 7, "month": 30, "year": 365


class Content:
    """The index of one portal process, opened on first use (and again until it opens)."""

    def __init__(self, index_dir: Path, index_url: str = "") -> None:
        self.index_dir = Path(index_dir)
        self.index_url = index_url
        self._reader: SearchReader | None = None
        self._index: IndexBackend | None = None
        self._sites: tuple[int, dict[str, str]] | None = None
        self._lock = threading.Lock()

    def reader(self) -> SearchReader:
        """The reader; IndexUnavailable while there is no usable index."""
        with self._lock:
            if self._reader is None:
                self._index = open_index(self.index_url, self.index_dir)
                self._reader = open_reader(self._index)
            return self._reader

    def close(self) -> None:
        """Close the reader's searchers (at shutdown, and in tests)."""
        with self._lock:
            if self._reader is not None:
                self._reader.close()
                self._index.close()
            self._reader = self._index = None

    def generation(self) -> int:
        """The index generation that the reader serves now (a cheap check)."""
        self.reader()
        return self._index.generation()

    def site_titles(self) -> dict[str, str]:
        """Every site id in the index with its title, computed once per index generation."""
        generation = self.generation()
        if self._sites is None or self._sites[0] != generation:
            self._sites = generation, self._index.site_titles()
        return self._sites[1]


def content() -> Content:
    """This app's content."""
    return current_app.extensions["portal.content"]


@dataclass
class FrontPage:
    """What the front page shows."""

    news: list[Document]
    documents: list[Document]


def _groups(principals: Iterable[str]) -> set[str]:
    return {p.split(":", 1)[1] for p in principals if p.startswith("group:")}


def _targets(doc: Document, principals: frozenset[str]) -> bool:
    return not doc.audiences or not _groups(principals).isdisjoint(doc.audiences)


def pinned_id(entry: str) -> str:
    """A PINNED_NEWS entry as a document id: an id, or a portal link ``…/news/<id>``."""
    return entry.rstrip("/").rsplit("/news/", 1)[-1]


def front_page(principals: frozenset[str], pinned: Iterable[str]) -> FrontPage:
    """Pinned news first (if the user may see them and is in their audience), then the
    latest targeted news; and the recently changed documents."""
    reader = content().reader()
    first = []
    for doc_id in dict.fromkeys(map(pinned_id, pinned)):
        doc = reader.get(doc_id, principals)
        if doc is not None and doc.kind == "news" and _targets(doc, principals):
            first.append(doc)
    latest = reader.latest_news(principals, limit=FRONT_NEWS + len(first)).docs
    shown = {doc.id for doc in first}
    news = (first + [doc for doc in latest if doc.id not in shown])[:FRONT_NEWS]
    documents = reader.recent_documents(principals, limit=FRONT_DOCUMENTS).docs
    return FrontPage(news, documents)


def item(doc_id: str, principals: frozenset[str], kinds: tuple[str, ...]) -> Document | None:
    """One item of one of ``kinds`` if the user may see it (None: the caller answers 404)."""
    doc = content().reader().get(doc_id, principals)
    return doc if doc is not None and doc.kind in kinds else None


def earlier_news(doc: Document, principals: frozenset[str]) -> list[Document]:
    """News published before ``doc`` that the user may see, newest first."""
    when = doc.published or doc.modified
    window = content().reader().latest_news(principals, limit=EARLIER_WINDOW).docs
    return [d for d in window if d.id != doc.id and (d.published or d.modified) <= when
            ][:EARLIER_NEWS]


def news_archive(principals: frozenset[str], site_id: str | None, page: int) -> Listing:
    """One page of all the news the user may see (of one site, if given)."""
    return content().reader().latest_news(principals, limit=PAGE_SIZE,
                                          offset=(page - 1) * PAGE_SIZE, site_id=site_id,
                                          targeted=False)


def news_sites(principals: frozenset[str]) -> list[tuple[str, str]]:
    """The sites with news the user may see, as (id, title), by title."""
    reader = content().reader()
    sites = [(site_id, title) for site_id, title in content().site_titles().items()
             if reader.latest_news(principals, limit=0, site_id=site_id,
                                   targeted=False).total]
    return sorted(sites, key=lambda s: s[1].lower())


@dataclass(frozen=True)
class SearchRequest:
    """What a user asked the search page for: the words, the filters, the order, the page."""

    query: str
    site: str = ""
    type: str = ""
    modified: str = ""
    sort: str = "relevance"
    page: int = 1

    def filters(self, now: datetime) -> dict[str, Any]:
        """The index filters of the chosen facets (``now`` anchors the modified window)."""
        filters: dict[str, Any] = {}
        if self.site:
            filters["site_id"] = self.site
        if self.type:
            filters["file_type"] = self.type
        if self.modified in MODIFIED_DAYS:
            filters["modified_since"] = now - timedelta(days=MODIFIED_DAYS[self.modified])
        return filters


@dataclass
class SearchPage:
    """One page of results and, when nothing was found, a corrected query (if some words are
    in no visible item) and the recently changed documents to browse instead."""

    results: SearchResults
    did_you_mean: str | None
    recent: list[Document]

    @property
    def pages(self) -> int:
        """The number of result pages (never more than the index will page through)."""
        return max(1, min(-(-self.results.total // PAGE_SIZE), MAX_RESULT_WINDOW // PAGE_SIZE))


def search(request: SearchRequest, principals: frozenset[str]) -> SearchPage:
    """One page of the visible results of a search, with its facets and suggestions."""
    reader = content().reader()
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)  # as the facets count
    results = reader.search(request.query, principals, filters=request.filters(hour),
                            sort=request.sort, page=request.page, page_size=PAGE_SIZE)
    if results.total:
        return SearchPage(results, None, [])
    # Only a search that found nothing can hold a word no visible item has (all plain words
    # are required), and looking for a correction is the slow part of a search.
    return SearchPage(results, reader.did_you_mean(request.query, principals),
                      reader.recent_documents(principals, limit=EMPTY_RECENT).docs)


def suggest(prefix: str, principals: frozenset[str]) -> list[TitleSuggestion]:
    """Titles of visible items that start with the typed words (type-ahead)."""
    return content().reader().suggest_titles(prefix, principals, limit=SUGGESTIONS)
