"""The Whoosh index: opening and creating it, the writer, checkpoints, and reading records back.

One batch is one Whoosh commit. Sync checkpoints are stored *in* the index as special
documents (kind ``checkpoint``, empty ACL, so nobody can ever see them), which makes a change
token and the changes it covers one atomic commit: after a crash at any moment the index holds
either the whole batch with its checkpoint, or neither. (Whoosh writes a commit's segment files
first and then renames a new table of contents into place.)

Writers use ``compound=False`` (see shared/reference/whoosh.md): a compound segment is copied
into memory by every reader. The schema and the field boosts are in indexer.schema.

Opening checks each segment's table of contents, terms, stored fields and id column (first and
last document), so a damaged index is reported as :class:`IndexCorrupt`. The indexer
(:meth:`SearchIndex.open_or_create`) then logs it and creates the index again, empty, under a
higher generation than the damaged one (readers key their caches by generation); the sync that
follows finds no checkpoints and rebuilds everything with a full sync.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex, LockError
from whoosh.query import Or, Term
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from indexer.document import Document
from indexer.index_repair import (
    IndexCorrupt,
    IndexUnavailable,
    abandon,
    committed_since,
    open_checked,
    open_every_file,
)
from indexer.schema import CODEC, SCHEMA_VERSION, build_schema, from_stored, to_fields
from indexer.writer import FastWriter

CHECKPOINT_KIND = "checkpoint"
META_KIND = "meta"
META_ID = "#meta"
LOCK_TIMEOUT = 5.0
OPEN_ATTEMPTS = 3
_STALE_TOC = re.compile(r"^_MAIN_\d+\.toc\.[\d.]+$")
_COMMITTED_TOC = re.compile(r"^_MAIN_(\d+)\.toc$")
_INDEX_FILE = re.compile(r"^_?MAIN_")  # every file Whoosh keeps in an index directory
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}
INDEX_NAME = "MAIN"
log = logging.getLogger(__name__)
Read = TypeVar("Read")


class IndexWriteFailed(Exception):
    """A commit could not be written (the disk is full); the index is as it was before."""


class IndexLocked(Exception):
    """Another writer (another indexer process) holds the index's write lock."""


class Changes:
    """Changes collected inside ``with index.batch() as batch:``, committed as one by the
    backend's batch (its ``apply``)."""

    def __init__(self) -> None:
        self._docs: dict[str, Document | None] = {}
        self._checkpoints: dict[str, str | None] = {}

    def upsert(self, doc: Document) -> None:
        """Add or replace a document (the last change to an id in a batch wins)."""
        self._docs[doc.id] = doc

    def delete(self, doc_id: str) -> None:
        """Remove a document if it is there."""
        self._docs[doc_id] = None

    def set_checkpoint(self, key: str, value: dict[str, Any]) -> None:
        """Store a sync checkpoint (a JSON object) in the same commit as the changes."""
        if not key:
            raise ValueError("a checkpoint needs a key")
        self._checkpoints[key] = json.dumps(value, sort_keys=True)

    def delete_checkpoint(self, key: str) -> None:
        """Remove a sync checkpoint in the same commit as the changes."""
        self._checkpoints[key] = None

    def __len__(self) -> int:
        return len(self._docs) + len(self._checkpoints)


class Batch(Changes):
    """A Whoosh commit's changes."""

    def apply(self, writer: SegmentWriter) -> None:
        """Hand every change to the Whoosh writer (before its commit)."""
        for doc_id, doc in self._docs.items():
            if doc is None:
                writer.delete_by_term("id", doc_id)
            else:
                writer.update_document(**to_fields(doc))
        for key, value in self._checkpoints.items():
            if value is None:
                writer.delete_by_term("id", f"#checkpoint:{key}")
                continue
            writer.update_document(
                id=f"#checkpoint:{key}", kind=CHECKPOINT_KIND,
                record={"key": key, "value": value})


