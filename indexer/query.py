"""The portal's query language, turned into Whoosh queries without Whoosh's parser.

Syntax: plain words (all required), ``"quoted phrases"``, ``-excluded`` words or phrases,
``OR`` between two clauses, the filters ``site:``, ``type:`` and ``author:``, and a trailing
``*`` for a prefix of at least three letters (expanded to a capped number of terms). Nothing a
user types raises: control characters are dropped, the text is cut short, and broken syntax
(an unbalanced quote, a lone ``OR``, ``-`` or ``*``) degrades to the plain words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from whoosh.query import And, AndNot, DateRange, Or, Phrase, Query, Term
from whoosh.reading import IndexReader

from indexer.analysis import TOKEN_RE, fold, split_compound, stems, terms_by_position
from indexer.schema import FIELD_BOOSTS

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 24
MIN_PREFIX = 3
MAX_PREFIX_TERMS = 32  # per field
MAX_COMPOUND_PARTS = 3
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CLAUSE = re.compile(r'-?(?:\w+:)?"[^"]*"|\S+')
_LETTERS = re.compile(r"[^\W\d_]+")
TYPE_ALIASES: dict[str, tuple[str, ...]] = {
    "word": ("docx", "doc"), "excel": ("xlsx", "xls", "csv"), "powerpoint": ("pptx", "ppt"),
    "nyhed": ("news",), "nyheder": ("news",), "side": ("page",), "sider": ("page",),
    "dokument": ("document",), "dokumenter": ("document",),
}


@dataclass
class ParsedQuery:
    """A user's query: the Whoosh query (``None``: nothing to look for) and terms to mark."""

    query: Query | None
    terms: set[str] = field(default_factory=set)


def clean(text: str) -> str:
    """The text with control characters removed, cut to a sane length."""
    return _CONTROL.sub(" ", text[:MAX_QUERY_CHARS])


def parse(text: str, reader: IndexReader) -> ParsedQuery:
    """Parse a user's query; the reader expands prefixes."""
    groups: list[list[Query]] = []
    negatives: list[Query] = []
    terms: set[str] = set()
    join = False
    for raw in _CLAUSE.findall(clean(text))[:MAX_CLAUSES]:
        if raw == "OR":
            join = bool(groups)
            continue
        negate = raw.startswith("-")
        clause = _clause(raw[1:] if negate else raw, reader, set() if negate else terms)
        if clause is None:
            continue
        if negate:
            negatives.append(clause)
        elif join:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        join = False
    if not groups:
        return ParsedQuery(None)
    query: Query = And([Or(group) if len(group) > 1 else group[0] for group in groups])
    if negatives:
        query = AndNot(query, Or(negatives))
    return ParsedQuery(query, terms)


def _clause(text: str, reader: IndexReader, terms: set[str]) -> Query | None:
    name, colon, value = text.partition(":")
    if colon and name.lower() in _FILTERS:
        value = value.strip('"')
        return _FILTERS[name.lower()](value) if value.strip() else None
    if len(text) > 1 and text[0] == text[-1] == '"':
        return text_query(text[1:-1], terms)
    if text.endswith("*"):
        return _prefix_query(text.rstrip("*"), reader, terms)
    return text_query(text, terms)


def word_query(word_stems: Iterable[str], parts: Sequence[str] = ()) -> Query:
    """One word in every text field (boosted) and among the parts of compound words.

    A compound word (``parts``, from :func:`split_compound`) also matches items that hold each
    of its parts inside compounds ("sygefravær" finds "sygefraværspolitik", split into syge,
    fravær and politik). Only the Danish stem of at most three parts is asked for, so such a
    match scores at most 3 x PARTS_SCORE, below any match of a word on its own.
    """
    word_stems = tuple(word_stems)
    subqueries = [Term(name, stem, boost=boost)
                  for name, boost in FIELD_BOOSTS.items() for stem in word_stems]
    subqueries += [Term("parts", stem) for stem in word_stems]
    if 1 < len(parts) <= MAX_COMPOUND_PARTS:
        subqueries.append(And([Term("parts", stems(part)[0]) for part in parts]))
    return Or(subqueries)


def text_query(text: str, terms: set[str]) -> Query | None:
    """A word, or a phrase when the text holds several words; adds the terms to ``terms``."""
    positions = terms_by_position(text)[:MAX_CLAUSES]
    for position in positions:
        terms.update(position)
    if not positions:
        return None
    if len(positions) == 1:
        return word_query(positions[0], split_compound(fold(TOKEN_RE.search(text).group())))
    # Every indexed position holds its Danish stem, so a phrase of Danish stems matches,
    # as does one of English stems (the last stem of each position).
    variants = {tuple(p[0] for p in positions), tuple(p[-1] for p in positions)}
    return Or([Phrase(name, list(words), boost=boost)
               for name, boost in FIELD_BOOSTS.items() for words in variants])


def _prefix_query(text: str, reader: IndexReader, terms: set[str]) -> Query | None:
    exact = text_query(text, terms)
    prefix = fold(text)
    if len(prefix) < MIN_PREFIX or not prefix.isalnum() or exact is None:
        return exact
    expanded: list[Query] = []
    for name, boost in FIELD_BOOSTS.items():
        for btext in islice(reader.expand_prefix(name, prefix), MAX_PREFIX_TERMS):
            term = btext.decode("utf-8")
            terms.add(term)
            expanded.append(Term(name, term, boost=boost))
    return Or([exact, *expanded])


def _site(value: str) -> Query:
    words = [Term("site_title", fold(m.group())) for m in TOKEN_RE.finditer(value)]
    by_id = Term("site_id", value.strip().lower())
    return Or([by_id, And(words)]) if words else by_id


def _type(value: str) -> Query:
    value = value.strip().lower().lstrip(".")
    names = TYPE_ALIASES.get(value, (value,))
    return Or([Term(field_name, name) for name in names for field_name in ("file_type", "kind")])


def _author(value: str) -> Query | None:
    words = [Term("author", fold(m.group())) for m in TOKEN_RE.finditer(value)]
    return And(words) if words else None


_FILTERS: dict[str, Callable[[str], Query | None]] = {
    "site": _site, "type": _type, "author": _author,
}


def filter_queries(filters: Mapping[str, Any] | None) -> list[Query]:
    """Queries for the portal's facet filters: site_id, file_type, kind, modified_since."""
    filters = filters or {}
    queries: list[Query] = []
    for name in ("site_id", "file_type", "kind"):
        values = filters.get(name)
        if isinstance(values, str):
            values = [values]
        if values:
            queries.append(Or([Term(name, str(v).strip().lower()) for v in values]))
    since = filters.get("modified_since")
    if isinstance(since, datetime):
        since = since.astimezone(UTC).replace(tzinfo=None) if since.tzinfo else since
        queries.append(DateRange("modified", since, None))
    return queries


def rewrite_words(text: str, fix: Callable[[str], str | None]) -> str | None:
    """The query with each plain word replaced by ``fix(word)`` (if not None); None if unchanged.

    Filters, operators, excluded words and prefixes are kept as typed.
    """
    changed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        new = fix(match.group())
        changed = changed or (new is not None and new != match.group())
        return new or match.group()

    out: list[str] = []
    for raw in _CLAUSE.findall(clean(text))[:MAX_CLAUSES]:
        name, colon, _ = raw.partition(":")
        if (raw == "OR" or raw.startswith("-") or raw.endswith("*")
                or (colon and name.lower() in _FILTERS)):
            out.append(raw)
        else:
            out.append(_LETTERS.sub(replace, raw))
    return " ".join(out) if changed else None
