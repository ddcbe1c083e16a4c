"""A faster Whoosh segment writer: postings are written a term and a block at a time.

Whoosh's ``SegmentWriter`` passes each posting through a size-tracking external sorting pool
and then through several Python calls (about 30 µs a posting, 450 postings a document), and a
merge of segments reads every posting back one at a time the same way. This writer keeps the
postings of the documents it adds in memory (one batch), sorts them once, and hands each
term's postings to the W3 codec's postings writer as whole blocks; a merge streams the merged
segments term by term and copies each term's postings block by block, with the document
numbers remapped and deleted documents left out. The files are the W3 codec's own, byte for
byte what Whoosh writes, and Whoosh reads them unchanged.

It relies on the W3 codec's postings writer and reader internals (``whoosh-reloaded`` is pinned
to 2.7.x); tests/indexer/test_index.py compares its segments with Whoosh's own.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any

from whoosh.codec.whoosh3 import W3FieldWriter, W3PostingsWriter
from whoosh.fields import Schema
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

Postings = tuple[list[int], list[float], list[Any]]
_TERM = itemgetter(0, 1)


class FastWriter(SegmentWriter):
    """A ``SegmentWriter`` whose postings go to disk in blocks (see the module docstring).

    Field lengths are not written, so no field of the schema may be scorable.
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        scorable = sorted(name for name, field in self.schema.items() if field.scorable)
        if scorable:
            self.cancel()
            raise ValueError(f"FastWriter writes no field lengths; scorable: {scorable}")
        self.pool = _Pool(self.storage, self.schema)

    def add_postings_to_pool(self, reader: SegmentReader, startdoc: int,
                             docmap: dict[int, int] | None) -> None:
        """Remember a segment being merged; its postings are copied when the segment is
        written."""
        self.pool.add_segment(reader.segment(), startdoc, docmap)

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        self.pool.write(self.fieldwriter)
        self.fieldwriter.close()


class _Pool:
    """The postings of a segment being written: new documents' and merged segments'."""

    def __init__(self, storage: Any, schema: Schema) -> None:
        self._storage, self._schema = storage, schema
        self._new: list[tuple[str, bytes, int, float, bytes]] = []
        self.add = self._new.append  # (fieldname, term, docnum, weight, value), per posting
        self._segments: list[tuple[SegmentReader, int, dict[int, int] | None]] = []

    def add_segment(self, segment: Any, startdoc: int, docmap: dict[int, int] | None) -> None:
        """A segment to merge: its documents were renumbered from ``startdoc`` (or, when it
        has deletions, by ``docmap``, which leaves out the deleted ones)."""
        reader = SegmentReader(self._storage, self._schema, segment)
        self._segments.append((reader, startdoc, docmap))

    def cleanup(self) -> None:
        """Close the readers of the merged segments."""
        for reader, _, _ in self._segments:
            reader.close()
        self._segments = []

    def write(self, fieldwriter: W3FieldWriter) -> None:
        """Write every term's postings, in field and term order."""
        streams = [self._new_terms()]
        streams += [_segment_terms(reader, order, startdoc, docmap)
                    for order, (reader, startdoc, docmap) in enumerate(self._segments, 1)]
        field = None
        for (fieldname, btext), sources in groupby(heapq.merge(*streams), key=_TERM):
            postings = _concatenate(load() for _, _, _, load in sources)
            if not postings[0]:
                continue  # every posting was of a deleted document
            if fieldname != field:
                if field is not None:
                    fieldwriter.finish_field()
                field = fieldname
                fieldwriter.start_field(fieldname, self._schema[fieldname])
            fieldwriter.start_term(btext)
            _add_blocks(fieldwriter._postwriter, *postings)
            fieldwriter.finish_term()
        if field is not None:
            fieldwriter.finish_field()

    def _new_terms(self) -> Iterator[tuple[str, bytes, int, Any]]:
        """The added documents' terms in order. Documents are added in docnum order, so each
        term's postings are too: grouping them needs no sort of the postings themselves."""
        terms: dict[tuple[str, bytes], Postings] = {}
        for fieldname, btext, docnum, weight, value in self._new:
            postings = terms.get((fieldname, btext))
            if postings is None:
                terms[fieldname, btext] = postings = ([], [], [])
            postings[0].append(docnum)
            postings[1].append(weight)
            postings[2].append(value)
        self._new.clear()
        for (fieldname, btext), postings in sorted(terms.items()):
            yield fieldname, btext, 0, lambda postings=postings: postings


def _segment_terms(reader: SegmentReader, order: int, startdoc: int,
                   docmap: dict[int, int] | None) -> Iterator[tuple[str, bytes, int, Any]]:
    """The terms of a merged segment in order, each with a loader of its postings."""
    schema = reader.schema
    for fieldname in sorted(n for n in reader.indexed_field_names() if n in schema):
        for btext in reader.lexicon(fieldname):
            def load(fieldname: str = fieldname, btext: bytes = btext) -> Postings:
                return _segment_postings(reader, fieldname, schema[fieldname], btext, startdoc,
                                         docmap)
            yield fieldname, btext, order, load


def _segment_postings(reader: SegmentReader, fieldname: str, fieldobj: Any, btext: bytes,
                      startdoc: int, docmap: dict[int, int] | None) -> Postings:
    """A term's postings in a merged segment, renumbered, read a block at a time."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[Any] = []
    matcher = reader._terms.matcher(fieldname, btext, fieldobj.format)  # deletions included
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        matcher._read_values()
        if docmap is None:
            ids += [startdoc + docnum for docnum in matcher._ids]
            weights += matcher._weights
            values += matcher._values
        else:
            for docnum, weight, value in zip(matcher._ids, matcher._weights, matcher._values,
                                             strict=True):
                if docnum in docmap:
                    ids.append(docmap[docnum])
                    weights.append(weight)
                    values.append(value)
        matcher._next_block()
    return ids, weights, values


def _concatenate(parts: Iterator[Postings]) -> Postings:
    parts = list(parts)
    if len(parts) == 1:
        return parts[0]
    ids: list[int] = []
    weights: list[float] = []
    values: list[Any] = []
    for part_ids, part_weights, part_values in parts:
        ids += part_ids
        weights += part_weights
        values += part_values
    return ids, weights, values


def _add_blocks(writer: W3PostingsWriter, ids: list[int], weights: list[float],
                values: list[Any]) -> None:
    """Hand a term's postings to the postings writer as whole blocks, exactly as its
    ``add_posting`` would fill them: full blocks are written now, the last one when the term
    is finished."""
    size = writer._blocklimit
    for start in range(0, len(ids), size):
        if writer._ids:
            writer._write_block()
        block_weights = weights[start:start + size]
        writer._ids = array("I", ids[start:start + size])
        writer._weights = array("f", block_weights)
        writer._values = [v for v in values[start:start + size] if v]
        writer._maxweight = max(0, *block_weights)