class SearchIndex:
    """A Whoosh index directory: create or open it, write batches, read records back."""

    def __init__(self, ix: FileIndex, path: Path) -> None:
        self.ix = ix
        self.path = path

    @classmethod
    def create(cls, path: str | Path) -> SearchIndex:
        """Create an empty index at ``path`` (replacing any index there)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        return cls._first_commit(whoosh_index.create_in(str(path), build_schema()), path)

    @classmethod
    def _first_commit(cls, ix: FileIndex, path: Path) -> SearchIndex:
        """Commit the schema version into a new index."""
        index = cls(ix, path)
        writer = FastWriter(index.ix, compound=False, codec=CODEC)
        writer.add_document(id=META_ID, kind=META_KIND,
                            record={"schema_version": SCHEMA_VERSION})
        writer.commit()
        return index

    @classmethod
    def open(cls, path: str | Path) -> SearchIndex:
        """Open the index at ``path``; raise :class:`IndexUnavailable` if it cannot be used."""
        path = Path(path)
        if not path.is_dir():
            raise IndexUnavailable(f"no search index at {path}")
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            checked = open_checked(path, META_ID)
            if not checked.problem or attempt == OPEN_ATTEMPTS or not committed_since(checked):
                break  # else a commit landing meanwhile deleted a file: look again
        if checked.problem:
            raise IndexCorrupt(
                f"the search index at {path} is damaged and cannot be read: {checked.problem}")
        ix, meta = checked.ix, checked.meta
        version = (meta or {}).get("record", {}).get("schema_version")
        if version != SCHEMA_VERSION:
            raise IndexUnavailable(
                f"the search index at {path} has schema version {version}, this code needs "
                f"{SCHEMA_VERSION}: rebuild it with `indexer sync --full`")
        return cls(ix, path)

    @classmethod
    def open_or_create(cls, path: str | Path) -> SearchIndex:
        """Open the index at ``path``, creating it if there is none yet.

        That is a missing or empty directory, or one where a creation was cut short (killed
        before its first commit, which records the schema version): it is created anew. A
        damaged index is logged and created anew too, for a full sync to fill.
        """
        path = Path(path)
        if not path.exists() or (path.is_dir() and _never_committed(path)):
            return cls.create(path)
        try:
            return cls.open(path)
        except IndexCorrupt as exc:
            log.error("%s; creating it again: the next pass is a full sync", exc)
            return cls._recreate(path)

    @classmethod
    def _recreate(cls, path: Path) -> SearchIndex:
        """Replace a damaged index with an empty one whose generations go on from its own."""
        names = os.listdir(path)
        latest = max((int(m[1]) for name in names if (m := _COMMITTED_TOC.match(name))),
                     default=0)
        for name in names:
            if _INDEX_FILE.match(name):
                (path / name).unlink()
        storage = FileStorage(str(path))
        schema = build_schema()
        TOC(schema, [], latest + 1).write(storage, INDEX_NAME)
        return cls._first_commit(FileIndex(storage, schema, INDEX_NAME), path)

    def generation(self) -> int:
        """The latest committed generation (cheap: one directory listing)."""
        try:
            return self.ix.latest_generation()
        except OSError as exc:
            raise IndexUnavailable(f"the search index at {self.path} is gone") from exc

    def searcher(self) -> Searcher:
        """A new searcher on the latest commit, with every file it will read already open.

        Whoosh opens a segment's column files (stored fields, lengths, dates) on first use,
        and a commit that merges segments deletes the old ones: a searcher of the previous
        commit would then find them gone. Opened at once they stay readable (an open file
        outlives its deletion); when a commit lands while they open, it opens again.
        """
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            try:
                searcher = self.ix.searcher()
            except Exception as exc:  # Whoosh raises many types for a damaged index
                if attempt < OPEN_ATTEMPTS:
                    continue
                raise IndexUnavailable(f"the search index at {self.path} cannot be read") \
                    from exc
            try:
                open_every_file(searcher)
                if (attempt == OPEN_ATTEMPTS
                        or self.ix.latest_generation() == searcher.reader().generation()):
                    return searcher
            except Exception as exc:  # a file deleted by a commit landing meanwhile
                if attempt == OPEN_ATTEMPTS:
                    searcher.close()
                    raise IndexUnavailable(
                        f"the search index at {self.path} cannot be read") from exc
            searcher.close()
        raise AssertionError("unreachable")  # the last attempt returns or raises

    @contextmanager
    def batch(self, lock_timeout: float = LOCK_TIMEOUT) -> Iterator[Batch]:
        """Collect changes and commit them, with their checkpoints, in one Whoosh commit.

        Raises :class:`IndexLocked` if another writer holds the lock for ``lock_timeout``
        seconds. Nothing is written if the block raises.
        """
        writer = self._writer(lock_timeout)
        batch = Batch()
        try:
            yield batch
            with _stop_signals_held():
                if batch:
                    self._write(writer, batch)
                else:
                    writer.cancel()
        except BaseException:
            if not writer.is_closed:
                abandon(writer)
            raise

    def _write(self, writer: SegmentWriter, batch: Batch) -> None:
        """Write and commit; a full disk raises :class:`IndexWriteFailed` and leaves the index
        as it was (the new table of contents is the last file written)."""
        try:
            batch.apply(writer)
            writer.commit()
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            raise IndexWriteFailed(
                f"no space left on the disk of the search index at {self.path}: the commit "
                "failed and the index is unchanged; free some space and run the indexer "
                "again") from exc

    def optimize(self, lock_timeout: float = LOCK_TIMEOUT) -> None:
        """Merge every segment into one (after a full sync)."""
        self._writer(lock_timeout).commit(optimize=True)

    def _writer(self, lock_timeout: float) -> SegmentWriter:
        try:
            writer = FastWriter(self.ix, compound=False, codec=CODEC, timeout=lock_timeout,
                                delay=0.05)
        except LockError as exc:
            raise IndexLocked(
                f"another indexer is writing to {self.path}; only one may run at a time"
            ) from exc
        for name in self.ix.storage.list():  # table-of-contents files left by a killed commit
            if _STALE_TOC.match(name):
                self.ix.storage.delete_file(name)
        return writer

    def _read(self, read: Callable[[Searcher], Read]) -> Read:
        """``read`` on a searcher of the latest commit, run again on the next commit if one
        lands meanwhile: Whoosh opens some segment files on first use, and a merging commit
        deletes them (the reader may be another process, such as the portal or ``status``)."""
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            last = attempt == OPEN_ATTEMPTS
            try:
                searcher = self.ix.searcher()
            except OSError as exc:  # the commit it opened was replaced meanwhile
                if last:
                    raise IndexUnavailable(
                        f"the search index at {self.path} cannot be read") from exc
                continue
            with searcher:
                try:
                    return read(searcher)
                except Exception:  # Whoosh raises many types for a file deleted under it
                    if last or self.generation() == searcher.reader().generation():
                        raise
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def checkpoints(self) -> dict[str, dict[str, Any]]:
        """Every stored checkpoint by key."""
        return self._read(lambda searcher: {
            stored["record"]["key"]: json.loads(stored["record"]["value"])
            for stored in searcher.documents(kind=CHECKPOINT_KIND)})

    def ids(self, list_id: str | None = None) -> set[str]:
        """The ids of the documents (in one list, if given), for reconciliation."""
        def read(searcher: Searcher) -> set[str]:
            column = searcher.reader().column_reader("id")
            if list_id is None:
                docnums = searcher.reader().all_doc_ids()
            else:
                docnums = searcher.docs_for_query(Term("list_id", list_id))
            return {doc_id for doc_id in map(column.__getitem__, docnums)
                    if not doc_id.startswith("#")}
        return self._read(read)

    def get(self, doc_id: str) -> Document | None:
        """One document by id, without security trimming (for the indexer)."""
        if doc_id.startswith("#"):
            return None
        stored = self._read(lambda searcher: searcher.document(id=doc_id))
        return from_stored(stored) if stored else None

    def all_documents(self) -> Iterator[Document]:
        """Every document, in id order (to compare or copy indexes), read as it is consumed
        from one commit (every file opened at once: a merging commit cannot cut it short)."""
        with self.searcher() as searcher:
            column = searcher.reader().column_reader("id")
            docnums = sorted(searcher.reader().all_doc_ids(), key=column.__getitem__)
            for docnum in docnums:
                stored = searcher.stored_fields(docnum)
                if not stored["id"].startswith("#"):
                    yield from_stored(stored)

    def list_counts(self) -> dict[str, int]:
        """How many documents each list has in the index."""
        def read(searcher: Searcher) -> dict[str, int]:
            counts: dict[str, int] = {}
            for btext in searcher.reader().lexicon("list_id"):
                list_id = btext.decode("utf-8")
                count = sum(1 for _ in searcher.docs_for_query(Term("list_id", list_id)))
                if count:
                    counts[list_id] = count
            return counts
        return self._read(read)

    def site_titles(self) -> dict[str, str]:
        """Every site id in the index with its title."""
        def read(searcher: Searcher) -> dict[str, str]:
            titles = {}
            for site_id in (b.decode() for b in searcher.reader().lexicon("site_id")):
                record = (searcher.document(site_id=site_id) or {}).get("record", {})
                titles[site_id] = record.get("site_title") or site_id
            return titles
        return self._read(read)

    def close(self) -> None:
        """Nothing to release (each searcher is closed by whoever opened it)."""

    def doc_count(self) -> int:
        """The number of documents (checkpoints and metadata not counted)."""
        special = Or([Term("kind", CHECKPOINT_KIND), Term("kind", META_KIND)])
        return self._read(lambda searcher: searcher.doc_count()
                          - sum(1 for _ in searcher.docs_for_query(special)))


def _never_committed(path: Path) -> bool:
    """Whether ``path`` holds only Whoosh files and no finished commit (or nothing at all)."""
    names = os.listdir(path)
    if not all(_INDEX_FILE.match(name) for name in names):
        return False
    return not any((m := _COMMITTED_TOC.match(name)) and int(m[1]) > 0 for name in names)


@contextmanager
def _stop_signals_held() -> Iterator[None]:
    """Hold SIGTERM and Ctrl-C while a commit is written; they arrive as soon as it is done.

    ``indexer watch`` stops on them by raising from its handler; this way the commit in
    progress is finished first. (The indexer writes from its one and only thread.)
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
