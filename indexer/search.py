"""The portal's read API: security-trimmed search, listings, type-ahead and "did you mean".

Every answer is trimmed to a set of principals: an item is visible only if its ACL shares a
principal with the user (an empty ACL: nobody). Visibility is a bitmap of document numbers,
built once per (index generation, principal set) from cached per-principal bitmaps and kept
in an LRU; counts and facets are popcounts of bitmap intersections, so nothing that a user
may not see is ever counted, suggested or shown.

Searchers are pooled per index generation; a new one is opened only when the generation
changes (checked with one directory listing per call); ``Searcher.refresh()`` is never used.
What is costly to read from disk is cached per segment and shared across generations
(indexer.segments), so the first search after a commit reads only the new segment.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any

from whoosh.query import And, DateRange, Query, Term
from whoosh.searching import Searcher
from whoosh.support.levenshtein import distance

from indexer.analysis import PREFIX_MAX, TOKEN_RE, fold, stems
from indexer.bitmaps import Bitmap, Generation, lowest_bit
from indexer.document import Document
from indexer.index import SearchIndex
from indexer.query import clean, filter_queries, parse, rewrite_words, word_query
from indexer.ranking import top_documents
from indexer.schema import NO_AUDIENCE, from_stored
from indexer.segments import SegmentCache, within
from indexer.snippets import snippet_html

MAX_PAGE_SIZE = 50
MAX_RESULT_WINDOW = 1000
DATE_FACETS = (("week", 7), ("month", 30), ("year", 365))


@dataclass(frozen=True)
class Hit:
    """One search result: the document and an HTML snippet (escaped text, <mark> hits)."""

    doc: Document
    snippet_html: str


@dataclass(frozen=True)
class FacetCount:
    """One facet value: its key (for the filter), its label and the number of visible hits."""

    key: str
    label: str
    count: int


@dataclass
class SearchResults:
    """One page of visible results, their total and the facets over all visible results."""

    total: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 10


@dataclass
class Listing:
    """One page of a date-ordered list, and how many visible items the list has."""

    total: int
    docs: list[Document]


@dataclass(frozen=True)
class TitleSuggestion:
    """A type-ahead suggestion."""

    id: str
    title: str
    kind: str
    url: str


class Reader:
    """Thread-safe, security-trimmed read access to a :class:`SearchIndex` for the portal.

    Searchers are pooled: a call borrows one on the latest generation (opening a new one if
    the index changed since) and gives it back; searchers of older generations are closed.
    """

    def __init__(self, index: SearchIndex) -> None:
        self._index = index
        self._idle: list[tuple[int, Searcher]] = []
        self._latest = -1
        self._generations: dict[int, Generation] = {}
        self._segments = SegmentCache()
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the idle searchers (searchers in use are closed when given back)."""
        with self._lock:
            idle, self._idle, self._latest = self._idle, [], -1
        for _, searcher in idle:
            searcher.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _borrow(self) -> tuple[int, Searcher]:
        latest = self._index.generation()
        with self._lock:
            self._latest = latest
            stale = [s for g, s in self._idle if g != latest]
            self._idle = [(g, s) for g, s in self._idle if g == latest]
            borrowed = self._idle.pop() if self._idle else None
        for searcher in stale:
            searcher.close()
        if borrowed is None:
            searcher = self._index.searcher()
            borrowed = (searcher.reader().generation(), searcher)
        return borrowed

    def _give_back(self, generation: int, searcher: Searcher) -> None:
        with self._lock:
            keep = generation == self._latest
            if keep:
                self._idle.append((generation, searcher))
        if not keep:
            searcher.close()

    @contextmanager
    def _visible(self, principals: Iterable[str]) -> Iterator[tuple[Searcher, Generation,
                                                                     Bitmap]]:
        """A searcher, its generation's caches, and what ``principals`` may see."""
        number, searcher = self._borrow()
        try:
            with self._lock:
                fresh = number not in self._generations
                if fresh:
                    self._generations[number] = Generation(searcher.doc_count_all(),
                                                           self._segments)
                    for old in sorted(self._generations)[:-2]:
                        del self._generations[old]
                    fresh = number == max(self._generations)
                generation = self._generations[number]
            if fresh:  # the newest generation: drop the parts of segments merged away
                self._segments.retain(searcher.reader().leaf_readers())
            principals = frozenset(p.strip().lower() for p in principals)
            yield searcher, generation, generation.visible(searcher, principals)
        finally:
            self._give_back(number, searcher)

    def get(self, doc_id: str, principals: Iterable[str]) -> Document | None:
        """The document if the user may see it, else None (the caller answers 404)."""
        with self._visible(principals) as (searcher, _, visible):
            docnum = searcher.document_number(id=doc_id)
            if docnum is None or docnum not in visible:
                return None
            return from_stored(searcher.stored_fields(docnum))

    def latest_news(self, principals: Iterable[str], limit: int = 10, offset: int = 0,
                    site_id: str | None = None, targeted: bool = True) -> Listing:
        """Visible news, newest first by publishing date.

        ``targeted`` (the front page) keeps only news without audiences or targeted at one of
        the user's groups; the news archive passes ``targeted=False``.
        """
        principals = frozenset(p.strip().lower() for p in principals)
        with self._visible(principals) as (searcher, generation, visible):
            mask = visible.mask & generation.term(searcher, "kind", "news")
            if targeted:
                groups = [p.split(":", 1)[1] for p in principals if p.startswith("group:")]
                audiences = (generation.term(searcher, "audiences", a)
                             for a in [NO_AUDIENCE, *groups])
                mask &= reduce(or_, audiences, 0)
            return self._listing(searcher, generation, mask, site_id, limit, offset)

    def recent_documents(self, principals: Iterable[str], limit: int = 10, offset: int = 0,
                         site_id: str | None = None) -> Listing:
        """Visible documents (files), most recently modified first."""
        with self._visible(principals) as (searcher, generation, visible):
            mask = visible.mask & generation.term(searcher, "kind", "document")
            return self._listing(searcher, generation, mask, site_id, limit, offset)

    def _listing(self, searcher: Searcher, generation: Generation, mask: int,
                 site_id: str | None, limit: int, offset: int) -> Listing:
        if site_id:
            mask &= generation.term(searcher, "site_id", site_id.lower())
        offset = max(0, offset)
        picked = generation.newest(searcher, mask, offset + max(0, limit))[offset:]
        return Listing(mask.bit_count(), [from_stored(searcher.stored_fields(d)) for d in picked])

    def search(self, query: str, principals: Iterable[str],
               filters: Mapping[str, Any] | None = None, sort: str = "relevance",
               page: int = 1, page_size: int = 10) -> SearchResults:
        """Search the visible items; the total and the facets count visible hits only.

        ``filters`` may hold ``site_id``, ``file_type``, ``kind`` (a value or a list) and
        ``modified_since`` (a datetime). ``sort`` is ``"relevance"`` or ``"newest"``.
        """
        page_size = min(max(1, page_size), MAX_PAGE_SIZE)
        page = min(max(1, page), MAX_RESULT_WINDOW // page_size)
        with self._visible(principals) as (searcher, generation, visible):
            parsed = parse(query, searcher.reader())
            if parsed.query is None or not visible.count:
                return SearchResults(0, page=page, page_size=page_size)
            whoosh_query = And([parsed.query, *filter_queries(filters)])
            matches = generation.match(searcher, whoosh_query) & visible.mask
            window = page * page_size
            if sort == "newest":
                top = generation.newest(searcher, matches, window)
            else:
                top = top_documents(searcher, generation, whoosh_query, matches, window)
            hits = []
            for docnum in top[(page - 1) * page_size:]:
                doc = from_stored(searcher.stored_fields(docnum))
                hits.append(Hit(doc, snippet_html(_snippet_text(doc), parsed.terms)))
            facets = self._facets(searcher, generation, matches)
            return SearchResults(matches.bit_count(), hits, facets, page, page_size)

    def _facets(self, searcher: Searcher, generation: Generation,
                matches: int) -> dict[str, list[FacetCount]]:
        hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0, tzinfo=None)
        facets: dict[str, list[FacetCount]] = {"modified": []}
        for name, days in DATE_FACETS:
            since = generation.match(searcher, DateRange("modified", hour - timedelta(days), None))
            facets["modified"].append(FacetCount(name, name, (matches & since).bit_count()))
        for facet, fieldname in (("site", "site_id"), ("type", "file_type")):
            counts = []
            for value in generation.values(searcher, fieldname):
                shared = matches & generation.term(searcher, fieldname, value)
                if shared:
                    label = (generation.site_title(searcher, value, lowest_bit(shared))
                             if facet == "site" else value)
                    counts.append(FacetCount(value, label, shared.bit_count()))
            facets[facet] = sorted(counts, key=lambda c: (-c.count, c.label.lower()))
        return facets

    def suggest_titles(self, prefix: str, principals: Iterable[str],
                       limit: int = 8) -> list[TitleSuggestion]:
        """Visible items whose title words start with the typed words, newest first."""
        words = [fold(m.group())[:PREFIX_MAX] for m in TOKEN_RE.finditer(clean(prefix))]
        words = [w for w in words[:8] if len(w) >= 2]
        with self._visible(principals) as (searcher, generation, visible):
            if not words:
                return []
            query = And([Term("title_prefix", w) for w in words])
            matches = generation.match(searcher, query) & visible.mask
            suggestions = []
            for docnum in generation.newest(searcher, matches, min(limit, 50)):
                record = searcher.stored_fields(docnum)["record"]
                suggestions.append(TitleSuggestion(record["id"], record["title"], record["kind"],
                                                   record["url"]))
            return suggestions

    def did_you_mean(self, query: str, principals: Iterable[str]) -> str | None:
        """A corrected query built only from words in items the user may see, or None."""
        with self._visible(principals) as (searcher, generation, visible):

            def seen(whoosh_query: Query) -> bool:
                return bool(generation.match(searcher, whoosh_query) & visible.mask)

            def fix(word: str) -> str | None:
                lower = word.lower()
                if len(lower) < 3 or seen(word_query(stems(lower))):
                    return None
                return _correction(searcher, generation, visible.mask, lower)

            suggestion = rewrite_words(query, fix) if visible.count else None
            if suggestion is None:
                return None
            parsed = parse(suggestion, searcher.reader())
            return suggestion if parsed.query is not None and seen(parsed.query) else None


