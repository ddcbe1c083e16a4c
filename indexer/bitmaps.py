"""Per-generation bitmaps of document numbers: matching, ACL trimming, facets and date order.

Document numbers are stable within one index generation, so everything here is computed once
per generation (per Reader process) and dropped with it. A bitmap is a Python int with one bit
per document (12.5 KB at 100k documents): unions, intersections and counts run in C (``|``,
``&``, ``int.bit_count()``), and only the first use of a term walks its postings in Python.
A query is matched by combining the bitmaps of its terms; only phrases and date ranges are
matched by Whoosh (and cached too).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from functools import reduce
from operator import and_, or_
from typing import Any

from whoosh.query import And, AndNot, Or, Query, Term
from whoosh.searching import Searcher

VISIBLE_CACHE = 128  # principal sets per generation
TERM_CACHE = 2048  # term bitmaps per generation (at most 12.5 KB each at 100k documents)
QUERY_CACHE = 256  # phrase and date-range bitmaps per generation
_BITS = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]


def to_bits(mask: int, size: int) -> bytes:
    """The bitmap as bytes, so ``bits[d >> 3] >> (d & 7) & 1`` tests document ``d``."""
    return mask.to_bytes(size // 8 + 1, "little")


def docnums_of(mask: int) -> list[int]:
    """The document numbers in a bitmap, ascending."""
    docnums: list[int] = []
    for index, byte in enumerate(mask.to_bytes((mask.bit_length() + 7) // 8, "little")):
        if byte:
            base = index << 3
            docnums.extend(base + bit for bit in _BITS[byte])
    return docnums


def mask_of(docnums: Iterable[int], size: int) -> int:
    """The bitmap of some document numbers."""
    bits = bytearray(size // 8 + 1)
    for docnum in docnums:
        bits[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(bits, "little")


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


class Lru:
    """A small thread-safe LRU of computed values."""

    def __init__(self, size: int) -> None:
        self._size = size
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
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


class Generation:
    """Bitmaps and orders for one index generation; every searcher passed in must be on it."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._terms = Lru(TERM_CACHE)
        self._visible = Lru(VISIBLE_CACHE)
        self._queries = Lru(QUERY_CACHE)
        self._site_titles: dict[str, str] = {}
        self._columns: dict[str, list[int]] = {}
        self._order: list[int] | None = None

    def mask(self, searcher: Searcher, query: Query) -> int:
        """The bitmap of the documents Whoosh matches for ``query`` (uncached)."""
        return mask_of(searcher.docs_for_query(query), self.size)

    def term(self, searcher: Searcher, fieldname: str, text: str) -> int:
        """The (cached) bitmap of the documents holding one term."""
        key = (fieldname, text)
        return self._terms.get(key, lambda: self.mask(searcher, Term(fieldname, text)))

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
        return self._queries.get(repr(query), lambda: self.mask(searcher, query))

    def visible(self, searcher: Searcher, principals: frozenset[str]) -> Bitmap:
        """The (cached) documents whose ACL holds any of ``principals``."""

        def compute() -> Bitmap:
            masks = (self.term(searcher, "acl", p) for p in principals)
            return Bitmap(reduce(or_, masks, 0), self.size)

        return self._visible.get(principals, compute)

    def values(self, searcher: Searcher, fieldname: str) -> list[str]:
        """Every term of a field (the facet values), read once."""
        key = ("values", fieldname)
        return self._queries.get(key, lambda: [b.decode("utf-8")
                                               for b in searcher.reader().lexicon(fieldname)])

    def column(self, searcher: Searcher, fieldname: str) -> list[int]:
        """A column's raw value for every docnum (read per segment, once)."""
        if fieldname not in self._columns:
            values: list[int] = []
            for reader, _ in searcher.reader().leaf_readers():
                values.extend(reader.column_reader(fieldname, translate=False))
            self._columns[fieldname] = values
        return self._columns[fieldname]

    def mean(self, searcher: Searcher, fieldname: str) -> float:
        """The mean of a numeric column (the average field length), computed once."""

        def compute() -> float:
            values = self.column(searcher, fieldname)
            return sum(values) / len(values) if values else 0.0

        return self._queries.get(("mean", fieldname), compute)

    def order(self, searcher: Searcher) -> list[int]:
        """Every docnum, newest ``sort_date`` first."""
        if self._order is None:
            dates = self.column(searcher, "sort_date")
            self._order = sorted(range(len(dates)), key=dates.__getitem__, reverse=True)
        return self._order

    def newest(self, searcher: Searcher, mask: int, limit: int) -> list[int]:
        """Up to ``limit`` docnums of ``mask``, newest first."""
        bits = to_bits(mask, self.size)
        picked: list[int] = []
        if limit > 0 and mask:
            for docnum in self.order(searcher):
                if bits[docnum >> 3] >> (docnum & 7) & 1:
                    picked.append(docnum)
                    if len(picked) >= limit:
                        break
        return picked

    def site_title(self, searcher: Searcher, site_id: str, docnum: int) -> str:
        """The title of a site, read from one of its documents (``docnum``)."""
        if site_id not in self._site_titles:
            record = searcher.stored_fields(docnum)["record"]
            self._site_titles[site_id] = record.get("site_title") or site_id
        return self._site_titles[site_id]
