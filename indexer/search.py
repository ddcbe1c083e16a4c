"""The portal's read API: security-trimmed search, listings, type-ahead and "did you mean".

Every answer is trimmed to a set of principals: an item is visible only if its ACL shares a
principal with the user (an empty ACL: nobody). Visibility is a bitmap of document numbers,
built once per (index generation, principal set) from cached per-principal bitmaps and kept
in an LRU; counts and facets are popcounts of bitmap intersections, so nothing that a user
may not see is ever counted, suggested or shown.

Each thread keeps its own Whoosh searcher and opens a new one only when the index generation
changes (one directory listing per call); ``Searcher.refresh()`` is never used.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from whoosh.query import And, Query, Term
from whoosh.searching import Searcher
from whoosh.support.levenshtein import distance

from indexer.analysis import PREFIX_MAX, TOKEN_RE, fold, stems
from indexer.bitmaps import Bitmap, Generation, lowest_bit, to_bits
from indexer.document import Document
from indexer.index import NO_AUDIENCE, SearchIndex, from_stored
from indexer.query import clean, filter_queries, parse, rewrite_words, word_query
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
    """Thread-safe, security-trimmed read access to a :class:`SearchIndex` for the portal."""

    def __init__(self, index: SearchIndex) -> None:
        self._index = index
        self._local = threading.local()
        self._generations: dict[int, Generation] = {}
        self._lock = threading.Lock()

    def _open(self) -> tuple[Searcher, Generation]:
        local = self._local
        if getattr(local, "generation", None) != self._index.generation():
            if getattr(local, "searcher", None) is not None:
                local.searcher.close()
            local.searcher = self._index.searcher()
            local.generation = local.searcher.reader().generation()
        with self._lock:
            if local.generation not in self._generations:
                self._generations[local.generation] = Generation(local.searcher.doc_count_all())
                for old in sorted(self._generations)[:-2]:
                    del self._generations[old]
            return local.searcher, self._generations[local.generation]

    def _visible(self, principals: Iterable[str]) -> tuple[Searcher, Generation, Bitmap]:
        searcher, generation = self._open()
        principals = frozenset(p.strip().lower() for p in principals)
        return searcher, generation, generation.visible(searcher, principals)

    def get(self, doc_id: str, principals: Iterable[str]) -> Document | None:
        """The document if the user may see it, else None (the caller answers 404)."""
        searcher, _, visible = self._visible(principals)
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
        principals = frozenset(principals)
        searcher, generation, visible = self._visible(principals)
        mask = visible.mask & generation.term(searcher, "kind", "news")
        if site_id:
            mask &= generation.term(searcher, "site_id", site_id.lower())
        if targeted:
            groups = [p.split(":", 1)[1] for p in principals if p.startswith("group:")]
            audiences = (generation.term(searcher, "audiences", a)
                         for a in [NO_AUDIENCE, *groups])
            mask &= reduce(or_, audiences, 0)
        return self._listing(searcher, generation, "news", mask, limit, offset)

    def recent_documents(self, principals: Iterable[str], limit: int = 10, offset: int = 0,
                         site_id: str | None = None) -> Listing:
        """Visible documents (files), most recently modified first."""
        searcher, generation, visible = self._visible(principals)
        mask = visible.mask
        if site_id:
            mask &= generation.term(searcher, "site_id", site_id.lower())
        return self._listing(searcher, generation, "document", mask, limit, offset)

    def _listing(self, searcher: Searcher, generation: Generation, kind: str, mask: int,
                 limit: int, offset: int) -> Listing:
        bits = to_bits(mask, generation.size)
        wanted = max(0, offset) + max(0, limit)
        picked: list[int] = []
        for docnum in generation.newest(searcher, kind):
            if len(picked) >= wanted:
                break
            if bits[docnum >> 3] >> (docnum & 7) & 1:
                picked.append(docnum)
        docs = [from_stored(searcher.stored_fields(d)) for d in picked[max(0, offset):]]
        total = (mask & generation.term(searcher, "kind", kind)).bit_count()
        return Listing(total, docs)

    def search(self, query: str, principals: Iterable[str],
               filters: Mapping[str, Any] | None = None, sort: str = "relevance",
               page: int = 1, page_size: int = 10) -> SearchResults:
        """Search the visible items; facets count visible hits only.

        ``filters`` may hold ``site_id``, ``file_type``, ``kind`` (a value or a list) and
        ``modified_since`` (a datetime). ``sort`` is ``"relevance"`` or ``"newest"``.
        """
        page_size = min(max(1, page_size), MAX_PAGE_SIZE)
        page = min(max(1, page), MAX_RESULT_WINDOW // page_size)
        searcher, generation, visible = self._visible(principals)
        parsed = parse(query, searcher.reader())
        if parsed.query is None or not visible.count:
            return SearchResults(0, page=page, page_size=page_size)
        whoosh_query = And([parsed.query, *filter_queries(filters)])
        bits = visible.bits
        matched = [d for d in searcher.docs_for_query(whoosh_query)
                   if bits[d >> 3] >> (d & 7) & 1]
        window = page * page_size
        if sort == "newest":
            top = heapq.nsmallest(window, matched, key=generation.rank(searcher).__getitem__)
        else:
            results = searcher.search(whoosh_query, filter=visible, limit=window)
            top = [docnum for _, docnum in results.top_n]
        hits = []
        for docnum in top[(page - 1) * page_size:]:
            doc = from_stored(searcher.stored_fields(docnum))
            hits.append(Hit(doc, snippet_html(_snippet_text(doc), parsed.terms)))
        facets = self._facets(searcher, generation, matched)
        return SearchResults(len(matched), hits, facets, page, page_size)

    def _facets(self, searcher: Searcher, generation: Generation,
                matched: list[int]) -> dict[str, list[FacetCount]]:
        bits = bytearray(generation.size // 8 + 1)
        for docnum in matched:
            bits[docnum >> 3] |= 1 << (docnum & 7)
        hits = int.from_bytes(bits, "little")
        now = datetime.now()
        facets: dict[str, list[FacetCount]] = {
            "modified": [FacetCount(name, name, (hits & generation.modified_since(
                searcher, days, now)).bit_count()) for name, days in DATE_FACETS]}
        for facet, fieldname in (("site", "site_id"), ("type", "file_type")):
            counts = []
            for btext in searcher.reader().lexicon(fieldname):
                value = btext.decode("utf-8")
                shared = hits & generation.term(searcher, fieldname, value)
                if shared:
                    label = (generation.site_title(searcher, value, lowest_bit(shared))
                             if facet == "site" else value)
                    counts.append(FacetCount(value, label, shared.bit_count()))
            facets[facet] = sorted(counts, key=lambda c: (-c.count, c.label.lower()))
        return facets

    def suggest_titles(self, prefix: str, principals: Iterable[str],
                       limit: int = 8) -> list[TitleSuggestion]:
        """Titles of visible items whose words start with the typed words (type-ahead)."""
        words = [fold(m.group())[:PREFIX_MAX] for m in TOKEN_RE.finditer(clean(prefix))]
        words = [w for w in words[:8] if len(w) >= 2]
        searcher, _, visible = self._visible(principals)
        if not words or not visible.count:
            return []
        query = And([Term("title_prefix", w) for w in words])
        results = searcher.search(query, filter=visible, limit=max(1, min(limit, 50)))
        suggestions = []
        for hit in results:
            record = hit["record"]
            suggestions.append(TitleSuggestion(record["id"], record["title"], record["kind"],
                                               record["url"]))
        return suggestions

    def did_you_mean(self, query: str, principals: Iterable[str]) -> str | None:
        """A corrected query built only from words in items the user may see, or None."""
        searcher, _, visible = self._visible(principals)
        if not visible.count:
            return None

        def fix(word: str) -> str | None:
            lower = word.lower()
            if len(lower) < 3 or _any_visible(searcher, visible, word_query(stems(lower))):
                return None
            return _correction(searcher, visible, lower)

        suggestion = rewrite_words(query, fix)
        if suggestion is None:
            return None
        parsed = parse(suggestion, searcher.reader())
        if parsed.query is None or not _any_visible(searcher, visible, parsed.query):
            return None
        return suggestion


def _any_visible(searcher: Searcher, visible: Bitmap, query: Query) -> bool:
    return any(docnum in visible for docnum in searcher.docs_for_query(query))


def _keyboard_variants(word: str) -> list[str]:
    """The word with "ae", "oe" and "aa" also read as æ, ø and å (a keyboard without them)."""
    variants = {word}
    for typed, letter in (("ae", "æ"), ("oe", "ø"), ("aa", "å")):
        variants |= {v.replace(typed, letter) for v in variants}
    return sorted(variants)


def _correction(searcher: Searcher, visible: Bitmap, word: str) -> str | None:
    """The closest word of the visible items to ``word``; more visible items win ties."""
    max_distance = 1 if len(word) < 6 else 2
    best: tuple[int, int, str] | None = None
    for reader, offset in searcher.reader().leaf_readers():
        for variant in _keyboard_variants(word):
            for candidate in reader.terms_within("words", variant, max_distance, prefix=1):
                postings = reader.postings("words", candidate).all_ids()
                count = sum(1 for d in postings if d + offset in visible)
                key = (distance(candidate, variant), -count, candidate)
                if count and candidate != word and (best is None or key < best):
                    best = key
    return best[2] if best else None


def _snippet_text(doc: Document) -> str:
    return f"{doc.description}\n{doc.body}" if doc.description else doc.body


