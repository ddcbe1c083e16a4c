"""Per-generation bitmaps of document numbers: matching, ACL trimming, facets and date order.

Document numbers are stable within one index generation, so everything here is computed once
per generation (per Reader process) and dropped with it; what is costly to read from disk
(postings, columns, vocabularies, phrase matches) comes from per-segment caches
(indexer.segments) that outlive generations. A bitmap is a Python int with one bit per
document (12.5 KB at 100k documents): unions, intersections and counts run in C (``|``,
``&``, ``int.bit_count()``). A term's postings are read once, a whole block at a time, into
numpy arrays (kept for ranking too); its bitmap is made from them. A query is matched by
combining the bitmaps of its terms; date ranges are read from the date columns, and only
phrases are matched by Whoosh (each cached too).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import reduce
from operator import and_, or_
from typing import TYPE_CHECKING, Any

import numpy as np
from whoosh.query import And, AndNot, DateRange, Or, Query, Term
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

if TYPE_CHECKING:
    from indexer.segments import SegmentCache
    from indexer.spelling import Vocabulary

VISIBLE_CACHE = 128  # principal sets per generation
TERM_CACHE = 2048  # term bitmaps per generation (at most 12.5 KB each at 100k documents)
QUERY_CACHE = 256  # phrase and date-range bitmaps per generation
POSTINGS_BYTES = 48 << 20  # decoded postings per generation (8 bytes a posting)
SCORES_BYTES = 32 << 20  # per-posting term scores per generation (8 bytes a posting)


def to_bits(mask: int, size: int) -> bytes:
    """The bitmap as bytes, so ``bits[d >> 3] >> (d & 7) & 1`` tests document ``d``."""
    return mask.to_bytes(size // 8 + 1, "little")


def flags_of(mask: int, size: int) -> np.ndarray:
    """The bitmap as one boolean per document."""
    raw = np.frombuffer(to_bits(mask, size), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].view(bool)


def docnums_of(mask: int, size: int) -> np.ndarray:
    """The document numbers in a bitmap, ascending."""
    return np.flatnonzero(flags_of(mask, size))


def mask_of(docnums: Any, size: int) -> int:
    """The bitmap of some document numbers (a sequence or an array)."""
    flags = np.zeros(size, dtype=bool)
    flags[np.asarray(docnums, dtype=np.int64)] = True
    return mask_of_flags(flags)


def mask_of_flags(flags: np.ndarray) -> int:
    """The bitmap of a boolean per document."""
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def lowest_bit(mask: int) -> int:
    """The smallest document number in a non-empty bitmap."""
    return (mask & -mask).bit_length() - 1


class Bitmap:
    """A set of document numbers, one bit each, with its bytes for fast membership tests."""

    def __init__(self, mask: int, size: int) -> None:
        self.mask = mask
        self.bits = to_bits(mask, size)
        self.count = mask.bit_count()

    def __contains__(self, docnum: int) -> bool:
        return bool(self.bits[docnum >> 3] >> (docnum & 7) & 1)


class Postings:
    """A term's postings over the whole index: document numbers (deleted ones included) and
    weights (the term's frequency times the field boost)."""

    def __init__(self, docnums: np.ndarray, weights: np.ndarray) -> None:
        self.docnums = docnums
        self.weights = weights

    @property
    def nbytes(self) -> int:
        """The memory the arrays take."""
        return self.docnums.nbytes + self.weights.nbytes

    @classmethod
    def empty(cls) -> Postings:
        """No postings (a term the index does not hold)."""
        return cls(np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32))


class Lru:
    """A small thread-safe LRU of computed values, bounded by their total ``cost``."""

    def __init__(self, capacity: int, cost: Callable[[Any], int] = lambda value: 1) -> None:
        self._capacity = capacity
        self._cost = cost
        self._total = 0
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value for ``key``, computed (outside the lock) on a miss."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            if key not in self._items:
                self._items[key] = value
                self._total += self._cost(value)
            while self._total > self._capacity and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._total -= self._cost(dropped)
        return value

    def discard(self, unwanted: Callable[[Hashable], bool]) -> None:
        """Drop every value whose key is ``unwanted``."""
        with self._lock:
            for key in [key for key in self._items if unwanted(key)]:
                self._total -= self._cost(self._items.pop(key))


