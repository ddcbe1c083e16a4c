"""Per-generation bitmaps of document numbers: the ACL trimming cache, facets, date order.

Document numbers are stable within one index generation, so everything here is computed once
per generation and dropped with it. A bitmap is a Python int (one bit per document: 12.5 KB
at 100k documents); intersections and counts run in C (``&`` and ``int.bit_count()``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any

from whoosh.idsets import DocIdSet
from whoosh.query import DateRange, Query, Term
from whoosh.searching import Searcher

VISIBLE_CACHE = 128  # principal sets per generation
TERM_CACHE = 4096  # per-term bitmaps (principals, sites, types, audiences) per generation


class Bitmap(DocIdSet):
    """A set of document numbers as one bit each; usable as Whoosh's ``filter=``."""

    def __init__(self, mask: int, size: int) -> None:
        self.mask = mask
        self.bits = to_bits(mask, size)
        self.count = mask.bit_count()

    def __contains__(self, docnum: int) -> bool:
        return bool(self.bits[docnum >> 3] >> (docnum & 7) & 1)

    def __len__(self) -> int:
        return self.count


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
        self._other = Lru(64)
        self._site_titles: dict[str, str] = {}

    def mask(self, searcher: Searcher, query: Query) -> int:
        """The bitmap of the documents matching ``query``."""
        bits = bytearray(self.size // 8 + 1)
        for docnum in searcher.docs_for_query(query):
            bits[docnum >> 3] |= 1 << (docnum & 7)
        return int.from_bytes(bits, "little")

    def term(self, searcher: Searcher, fieldname: str, text: str) -> int:
        """The (cached) bitmap of the documents holding one term."""
        key = (fieldname, text)
        return self._terms.get(key, lambda: self.mask(searcher, Term(fieldname, text)))

    def visible(self, searcher: Searcher, principals: frozenset[str]) -> Bitmap:
        """The (cached) documents whose ACL holds any of ``principals``."""

        def compute() -> Bitmap:
            masks = (self.term(searcher, "acl", p) for p in principals)
            return Bitmap(reduce(or_, masks, 0), self.size)

        return self._visible.get(principals, compute)

    def modified_since(self, searcher: Searcher, days: int, now: datetime) -> int:
        """The documents modified in the ``days`` before ``now`` (to the hour; naive UTC)."""
        hour = now.replace(minute=0, second=0, microsecond=0, tzinfo=None)
        query = DateRange("modified", hour - timedelta(days=days), None)
        return self._other.get(("modified", days, hour), lambda: self.mask(searcher, query))

    def rank(self, searcher: Searcher) -> list[int]:
        """Each docnum's place when every document is ordered newest first."""
        return self._other.get("rank", lambda: rank_by_date(searcher))

    def newest(self, searcher: Searcher, kind: str) -> list[int]:
        """The docnums of one kind, newest first."""

        def compute() -> list[int]:
            docnums = searcher.docs_for_query(Term("kind", kind))
            return sorted(docnums, key=self.rank(searcher).__getitem__)

        return self._other.get(("newest", kind), compute)

    def site_title(self, searcher: Searcher, site_id: str, docnum: int) -> str:
        """The title of a site, read from one of its documents (``docnum``)."""
        if site_id not in self._site_titles:
            record = searcher.stored_fields(docnum)["record"]
            self._site_titles[site_id] = record.get("site_title") or site_id
        return self._site_titles[site_id]


def rank_by_date(searcher: Searcher) -> list[int]:
    """Each docnum's place in the order of ``sort_date``, newest first (read per segment)."""
    dates: list[int] = []
    for reader, _ in searcher.reader().leaf_readers():
        dates.extend(reader.column_reader("sort_date", translate=False))
    order = sorted(range(len(dates)), key=dates.__getitem__, reverse=True)
    rank = [0] * len(dates)
    for place, docnum in enumerate(order):
        rank[docnum] = place
    return rank


def to_bits(mask: int, size: int) -> bytes:
    """The bitmap as bytes, so ``bits[d >> 3] >> (d & 7) & 1`` tests document ``d``."""
    return mask.to_bytes(size // 8 + 1, "little")


def lowest_bit(mask: int) -> int:
    """The smallest document number in a non-empty bitmap."""
    return (mask & -mask).bit_length() - 1


