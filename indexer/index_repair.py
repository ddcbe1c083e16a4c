"""Damage and failed writes of the Whoosh index: checking segments when the index is opened
(a commit landing meanwhile, which may delete files the check reads, is not damage), opening
every file of a searcher at once, and abandoning a writer whose write failed half-way (a full
disk)."""

from __future__ import annotations

import io
import warnings
from contextlib import suppress
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from whoosh import index as whoosh_index
from whoosh.index import FileIndex
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


class Checked(NamedTuple):
    """One look at an index directory: the index, the generation its check read, its meta
    document, and what is wrong with it ("" if nothing)."""

    ix: FileIndex | None
    generation: int | None
    meta: dict | None
    problem: str


def open_checked(path: Path, meta_id: str) -> Checked:
    """Open the index at ``path`` and check that its latest commit can be read (``meta_id``:
    the id of its meta document)."""
    ix = generation = None
    with warnings.catch_warnings():  # Whoosh leaves a damaged file open: close it quietly
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = whoosh_index.open_dir(str(path))
            with ix.searcher() as searcher:
                generation = searcher.reader().generation()
                meta = searcher.document(id=meta_id)
                check_segments(searcher)
        except PermissionError as exc:
            raise IndexUnavailable(f"the search index at {path} cannot be read: {exc}") from exc
        except Exception as exc:  # Whoosh raises many types for a damaged index
            return Checked(ix, generation, None, repr(exc))
    return Checked(ix, generation, meta, "")


def committed_since(checked: Checked) -> bool:
    """Whether a commit landed after that look (or it could not tell which commit it read)."""
    if checked.ix is None or checked.generation is None:
        return True
    try:
        return checked.ix.latest_generation() != checked.generation
    except OSError:
        return True


def open_every_file(searcher: Searcher) -> None:
    """Open each segment's stored fields, columns and field lengths."""
    schema = searcher.schema
    for reader, _ in searcher.reader().leaf_readers():
        if not reader.doc_count_all():
            continue
        reader.stored_fields(0)
        for name, field in schema.items():
            if field.column_type is not None:
                reader.column_reader(name)
            if field.scorable:
                reader.doc_field_length(0, name)