class Generation:
    """Bitmaps and orders for one index generation; every searcher passed in must be on it."""

    def __init__(self, size: int, segments: SegmentCache) -> None:
        self.size = size
        self.segments = segments
        self._terms = Lru(TERM_CACHE)
        self._postings = Lru(POSTINGS_BYTES, lambda postings: postings.nbytes)
        self._scored = Lru(SCORES_BYTES, lambda scores: scores.nbytes)
        self._visible = Lru(VISIBLE_CACHE)
        self._queries = Lru(QUERY_CACHE)
        self._site_titles: dict[str, str] = {}
        self._derived: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def mask(self, searcher: Searcher, query: Query) -> int:
        """The bitmap of the documents Whoosh matches for ``query`` (cached per segment)."""
        return mask_of_flags(self.segments.matches(searcher, query, self.live_flags(searcher)))

    def postings(self, searcher: Searcher, fieldname: str, text: str) -> Postings:
        """A term's (cached) postings, read a block at a time."""
        return self._postings.get((fieldname, text), lambda: self.segments.postings(
            searcher.reader().leaf_readers(), fieldname, text))

    def scored(self, key: Hashable, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """A term's (cached) score per posting, as ``compute`` gives it."""
        return self._scored.get(key, compute)

    def term(self, searcher: Searcher, fieldname: str, text: str) -> int:
        """The (cached) bitmap of the live documents holding one term."""

        def compute() -> int:
            postings = self.postings(searcher, fieldname, text)
            return mask_of(postings.docnums, self.size) & self.live(searcher)

        return self._terms.get((fieldname, text), compute)

    def match(self, searcher: Searcher, query: Query) -> int:
        """The bitmap of the documents matching ``query``, from term bitmaps where possible."""
        if isinstance(query, Term):
            return self.term(searcher, query.fieldname, query.text)
        if isinstance(query, Or):
            return reduce(or_, (self.match(searcher, q) for q in query.subqueries), 0)
        if isinstance(query, And):
            return reduce(and_, (self.match(searcher, q) for q in query.subqueries), -1)
        if isinstance(query, AndNot):
            return self.match(searcher, query.a) & ~self.match(searcher, query.b)
        if isinstance(query, DateRange):
            return self._queries.get(repr(query), lambda: self._dates(searcher, query))
        return self._queries.get(repr(query), lambda: self.mask(searcher, query))

    def _dates(self, searcher: Searcher, query: DateRange) -> int:
        """The live documents whose date column lies in the range (dates are not terms)."""
        values = self.column(searcher, query.fieldname)
        inside = np.ones(self.size, dtype=bool)
        if query.start is not None:
            inside &= values >= query.start if not query.startexcl else values > query.start
        if query.end is not None:
            inside &= values <= query.end if not query.endexcl else values < query.end
        return mask_of_flags(inside) & self.live(searcher)

    def derived(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """A value derived from the whole generation (a column, an order), computed once."""
        with self._lock:
            if key in self._derived:
                return self._derived[key]
        value = compute()
        with self._lock:
            return self._derived.setdefault(key, value)

    def live_flags(self, searcher: Searcher) -> np.ndarray:
        """One boolean per document: True if it is not deleted."""
        return self.derived("live flags", lambda: _live_flags(
            searcher.reader().leaf_readers(), self.size))

    def live(self, searcher: Searcher) -> int:
        """Every document that is not deleted."""
        return self.derived("live", lambda: mask_of_flags(self.live_flags(searcher)))

    def visible(self, searcher: Searcher, principals: frozenset[str]) -> Bitmap:
        """The (cached) documents whose ACL holds any of ``principals``."""

        def compute() -> Bitmap:
            masks = (self.term(searcher, "acl", p) for p in principals)
            return Bitmap(reduce(or_, masks, 0), self.size)

        return self._visible.get(principals, compute)

    def values(self, searcher: Searcher, fieldname: str) -> list[str]:
        """Every term of a field (the facet values), read once."""
        return self.derived(("values", fieldname), lambda: [
            b.decode("utf-8") for b in searcher.reader().lexicon(fieldname)])

    def column(self, searcher: Searcher, fieldname: str) -> np.ndarray:
        """A numeric column's raw value for every docnum (assembled from cached segments)."""
        return self.derived(("column", fieldname), lambda: self.segments.column(
            searcher.reader().leaf_readers(), fieldname))

    def vocabularies(self, searcher: Searcher, fieldname: str) -> list[Vocabulary]:
        """The spelling vocabulary of ``fieldname`` in each segment (cached per segment)."""
        return self.derived(("vocabularies", fieldname), lambda: self.segments.vocabularies(
            searcher.reader().leaf_readers(), fieldname))

    def mean(self, searcher: Searcher, fieldname: str) -> float:
        """The mean of a numeric column (the average field length), computed once."""

        def compute() -> float:
            values = self.column(searcher, fieldname)
            return sum(values.tolist()) / len(values) if len(values) else 0.0

        return self.derived(("mean", fieldname), compute)

    def order(self, searcher: Searcher) -> np.ndarray:
        """Every docnum, newest ``sort_date`` first (equal dates: lower docnum first)."""
        return self.derived("order", lambda: np.argsort(
            -self.column(searcher, "sort_date"), kind="stable"))

    def rank(self, searcher: Searcher) -> np.ndarray:
        """Each docnum's place in :meth:`order`."""

        def compute() -> np.ndarray:
            rank = np.empty(self.size, dtype=np.int64)
            rank[self.order(searcher)] = np.arange(self.size)
            return rank

        return self.derived("rank", compute)

    def newest(self, searcher: Searcher, mask: int, limit: int) -> list[int]:
        """Up to ``limit`` docnums of ``mask``, newest first."""
        if limit <= 0 or not mask:
            return []
        order = self.order(searcher)
        return order[flags_of(mask, self.size)[order]][:limit].tolist()

    def site_title(self, searcher: Searcher, site_id: str, docnum: int) -> str:
        """The title of a site, read from one of its documents (``docnum``)."""
        if site_id not in self._site_titles:
            record = searcher.stored_fields(docnum)["record"]
            self._site_titles[site_id] = record.get("site_title") or site_id
        return self._site_titles[site_id]


def _live_flags(leaves: list[tuple[IndexReader, int]], size: int) -> np.ndarray:
    """One boolean per document: False where the document's segment has deleted it."""
    flags = np.ones(size, dtype=bool)
    for reader, offset in leaves:
        segment = reader.segment()
        if segment is None:
            flags[offset:offset + reader.doc_count_all()] = [
                not reader.is_deleted(d) for d in range(reader.doc_count_all())]
        elif segment.has_deletions():
            deleted = np.fromiter(segment.deleted_docs(), dtype=np.int64)
            flags[deleted + offset] = False
    return flags
