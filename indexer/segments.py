"""Per-segment caches of what is costly to read: postings, columns, vocabularies, phrase matches.

A Whoosh segment never changes once written, apart from its set of deleted documents, and a
typical indexer commit adds one small segment beside the big ones. So what is read from a
segment is cached per segment (its id and size) and shared by every generation that holds the
segment: after a commit only the new segment is read, and each generation's arrays are
assembled from the parts with numpy (document numbers offset by the segment's place). The
cache is bounded in bytes, and the parts of segments no longer in the index are dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

import numpy as np
from whoosh.columns import NumericColumn
from whoosh.query import Query
from whoosh.reading import IndexReader, TermNotFound
from whoosh.searching import Searcher

from indexer.bitmaps import Lru, Postings
from indexer.spelling import Vocabulary

SEGMENT_BYTES = 96 << 20  # all the per-segment parts one Reader keeps


def segment_key(reader: IndexReader) -> Hashable | None:
    """A leaf reader's segment as a cache key (None if it has no segment: nothing is cached)."""
    segment = reader.segment()
    return None if segment is None else (segment.segment_id(), segment.doc_count_all())


class SegmentCache:
    """The parts read from each segment, shared by a Reader's generations (thread-safe)."""

    def __init__(self, capacity: int = SEGMENT_BYTES) -> None:
        self._parts = Lru(capacity, _nbytes)

    def retain(self, leaves: Iterable[tuple[IndexReader, int]]) -> None:
        """Drop the parts of every segment not among ``leaves`` (the index's current ones)."""
        keep = {segment_key(reader) for reader, _ in leaves}
        self._parts.discard(lambda key: key[0] not in keep)

    def _part(self, reader: IndexReader, what: Hashable, compute: Callable[[], Any]) -> Any:
        key = segment_key(reader)
        return compute() if key is None else self._parts.get((key, what), compute)

    def postings(self, leaves: list[tuple[IndexReader, int]], fieldname: str,
                 text: str) -> Postings:
        """A term's postings over all ``leaves`` (deleted documents included)."""
        parts = [(self._part(r, ("postings", fieldname, text),
                             lambda r=r: _segment_postings(r, fieldname, text)), offset)
                 for r, offset in leaves]
        parts = [(p, offset) for p, offset in parts if len(p.docnums)]
        if not parts:
            return Postings.empty()
        docnums = np.concatenate([p.docnums.astype(np.int64) + offset for p, offset in parts])
        return Postings(docnums.astype(np.int32), np.concatenate([p.weights for p, _ in parts]))

    def column(self, leaves: list[tuple[IndexReader, int]], fieldname: str) -> np.ndarray:
        """A numeric column's raw value for every document of ``leaves``, as int64."""
        parts = [self._part(r, ("column", fieldname), lambda r=r: _segment_column(r, fieldname))
                 for r, _ in leaves]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def matches(self, searcher: Searcher, query: Query, live: np.ndarray) -> np.ndarray:
        """One boolean per document: whether Whoosh matches ``query`` (a phrase) for it and it
        is ``live``. Each segment's matches are cached: they still hold after more deletions."""
        flags = np.zeros(len(live), dtype=bool)
        for sub, offset in searcher.subsearchers or [(searcher, 0)]:
            key = segment_key(sub.reader())
            if key is None:
                part = _matches(sub, query)
            else:
                what = (key, ("matches", repr(query)))
                part = self._parts.get(what, lambda s=sub: _matches(s, query))
                if live[part.deleted + offset].any():  # a deletion undone: read again
                    self._parts.discard(lambda k, w=what: k == w)
                    part = self._parts.get(what, lambda s=sub: _matches(s, query))
            flags[part.docnums + offset] = True
        return flags & live

    def vocabularies(self, leaves: list[tuple[IndexReader, int]],
                     fieldname: str) -> list[Vocabulary]:
        """The vocabulary of ``fieldname`` in each segment of ``leaves``."""
        return [self._part(r, ("vocabulary", fieldname), lambda r=r: Vocabulary.of(r, fieldname))
                for r, _ in leaves]


class Matches:
    """The documents of one segment a query matched, and the segment's deletions then (the
    matches leave deleted documents out, so they hold only while no deletion is undone)."""

    def __init__(self, docnums: np.ndarray, deleted: np.ndarray) -> None:
        self.docnums = docnums
        self.deleted = deleted

    @property
    def nbytes(self) -> int:
        """The memory the arrays take."""
        return self.docnums.nbytes + self.deleted.nbytes


def _matches(searcher: Searcher, query: Query) -> Matches:
    segment = searcher.reader().segment()
    deleted = [] if segment is None else list(segment.deleted_docs())
    return Matches(np.fromiter(query.docs(searcher), dtype=np.int64),
                   np.array(deleted, dtype=np.int64))


def within(vocabularies: list[Vocabulary], word: str, max_distance: int) -> list[str]:
    """The words of any of the vocabularies near ``word`` (see :meth:`Vocabulary.within`)."""
    return sorted({w for v in vocabularies for w in v.within(word, max_distance)})


def _nbytes(value: Any) -> int:
    return int(value.nbytes)


def _segment_postings(reader: IndexReader, fieldname: str, text: str) -> Postings:
    """A term's postings in one segment, read a whole block at a time.

    This reads the blocks of Whoosh's W3 codec directly (whoosh-reloaded is pinned to 2.7.x):
    the public matcher API costs several Python calls per posting. Deleted documents are kept
    (bitmaps leave them out with the generation's live documents).
    """
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return Postings.empty()
    matcher = getattr(matcher, "child", matcher)  # unwrap the deleted-documents filter
    docnums: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    while matcher.is_active():
        docnums.append(_block_docnums(matcher))
        matcher._read_weights()
        weights.append(np.asarray(matcher._weights, dtype=np.float32))
        matcher._next_block()
    if not docnums:
        return Postings.empty()
    return Postings(np.concatenate(docnums).astype(np.int32), np.concatenate(weights))


def _block_docnums(matcher: Any) -> np.ndarray:
    """The document numbers of a postings block: stored as the gaps between them, summed here
    with numpy (Whoosh sums them one Python step at a time)."""
    if matcher._data is None:
        matcher._read_data()
    stored = np.asarray(matcher._data[0], dtype=np.int64)
    return stored if matcher._byteids else np.cumsum(stored)


def _segment_column(reader: IndexReader, fieldname: str) -> np.ndarray:
    """A numeric column of one segment as int64.

    A numeric column file is the values as fixed-width big-endian numbers, one per document
    up to the last with a value other than the default: read in one piece here, as Whoosh's
    reader unpacks them one Python call at a time.
    """
    column = reader.column_reader(fieldname, translate=False)
    if not isinstance(column, NumericColumn.Reader):  # no column file: the default everywhere
        return np.array(list(column), dtype=np.int64)
    return _numeric_values(column).astype(np.int64)


def _numeric_values(column: NumericColumn.Reader) -> np.ndarray:
    """Every document's value in a numeric column (those after the last stored: the default)."""
    dtype = np.dtype(">" + column._typecode)
    stored = min(column._count, column._doccount)
    values = np.frombuffer(column._dbfile.get(column._basepos, stored * dtype.itemsize),
                           dtype=dtype)
    defaults = np.full(column._doccount - stored, column._default, dtype=dtype)
    return np.concatenate([values, defaults])
