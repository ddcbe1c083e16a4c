"""Damage and failed writes of the Whoosh index: checking segments when the index is opened,
and abandoning a writer whose write failed half-way (a full disk)."""

from __future__ import annotations

import io
import warnings
from contextlib import suppress
from types import ModuleType
from typing import Any

from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter


class IndexUnavailable(Exception):
    """The index directory is missing, unreadable, corrupt or from another schema version."""


class IndexCorrupt(IndexUnavailable):
    """The index directory holds an index whose files are damaged or missing."""


def check_segments(searcher: Searcher) -> None:
    """Read the first and last document of every segment: damaged stored fields, id columns,
    term files and tables of contents raise. (Postings and the sort and length columns are
    not checked: that would cost a read of the whole index.)
    """
    for reader, _ in searcher.reader().leaf_readers():
        count = reader.doc_count_all()
        if not count:
            continue
        if not reader.has_column("id"):
            raise IndexCorrupt(f"segment {reader.segment()} has lost its id column")
        ids = reader.column_reader("id")
        for docnum in {0, count - 1}:
            if reader.stored_fields(docnum).get("id") != ids[docnum]:
                raise IndexCorrupt(f"segment {reader.segment()} has damaged stored fields")


def abandon(writer: SegmentWriter) -> None:
    """Cancel ``writer`` even after a failed write: close what it opened, release the write
    lock and delete the files of its unfinished segment (they would only take space)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        for step in (writer.perdocwriter.close, writer.fieldwriter.close, writer.pool.cleanup):
            with suppress(Exception):  # Whoosh's half-closed files raise many types
                step()
        _close_files(writer)
        writer._finish()  # what cancel() ends with: the temp files go, the lock is released
    prefix = writer.newsegment.segment_id() + "."
    for name in writer.storage.list():
        if name.startswith(prefix):
            with suppress(OSError):
                writer.storage.delete_file(name)


def _close_files(writer: SegmentWriter) -> None:
    """Close the files still open in the writer's parts (a failed close leaves some)."""
    seen: set[int] = set()
    todo: list[Any] = [writer.perdocwriter, writer.fieldwriter, writer.pool]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, io.IOBase):
            with suppress(Exception):
                obj.close()
        elif isinstance(obj, list | tuple | set):
            todo.extend(obj)
        elif isinstance(obj, dict):
            todo.extend(obj.values())
        elif hasattr(obj, "__dict__") and not isinstance(obj, type | ModuleType):
            todo.extend(vars(obj).values())
