"""A document as its PostgreSQL row: the weighted tsvector and the arrays that are matched.

The vector holds exactly the terms of the Whoosh index (indexer.analysis): every word folded
(æ→ae, ø→oe, å→aa) with its Danish and its English Snowball stem at one position — the same
Snowball stemmers as PostgreSQL's ``danish`` and ``english`` configurations, applied to both
languages because a query has no reliable language. Title words carry weight A, the
description B, the body C, and the stemmed parts of compound words weight D at the compound's
position (so they are found, and ranked below any match of the word itself).
PostgreSQL keeps positions up to 16,383; later words share the last position.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from indexer.analysis import (
    MIN_COMPOUND,
    PREFIX_MAX,
    TOKEN_RE,
    detect_language,
    fold,
    spelling_frequencies,
    split_compound,
    stems,
    word_count,
)
from indexer.document import Document
from indexer.schema import MAX_BODY_CHARS, NO_AUDIENCE

MAX_POSITION = 16383
TEXT_FIELDS = (("title", "A"), ("description", "B"), ("body", "C"))
PARTS_WEIGHT = "D"


def lexeme(term: str) -> str:
    """A term quoted for a tsvector or tsquery literal."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _vector(texts: dict[str, str]) -> tuple[str, dict[str, set[str]]]:
    """The tsvector literal of the text fields, and each field's terms (for prefixes)."""
    positions: dict[str, list[str]] = {}
    terms: dict[str, set[str]] = {}
    position = 0
    for name, weight in TEXT_FIELDS:
        field_terms = terms.setdefault(name, set())
        for match in TOKEN_RE.finditer(texts[name]):
            position = min(position + 1, MAX_POSITION)
            word = match.group().lower()
            for term in stems(word):
                positions.setdefault(term, []).append(f"{position}{weight}")
                field_terms.add(term)
            if len(word) >= MIN_COMPOUND:
                for part in split_compound(fold(word)):
                    for term in stems(part):
                        positions.setdefault(term, []).append(f"{position}{PARTS_WEIGHT}")
        position = min(position + 1, MAX_POSITION)  # no phrase spans two fields
    literal = " ".join(f"{lexeme(t)}:{','.join(dict.fromkeys(p))}" for t, p in positions.items())
    return literal, terms


def title_prefixes(title: str) -> list[str]:
    """Folded edge n-grams of the title words (type-ahead), as the Whoosh index has them."""
    grams = set()
    for match in TOKEN_RE.finditer(title):
        word = fold(match.group())
        grams.update(word[:size] for size in range(1, min(len(word), PREFIX_MAX) + 1))
    return sorted(grams)


def folded_words(text: str) -> list[str]:
    """The folded words of a site title or an author name."""
    return sorted({fold(m.group()) for m in TOKEN_RE.finditer(text)})


def row(doc: Document) -> tuple[dict[str, Any], dict[str, set[str]]]:
    """The ``documents`` row of a document, and its terms by field."""
    body = doc.body[:MAX_BODY_CHARS]
    language = doc.language or detect_language(f"{doc.title}\n{doc.description}\n{body}")
    record = doc.to_dict() | {"language": language, "body": body}
    vector, terms = _vector({"title": doc.title, "description": doc.description, "body": body})
    return {
        "id": doc.id, "kind": doc.kind, "site_id": doc.site_id.lower(),
        "site_title": doc.site_title, "list_id": doc.list_id, "file_type": doc.file_type,
        "language": language, "modified": doc.modified.astimezone(UTC),
        "sort_date": (doc.published or doc.modified).astimezone(UTC),
        "acl": [p.lower() for p in doc.acl],
        "audiences": [a.lower() for a in doc.audiences] or [NO_AUDIENCE],
        "site_words": folded_words(doc.site_title), "author_words": folded_words(doc.author),
        "title_prefixes": title_prefixes(doc.title),
        "words": sorted(spelling_frequencies(f"{doc.title}\n{doc.description}\n{body}")),
        "title_len": word_count(doc.title), "description_len": word_count(doc.description),
        "body_len": word_count(body),
        "tsv": vector, "record": json.dumps(record),
    }, terms
