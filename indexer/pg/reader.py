"""Security-trimmed read access to the PostgreSQL index: the portal's side of indexer.search.

Every statement filters by ``acl && principals`` (an empty acl overlaps nothing, so it is seen
by nobody), so nothing a user may not see is counted, suggested or shown. Each call is one
read-only transaction with a statement timeout; a database that cannot be reached, a dropped
connection or a timeout raise :class:`indexer.index.IndexUnavailable`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from math import log
from typing import Any

import psycopg
from whoosh.query import And, Query

from indexer import query as query_module
from indexer.analysis import PREFIX_MAX, TOKEN_RE, fold, stems
from indexer.document import Document
from indexer.pg.sqlquery import Condition, condition, scoring_terms
from indexer.pg.store import PgIndex
from indexer.pg.suggest import correction
from indexer.query import clean, filter_queries, parse, rewrite_words, word_query
from indexer.ranking import BM25_B, BM25_K1
from indexer.schema import FIELD_BOOSTS, NO_AUDIENCE, PARTS_SCORE
from indexer.search import (
    DATE_FACETS,
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    FacetCount,
    Hit,
    Listing,
    SearchResults,
    TitleSuggestion,
)
from indexer.snippets import snippet_html

STATEMENT_TIMEOUT_MS = 5000
# Each query term scores as in the Whoosh backend (indexer.ranking): boost * (1 + idf * the
# saturated term frequency), the frequency counted by ts_rank_cd; a compound part PARTS_SCORE.
FIELDS = {"A": "title", "B": "description", "C": "body"}
_TERM_SCORE = (f"CASE WHEN r = 0 THEN 0 WHEN i = 0 THEN b ELSE b * (1 + i * r * {BM25_K1 + 1}"
               f" / (r + {BM25_K1} * ({1 - BM25_B} + {BM25_B} * n))) END")
# News gets up to 10 % more, fading with age (a month old: 5 %)
_RECENCY = ("(CASE WHEN kind = 'news' THEN 1 + 0.1 / (1 + extract(epoch FROM now() - sort_date)"
            " / 2592000.0) ELSE 1 END)")
_NEWEST = "sort_date DESC, id"
# Document frequency per field, as BM25F's idf, from one index per field (no recheck needed)
_FREQUENCY_OF = {weight: f"ts_filter(tsv, '{{{weight.lower()}}}') @@ %s::tsquery"
                 for weight in FIELDS}


class _Lexicon:
    """The part of a Whoosh reader that indexer.query.parse uses: prefix expansion."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self._conn = conn

    def expand_prefix(self, fieldname: str, prefix: str) -> Iterator[bytes]:
        """The terms of a field starting with ``prefix``, in order."""
        rows = self._conn.execute(
            "SELECT term FROM terms WHERE field = %s AND term >= %s AND term < %s "
            "ORDER BY term LIMIT %s",
            (fieldname, prefix, prefix + "\U0010ffff", query_module.MAX_PREFIX_TERMS))
        return (term.encode("utf-8") for (term,) in rows)


def _principals(principals: Iterable[str]) -> list[str]:
    return sorted({p.strip().lower() for p in principals})


