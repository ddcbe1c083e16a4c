"""The Whoosh index: the schema and every field boost, opening and creating, and the writer.

One batch is one Whoosh commit. Sync checkpoints are stored *in* the index as special
documents (kind ``checkpoint``, empty ACL, so nobody can ever see them), which makes a change
token and the changes it covers one atomic commit: after a crash at any moment the index holds
either the whole batch with its checkpoint, or neither. (Whoosh writes a commit's segment files
first and then renames a new table of contents into place.)

Writers use ``compound=False`` (see shared/reference/whoosh.md): a compound segment is copied
into memory by every reader.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh import scoring
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import FileIndex, LockError
from whoosh.query import Or, Term
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from indexer.analysis import (
    detect_language,
    folded_analyzer,
    parts_analyzer,
    prefix_analyzer,
    spelling_analyzer,
    text_analyzer,
)
from indexer.document import Document

SCHEMA_VERSION = 1

# Query-time boosts of the searchable text fields: the one place they are set.
FIELD_BOOSTS = {"title": 5.0, "description": 2.0, "body": 1.0}
# A match on a part of a compound word scores this constant. Every match of a word on its own
# scores at least its field boost (>= 1.0, see FlooredBM25F), so even both stems of a word
# matching as parts (2 x 0.25) stay below it: a compound never outranks the plain word.
PARTS_SCORE = 0.25

CHECKPOINT_KIND = "checkpoint"
META_KIND = "meta"
META_ID = "#meta"
NO_AUDIENCE = "-"
LOCK_TIMEOUT = 5.0
MAX_BODY_CHARS = 500_000  # about 200 pages; longer text is indexed and stored up to here
_STALE_TOC = re.compile(r"^_MAIN_\d+\.toc\.[\d.]+$")


class IndexUnavailable(Exception):
    """The index directory is missing, unreadable, corrupt or from another schema version."""


class IndexLocked(Exception):
    """Another writer (another indexer process) holds the index's write lock."""


class FlooredBM25F(scoring.BM25F):
    """BM25F plus one per matching term, so any real match scores at least its boost."""

    def scorer(self, searcher: Searcher, fieldname: str, text: str, qf: float = 1):
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        b = self._field_B.get(fieldname, self.B)
        return _FlooredScorer(searcher, fieldname, text, b, self.K1, qf=qf)


class _FlooredScorer(scoring.BM25FScorer):
    def _score(self, weight: float, length: float) -> float:
        return 1.0 + super()._score(weight, length)


class ConstantWeighting(scoring.WeightingModel):
    """Scores every match with the same value (used for compound parts)."""

    def __init__(self, value: float) -> None:
        self.value = value

    def scorer(self, searcher: Searcher, fieldname: str, text: str, qf: float = 1):
        return _ConstantScorer(self.value)


class _ConstantScorer(scoring.BaseScorer):
    def __init__(self, value: float) -> None:
        self.value = value

    def supports_block_quality(self) -> bool:
        return True

    def score(self, matcher) -> float:
        return self.value

    def max_quality(self) -> float:
        return self.value

    def block_quality(self, matcher) -> float:
        return self.value


WEIGHTING = scoring.MultiWeighting(FlooredBM25F(), parts=ConstantWeighting(PARTS_SCORE))


def build_schema() -> Schema:
    """The index schema. Text fields are unstored: the record and the compressed text are."""
    text = text_analyzer()
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        kind=ID,
        site_id=ID,
        list_id=ID,
        file_type=ID,
        title=TEXT(analyzer=text),
        description=TEXT(analyzer=text),
        body=TEXT(analyzer=text),
        parts=TEXT(analyzer=parts_analyzer(), phrase=False),
        words=TEXT(analyzer=spelling_analyzer(), phrase=False),
        title_prefix=TEXT(analyzer=prefix_analyzer(), phrase=False),
        site_title=TEXT(analyzer=folded_analyzer(), phrase=False),
        author=TEXT(analyzer=folded_analyzer(), phrase=False),
        acl=KEYWORD(lowercase=True),
        audiences=KEYWORD(lowercase=True),
        modified=DATETIME(sortable=True),
        sort_date=DATETIME(sortable=True),
        record=STORED,
        body_z=STORED,
        html_z=STORED,
    )


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6) if text else b""


