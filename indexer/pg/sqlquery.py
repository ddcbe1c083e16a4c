"""A parsed query (indexer.query's Whoosh query objects) as a PostgreSQL condition.

Text terms and phrases become one ``tsquery`` where a branch holds only text (so the GIN index
answers it); filters (site, type, author, kind, dates) become column conditions. A field this
module does not know matches nothing: unknown means no.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from whoosh.query import And, AndNot, DateRange, Or, Phrase, Query, Term

from indexer.pg.vectors import PARTS_WEIGHT, TEXT_FIELDS, lexeme

WEIGHTS = dict(TEXT_FIELDS) | {"parts": PARTS_WEIGHT}
_ALL_WEIGHTS = set(WEIGHTS.values())
_EQUAL = {"site_id": "site_id", "kind": "kind", "file_type": "file_type", "list_id": "list_id"}
_CONTAINS = {"site_title": "site_words", "author": "author_words", "acl": "acl",
             "audiences": "audiences"}


@dataclass
class Condition:
    """A SQL condition on ``documents`` and its parameters."""

    sql: str
    params: list[Any] = field(default_factory=list)


def _tsquery(query: Query) -> str | None:
    """The query as a tsquery literal, or None if it holds anything but text."""
    if isinstance(query, Term):
        weight = WEIGHTS.get(query.fieldname)
        return f"{lexeme(query.text)}:{weight}" if weight else None
    if isinstance(query, Phrase):
        weight = WEIGHTS.get(query.fieldname)
        if not weight or not query.words:
            return None
        return "(" + " <-> ".join(f"{lexeme(w)}:{weight}" for w in query.words) + ")"
    if isinstance(query, (And, Or)) and query.subqueries:
        subqueries = _merged(query.subqueries) if isinstance(query, Or) else query.subqueries
        parts = [q if isinstance(q, str) else _tsquery(q) for q in subqueries]
        if any(p is None for p in parts):
            return None
        return "(" + (" & " if isinstance(query, And) else " | ").join(parts) + ")"
    if isinstance(query, AndNot):
        a, b = _tsquery(query.a), _tsquery(query.b)
        return f"({a} & !{b})" if a and b else None
    return None


def _merged(subqueries: list[Query]) -> list[Query | str]:
    """An Or's branches with a term asked for in every weight as one unweighted lexeme: the
    same matches, and the GIN index then answers without reading the vectors (a weighted
    lexeme makes it recheck every candidate row)."""
    weights: dict[str, set[str]] = {}
    for query in subqueries:
        if isinstance(query, Term) and query.fieldname in WEIGHTS:
            weights.setdefault(query.text, set()).add(WEIGHTS[query.fieldname])
    everywhere = {text for text, found in weights.items() if found >= _ALL_WEIGHTS}
    merged: list[Query | str] = []
    for query in subqueries:
        if isinstance(query, Term) and query.fieldname in WEIGHTS and query.text in everywhere:
            if lexeme(query.text) not in merged:
                merged.append(lexeme(query.text))
        else:
            merged.append(query)
    return merged


def condition(query: Query) -> Condition:
    """The SQL condition that holds for exactly the documents ``query`` matches."""
    text = _tsquery(query)
    if text is not None:
        return Condition("tsv @@ %s::tsquery", [text])
    if isinstance(query, Term):
        return _term(query)
    if isinstance(query, (And, Or)):
        if not query.subqueries:
            return Condition("TRUE" if isinstance(query, And) else "FALSE")
        parts = [condition(q) for q in query.subqueries]
        joiner = " AND " if isinstance(query, And) else " OR "
        return Condition("(" + joiner.join(p.sql for p in parts) + ")",
                         [v for p in parts for v in p.params])
    if isinstance(query, AndNot):
        a, b = condition(query.a), condition(query.b)
        return Condition(f"({a.sql} AND NOT {b.sql})", a.params + b.params)
    if isinstance(query, DateRange) and query.fieldname == "modified":
        return _dates(query.startdate, query.enddate)
    return Condition("FALSE")


def _term(query: Term) -> Condition:
    if query.fieldname in _EQUAL:
        return Condition(f"{_EQUAL[query.fieldname]} = %s", [query.text])
    if query.fieldname in _CONTAINS:
        return Condition(f"{_CONTAINS[query.fieldname]} @> ARRAY[%s]::text[]", [query.text])
    return Condition("FALSE")


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _dates(start: datetime | None, end: datetime | None) -> Condition:
    sql, params = ["TRUE"], []
    if start is not None:
        sql.append("modified >= %s")
        params.append(_utc(start))
    if end is not None:
        sql.append("modified <= %s")
        params.append(_utc(end))
    return Condition("(" + " AND ".join(sql) + ")", params)


def scoring_terms(query: Query) -> list[str]:
    """The scored terms of a query (not excluded ones, not filters) as tsquery literals."""
    return list(dict.fromkeys(_scored(query)))


def _scored(query: Query) -> Iterator[str]:
    if isinstance(query, Term) and query.fieldname in WEIGHTS:
        yield f"{lexeme(query.text)}:{WEIGHTS[query.fieldname]}"
    elif isinstance(query, Phrase) and query.fieldname in WEIGHTS:
        yield from (f"{lexeme(w)}:{WEIGHTS[query.fieldname]}" for w in query.words)
    elif isinstance(query, AndNot):
        yield from _scored(query.a)
    elif isinstance(query, (And, Or)):
        for subquery in query.subqueries:
            yield from _scored(subquery)