class PgReader:
    """Thread-safe, security-trimmed read access to a :class:`PgIndex` for the portal."""

    def __init__(self, index: PgIndex, statement_timeout_ms: int = STATEMENT_TIMEOUT_MS) -> None:
        self._index = index
        self._timeout = f"{statement_timeout_ms}ms"

    def close(self) -> None:
        """Nothing to close: the index owns the connection pool."""

    def __enter__(self) -> PgReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[psycopg.Connection]:
        """One read-only snapshot transaction with the statement timeout."""
        with self._index.connection() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            conn.execute("SELECT set_config('statement_timeout', %s, true)", (self._timeout,))
            yield conn

    def get(self, doc_id: str, principals: Iterable[str]) -> Document | None:
        """The document if the user may see it, else None (the caller answers 404)."""
        with self._read() as conn:
            found = conn.execute("SELECT record FROM documents WHERE id = %s AND acl && %s",
                                 (doc_id, _principals(principals))).fetchone()
        return Document.from_dict(found[0]) if found else None

    def latest_news(self, principals: Iterable[str], limit: int = 10, offset: int = 0,
                    site_id: str | None = None, targeted: bool = True) -> Listing:
        """Visible news, newest first by publishing date (``targeted``: audiences applied)."""
        where = Condition("kind = 'news'")
        if targeted:
            groups = [p.split(":", 1)[1] for p in _principals(principals)
                      if p.startswith("group:")]
            where = Condition("kind = 'news' AND audiences && %s", [[NO_AUDIENCE, *groups]])
        return self._listing(principals, where, site_id, limit, offset)

    def recent_documents(self, principals: Iterable[str], limit: int = 10, offset: int = 0,
                         site_id: str | None = None) -> Listing:
        """Visible documents (files), most recently modified first."""
        return self._listing(principals, Condition("kind = 'document'"), site_id, limit, offset)

    def _listing(self, principals: Iterable[str], where: Condition, site_id: str | None,
                 limit: int, offset: int) -> Listing:
        sql, params = f"acl && %s AND {where.sql}", [_principals(principals), *where.params]
        if site_id:
            sql, params = f"{sql} AND site_id = %s", [*params, site_id.lower()]
        with self._read() as conn:
            total = conn.execute(f"SELECT count(*) FROM documents WHERE {sql}",
                                 params).fetchone()[0]
            rows = conn.execute(f"SELECT record FROM documents WHERE {sql} ORDER BY {_NEWEST} "
                                "LIMIT %s OFFSET %s",
                                [*params, max(0, limit), max(0, offset)]).fetchall()
        return Listing(total, [Document.from_dict(r[0]) for r in rows])

    def search(self, query: str, principals: Iterable[str],
               filters: Mapping[str, Any] | None = None, sort: str = "relevance",
               page: int = 1, page_size: int = 10) -> SearchResults:
        """Search the visible items; the total and the facets count visible hits only."""
        page_size = min(max(1, page_size), MAX_PAGE_SIZE)
        page = min(max(1, page), MAX_RESULT_WINDOW // page_size)
        with self._read() as conn:
            parsed = parse(query, _Lexicon(conn))
            if parsed.query is None:
                return SearchResults(0, page=page, page_size=page_size)
            full = And([parsed.query, *filter_queries(filters)])
            match = condition(full)
            where = f"acl && %s AND {match.sql}"
            params = [_principals(principals), *match.params]
            terms = scoring_terms(parsed.query)
            window = [page_size, (page - 1) * page_size]
            if sort == "newest" or not terms:
                top = conn.execute(f"SELECT id FROM documents WHERE {where} ORDER BY {_NEWEST} "
                                   "LIMIT %s OFFSET %s", [*params, *window]).fetchall()
            else:
                top = conn.execute(_ranked(where, terms),
                                   [*params, *_weighted(conn, terms), *window]).fetchall()
            ids = [r[0] for r in top]
            records = dict(conn.execute("SELECT id, record FROM documents WHERE id = ANY(%s)",
                                        (ids,)).fetchall())
            total, facets = _facets(conn, where, params)
        hits = [Hit(doc, snippet_html(_snippet_text(doc), parsed.terms))
                for doc in (Document.from_dict(records[i]) for i in ids if i in records)]
        return SearchResults(total, hits, facets, page, page_size)

    def suggest_titles(self, prefix: str, principals: Iterable[str],
                       limit: int = 8) -> list[TitleSuggestion]:
        """Visible items whose title words start with the typed words, newest first."""
        words = [fold(m.group())[:PREFIX_MAX] for m in TOKEN_RE.finditer(clean(prefix))]
        words = [w for w in words[:8] if len(w) >= 2]
        if not words:
            return []
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, record->>'title', kind, record->>'url' FROM documents "
                f"WHERE acl && %s AND title_prefixes @> %s ORDER BY {_NEWEST} LIMIT %s",
                (_principals(principals), words, min(limit, 50))).fetchall()
        return [TitleSuggestion(*r) for r in rows]

    def did_you_mean(self, query: str, principals: Iterable[str]) -> str | None:
        """A corrected query built only from words in items the user may see, or None."""
        principals = _principals(principals)
        with self._read() as conn:

            def seen(parsed_query: Query) -> bool:
                match = condition(parsed_query)
                return conn.execute(
                    f"SELECT EXISTS (SELECT 1 FROM documents WHERE acl && %s AND {match.sql})",
                    [principals, *match.params]).fetchone()[0]

            def fix(word: str) -> str | None:
                lower = word.lower()
                if len(lower) < 3 or seen(word_query(stems(lower))):
                    return None
                return correction(conn, principals, lower)

            suggestion = rewrite_words(query, fix)
            if suggestion is None:
                return None
            parsed = parse(suggestion, _Lexicon(conn))
            return suggestion if parsed.query is not None and seen(parsed.query) else None