def _unpack(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8") if data else ""


def to_fields(doc: Document) -> dict[str, Any]:
    """The Whoosh fields of a document (the language is detected if the record has none)."""
    body = doc.body[:MAX_BODY_CHARS]
    language = doc.language or detect_language(f"{doc.title}\n{doc.description}\n{body}")
    record = doc.to_dict() | {"language": language}
    del record["body"], record["html"]
    text = f"{doc.title}\n{doc.description}\n{body}"
    fields: dict[str, Any] = {
        "id": doc.id, "kind": doc.kind, "site_id": doc.site_id, "list_id": doc.list_id,
        "file_type": doc.file_type, "title": doc.title, "description": doc.description,
        "body": body, "parts": text, "words": text, "title_prefix": doc.title,
        "site_title": doc.site_title, "author": doc.author, "acl": " ".join(doc.acl),
        "audiences": " ".join(doc.audiences) or NO_AUDIENCE,
        "modified": _naive_utc(doc.modified),
        "sort_date": _naive_utc(doc.published or doc.modified),
        "record": record, "body_z": _pack(body), "html_z": _pack(doc.html),
    }
    return {name: value for name, value in fields.items() if value != ""}


def from_stored(stored: dict[str, Any]) -> Document:
    """The document for a hit's stored fields."""
    record = stored["record"]
    return Document.from_dict(
        record | {"body": _unpack(stored.get("body_z", b"")),
                  "html": _unpack(stored.get("html_z", b""))})


class Batch:
    """Changes collected inside ``with index.batch() as batch:``, committed as one."""

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
        index = cls(whoosh_index.create_in(str(path), build_schema()), path)
        writer = index.ix.writer(compound=False)
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
        try:
            ix = whoosh_index.open_dir(str(path))
            with ix.searcher() as searcher:
                meta = searcher.document(id=META_ID)
        except Exception as exc:  # Whoosh raises many types for a damaged index
            raise IndexUnavailable(f"the search index at {path} cannot be read: {exc!r}") from exc
        version = (meta or {}).get("record", {}).get("schema_version")
        if version != SCHEMA_VERSION:
            raise IndexUnavailable(
                f"the search index at {path} has schema version {version}, this code needs "
                f"{SCHEMA_VERSION}: rebuild it with `indexer sync --full`")
        return cls(ix, path)

    @classmethod
    def open_or_create(cls, path: str | Path) -> SearchIndex:
        """Open the index at ``path``, creating it if the directory is missing or empty."""
        path = Path(path)
        if not path.exists() or (path.is_dir() and not any(path.iterdir())):
            return cls.create(path)
        return cls.open(path)

    def generation(self) -> int:
        """The latest committed generation (cheap: one directory listing)."""
        return self.ix.latest_generation()

    def searcher(self) -> Searcher:
        """A new searcher on the latest commit, with the portal's scoring."""
        try:
            return self.ix.searcher(weighting=WEIGHTING)
        except Exception as exc:  # Whoosh raises many types for a damaged index
            raise IndexUnavailable(f"the search index at {self.path} cannot be read") from exc

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
            if batch:
                batch.apply(writer)
                writer.commit()
            else:
                writer.cancel()
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise

    def optimize(self, lock_timeout: float = LOCK_TIMEOUT) -> None:
        """Merge every segment into one (after a full sync)."""
        self._writer(lock_timeout).commit(optimize=True)

    def _writer(self, lock_timeout: float) -> SegmentWriter:
        try:
            writer = self.ix.writer(compound=False, timeout=lock_timeout, delay=0.05)
        except LockError as exc:
            raise IndexLocked(
                f"another indexer is writing to {self.path}; only one may run at a time"
            ) from exc
        for name in self.ix.storage.list():  # table-of-contents files left by a killed commit
            if _STALE_TOC.match(name):
                self.ix.storage.delete_file(name)
        return writer

    def checkpoints(self) -> dict[str, dict[str, Any]]:
        """Every stored checkpoint by key."""
        with self.ix.searcher() as searcher:
            return {stored["record"]["key"]: json.loads(stored["record"]["value"])
                    for stored in searcher.documents(kind=CHECKPOINT_KIND)}

    def ids(self, list_id: str | None = None) -> set[str]:
        """The ids of the documents (in one list, if given), for reconciliation."""
        with self.ix.searcher() as searcher:
            column = searcher.reader().column_reader("id")
            if list_id is None:
                docnums = searcher.reader().all_doc_ids()
            else:
                docnums = searcher.docs_for_query(Term("list_id", list_id))
            return {doc_id for doc_id in map(column.__getitem__, docnums)
                    if not doc_id.startswith("#")}

    def get(self, doc_id: str) -> Document | None:
        """One document by id, without security trimming (for the indexer)."""
        if doc_id.startswith("#"):
            return None
        with self.ix.searcher() as searcher:
            stored = searcher.document(id=doc_id)
        return from_stored(stored) if stored else None

    def all_documents(self) -> Iterator[Document]:
        """Every document, in id order (to compare two indexes)."""
        with self.ix.searcher() as searcher:
            column = searcher.reader().column_reader("id")
            docnums = sorted(searcher.reader().all_doc_ids(), key=column.__getitem__)
            for docnum in docnums:
                stored = searcher.stored_fields(docnum)
                if not stored["id"].startswith("#"):
                    yield from_stored(stored)

    def list_counts(self) -> dict[str, int]:
        """How many documents each list has in the index."""
        counts: dict[str, int] = {}
        with self.ix.searcher() as searcher:
            for stored in searcher.all_stored_fields():
                list_id = stored.get("record", {}).get("list_id")
                if list_id and not stored["id"].startswith("#"):
                    counts[list_id] = counts.get(list_id, 0) + 1
        return counts

    def doc_count(self) -> int:
        """The number of documents (checkpoints and metadata not counted)."""
        with self.ix.searcher() as searcher:
            special = Or([Term("kind", CHECKPOINT_KIND), Term("kind", META_KIND)])
            return searcher.doc_count() - sum(1 for _ in searcher.docs_for_query(special))
