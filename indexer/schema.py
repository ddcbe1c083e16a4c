"""The Whoosh schema, every field boost, and the mapping between documents and index fields.

Text is indexed but not stored: the record (every field the portal shows) is stored as one
dict, and the body and HTML are stored zlib-compressed (a third of their size), so snippets
can be cut from the whole text of the hits shown.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from whoosh.analysis import Analyzer, IDTokenizer, LowercaseFilter
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.system import pack_uint
from whoosh.util.times import datetime_to_long

from indexer.analysis import (
    detect_language,
    folded_analyzer,
    parts_analyzer,
    parts_frequencies,
    positions_by_term,
    prefix_analyzer,
    spelling_analyzer,
    spelling_frequencies,
    text_analyzer,
    word_count,
)
from indexer.document import Document

SCHEMA_VERSION = 2

# Query-time boosts of the searchable text fields (BM25F, see indexer.ranking): the one place
# they are set.
FIELD_BOOSTS = {"title": 5.0, "description": 2.0, "body": 1.0}
# A match on a part of a compound word scores this constant. Every match of a word on its own
# scores at least its field boost (>= 1.0), so even both stems of a word matching as parts
# (2 x 0.25) stay below it: a compound never outranks the plain word.
PARTS_SCORE = 0.25
NO_AUDIENCE = "-"
MAX_BODY_CHARS = 500_000  # about 200 pages; longer text is indexed and stored up to here


class Codec(W3Codec):
    """Whoosh's W3 codec, remembering which columns a segment has.

    Whoosh asks for a field length at every posting it writes, and for a field without a
    length column (the ranked fields keep theirs in ``<name>_len``) each question cost a
    stat(): a third of the indexing time. Segments are immutable, so the answer is cached.
    """

    def per_document_reader(self, storage: Any, segment: Any) -> W3PerDocReader:
        return _PerDocReader(storage, segment)


class _PerDocReader(W3PerDocReader):
    def __init__(self, storage: Any, segment: Any) -> None:
        super().__init__(storage, segment)
        self._has: dict[str, bool] = {}

    def has_column(self, fieldname: str) -> bool:
        if fieldname not in self._has:
            self._has[fieldname] = super().has_column(fieldname)
        return self._has[fieldname]


CODEC = Codec()


Posting = tuple[bytes, int, float, bytes]


class RankedText(TEXT):
    """A ranked text field with positions; its lengths live in a ``<name>_len`` column.

    Its terms are those of ``text_analyzer()`` (which queries use), counted in bulk by
    :func:`positions_by_term`: Whoosh's token stream costs several times more.
    """

    def __init__(self) -> None:
        super().__init__(analyzer=text_analyzer())
        self.scorable = False  # Whoosh's own length files are not read (see indexer.ranking)

    def index(self, value: str, **kwargs: Any) -> Iterator[Posting]:
        encode, boost = self.format.encode, self.format.field_boost
        for term, positions in positions_by_term(value).items():
            yield term.encode(), len(positions), len(positions) * boost, encode(positions)


class Unscored(KEYWORD):
    """A field that is only matched, never ranked: no positions, no field lengths."""

    def __init__(self, analyzer: Analyzer) -> None:
        super().__init__(analyzer=analyzer, scorable=False)


class _Counted(Unscored):
    """An unscored field whose terms are counted in bulk by ``count`` (the same terms as its
    analyzer makes), which each subclass sets."""

    count: Callable[[str], Counter[str]]

    def index(self, value: str, **kwargs: Any) -> Iterator[Posting]:
        boost = self.format.field_boost
        for term, frequency in self.count(value).items():
            yield term.encode(), frequency, frequency * boost, pack_uint(frequency)


class SpellingWords(_Counted):
    """Unstemmed words, for "did you mean"."""

    def __init__(self) -> None:
        super().__init__(spelling_analyzer())

    count = staticmethod(spelling_frequencies)


class CompoundParts(_Counted):
    """The stemmed parts of compound words."""

    def __init__(self) -> None:
        super().__init__(parts_analyzer())

    count = staticmethod(parts_frequencies)


def _date() -> COLUMN:
    """A date kept only as a column: date order and date ranges are read from it
    (indexer.bitmaps). Indexed as terms it cost ten terms a document, nearly all unique."""
    return COLUMN(NumericColumn("q"))


def _length() -> COLUMN:
    """A per-document word count (for BM25 length normalisation)."""
    return COLUMN(NumericColumn("I"))


def build_schema() -> Schema:
    """The index schema. Text fields are unstored: the record and the compressed text are.

    Facet and filter fields need no columns: facets are counted from term bitmaps.
    """
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        kind=ID,
        site_id=ID(analyzer=IDTokenizer() | LowercaseFilter()),
        list_id=ID,
        file_type=ID,
        title=RankedText(),
        description=RankedText(),
        body=RankedText(),
        title_len=_length(),
        description_len=_length(),
        body_len=_length(),
        parts=CompoundParts(),
        words=SpellingWords(),
        title_prefix=Unscored(prefix_analyzer()),
        site_title=Unscored(folded_analyzer()),
        author=Unscored(folded_analyzer()),
        acl=KEYWORD(lowercase=True),
        audiences=KEYWORD(lowercase=True),
        modified=_date(),
        sort_date=_date(),
        record=STORED,
        body_z=STORED,
        html_z=STORED,
    )


def date_value(value: datetime) -> int:
    """A date as its ``_date()`` column holds it (what Whoosh's DATETIME columns hold too)."""
    return datetime_to_long(value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo
                            else value)


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
        "modified": date_value(doc.modified),
        "sort_date": date_value(doc.published or doc.modified),
        "record": record, "body_z": _pack(body), "html_z": _pack(doc.html),
        "title_len": word_count(doc.title), "description_len": word_count(doc.description),
        "body_len": word_count(body),
    }
    return {name: value for name, value in fields.items() if value != ""}


def from_stored(stored: dict[str, Any]) -> Document:
    """The document for a hit's stored fields."""
    record = stored["record"]
    return Document.from_dict(
        record | {"body": _unpack(stored.get("body_z", b"")),
                  "html": _unpack(stored.get("html_z", b""))})