def _keyboard_variants(word: str) -> list[str]:
    """The word with "ae", "oe" and "aa" also read as æ, ø and å (a keyboard without them)."""
    variants = {word}
    for typed, letter in (("ae", "æ"), ("oe", "ø"), ("aa", "å")):
        variants |= {v.replace(typed, letter) for v in variants}
    return sorted(variants)


def _correction(searcher: Searcher, generation: Generation, visible: int,
                word: str) -> str | None:
    """The closest word of the visible items to ``word``; more visible items win ties.

    Candidates are taken nearest first, so only the words at the smallest distance with a
    visible item have their postings read.
    """
    max_distance = 1 if len(word) < 6 else 2
    vocabularies = generation.vocabularies(searcher, "words")
    nearest: dict[str, int] = {}
    for variant in _keyboard_variants(word):
        for candidate in within(vocabularies, variant, max_distance):
            if candidate != word:
                nearest[candidate] = min(nearest.get(candidate, max_distance),
                                         distance(candidate, variant))
    for gap in sorted(set(nearest.values())):
        counted = ((-(generation.term(searcher, "words", c) & visible).bit_count(), c)
                   for c, d in nearest.items() if d == gap)
        best = min((key for key in counted if key[0]), default=None)
        if best is not None:
            return best[1]
    return None


def _snippet_text(doc: Document) -> str:
    return f"{doc.description}\n{doc.body}" if doc.description else doc.body