def _ranked(where: str, terms: list[str]) -> str:
    """The ids of one page of matches, best first. The vector is read (and decompressed) once
    per match in the inner query, then scored term by term with ts_rank_cd."""
    scored = ", ".join(
        f"(ts_rank_cd('{{1,1,1,1}}', v, %s::tsquery), %s, %s, {_length(term)})"
        for term in terms)
    return (f"SELECT id FROM (SELECT id, kind, sort_date, title_len, description_len, body_len, "
            f"tsv || ''::tsvector AS v FROM documents WHERE {where} OFFSET 0) AS m "
            f"ORDER BY (SELECT sum({_TERM_SCORE}) FROM (VALUES {scored}) AS t(r, i, b, n)) "
            f"* {_RECENCY} DESC, {_NEWEST} LIMIT %s OFFSET %s")


def _weighted(conn: psycopg.Connection, terms: list[str]) -> list[Any]:
    """Each scored term with its idf (rarer words weigh more; 0 for a compound part), its
    field boost and its field's average length, as parameters: term, idf, boost, …"""
    total, *averages = conn.execute("SELECT documents, title_len, description_len, body_len "
                                    "FROM generation").fetchone()
    fielded = [term for term in terms if term.rsplit(":", 1)[1] in FIELDS]
    counted = ", ".join(f"(SELECT count(*) FROM documents WHERE {_FREQUENCY_OF[t[-1]]})"
                        for t in fielded)
    lexemes = [t.rsplit(":", 1)[0] for t in fielded]
    # The planner prices the per-field index above a scan that decompresses every vector,
    # which costs several times more: the counts are told to use the indexes.
    conn.execute("SELECT set_config('enable_seqscan', 'off', true)")
    found = conn.execute(f"SELECT {counted}", lexemes).fetchone() if fielded else ()
    conn.execute("SELECT set_config('enable_seqscan', 'on', true)")
    frequencies = dict(zip(fielded, found, strict=True))
    params: list[Any] = []
    for term in terms:
        weight = term.rsplit(":", 1)[1]
        if weight in FIELDS:
            average = averages["ABC".index(weight)] or 1.0
            params += [term, log(max(total, 1) / (frequencies[term] + 1)) + 1,
                       FIELD_BOOSTS[FIELDS[weight]], average]
        else:
            params += [term, 0.0, PARTS_SCORE]
    return params


def _length(term: str) -> str:
    """The field length over its average (a parameter) for a term of that field, else 1."""
    field = FIELDS.get(term.rsplit(":", 1)[1])
    return f"{field}_len / %s" if field else "1.0"


def _facets(conn: psycopg.Connection, where: str,
            params: list[Any]) -> tuple[int, dict[str, list[FacetCount]]]:
    """The number of visible matches and their facets, counted in one pass."""
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    since = [hour - timedelta(days) for _, days in DATE_FACETS]
    dated = ", ".join("count(*) FILTER (WHERE modified >= %s)" for _ in since)
    rows = conn.execute(
        f"SELECT site_id, file_type, min(site_title), count(*), {dated} FROM documents "
        f"WHERE {where} GROUP BY GROUPING SETS ((site_id), (file_type), ())",
        [*since, *params]).fetchall()
    total, facets = 0, {"modified": [], "site": [], "type": []}
    for site_id, file_type, site_title, count, *counts in rows:
        if site_id is None and file_type is None:
            total = count
            facets["modified"] = [FacetCount(name, name, n)
                                  for (name, _), n in zip(DATE_FACETS, counts, strict=True)]
        elif site_id is not None:
            facets["site"].append(FacetCount(site_id, site_title or site_id, count))
        elif file_type:
            facets["type"].append(FacetCount(file_type, file_type, count))
    for name in ("site", "type"):
        facets[name].sort(key=lambda c: (-c.count, c.label.lower()))
    if not total:
        facets["modified"] = [FacetCount(name, name, 0) for name, _ in DATE_FACETS]
    return total, facets


def _snippet_text(doc: Document) -> str:
    return f"{doc.description}\n{doc.body}" if doc.description else doc.body
