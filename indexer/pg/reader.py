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
from typing import Any

import psycopg
from whoosh.query import And, Query

from indexer import query as query_module
from indexer.analysis import PREFIX_MAX, TOKEN_RE, fold, stems
from indexer.document import Document
from indexer.pg.ranking import NEWEST, Frequencies, no_table_scans, ranked, ranked_params
from indexer.pg.sqlquery import Condition, condition, scoring_terms
from indexer.pg.store import PgIndex
from indexer.pg.suggest import correction
from indexer.query import clean, filter_queries, parse, rewrite_words, word_query
from indexer.schema import NO_AUDIENCE
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
# One JSON value: for each site, each file type and all the matches (the CTE ``matches``), an
# array of site_id, file_type, site title, count, and the count of each DATE_FACETS period.
FACET_COUNTS = (
    "SELECT json_agg(g.counts) FROM (SELECT json_build_array(site_id, file_type, min(site_title), "
    "count(*), " + ", ".join("count(*) FILTER (WHERE modified >= %s)" for _ in DATE_FACETS)
    + ") AS counts FROM matches GROUP BY GROUPING SETS ((site_id), (file_type), ())) AS g")


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
        self._frequencies = Frequencies()

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
            rows = conn.execute(f"SELECT record FROM documents WHERE {sql} ORDER BY {NEWEST} "
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
            # The acl is checked on each match, not through its index: the planner would
            # take the acl's index for most users, and then read and decompress every visible
            # row's vector to test the text, instead of the text's GIN index.
            where = f"{match.sql} AND (acl && %s) IS TRUE"
            params = [*match.params, _principals(principals)]
            terms = scoring_terms(parsed.query)
            window = [page_size, (page - 1) * page_size]
            if sort == "newest" or not terms:
                no_table_scans(conn)
                ids = [r[0] for r in conn.execute(
                    f"SELECT id FROM documents WHERE {where} ORDER BY {NEWEST} LIMIT %s "
                    "OFFSET %s", [*params, *window])]
                # The matches found first, through the text's GIN index: grouped straight
                # from the table, the planner walks the site index and tests every row's text.
                counts = conn.execute(
                    f"WITH matches AS MATERIALIZED (SELECT site_id, file_type, site_title, "
                    f"modified FROM documents WHERE {where}) {FACET_COUNTS}",
                    [*params, *_since()]).fetchone()[0]
            else:
                weighted = self._frequencies.weighted(conn, terms)
                ids, counts = conn.execute(
                    ranked(where, weighted, FACET_COUNTS),
                    ranked_params(params, weighted, *window, _since())).fetchone()
            records = dict(conn.execute("SELECT id, record FROM documents WHERE id = ANY(%s)",
                                        (ids,)).fetchall())
        total, facets = _facets(counts or [])
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
                f"WHERE acl && %s AND title_prefixes @> %s ORDER BY {NEWEST} LIMIT %s",
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


def _since() -> list[datetime]:
    """The parameters of FACET_COUNTS: where each date facet starts (from this hour)."""
    hour = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return [hour - timedelta(days) for _, days in DATE_FACETS]


def _facets(counts: list[list[Any]]) -> tuple[int, dict[str, list[FacetCount]]]:
    """The number of visible matches and their facets, from FACET_COUNTS' rows."""
    total, facets = 0, {"modified": [], "site": [], "type": []}
    for site_id, file_type, site_title, count, *dated in counts:
        if site_id is None and file_type is None:
            total = count
            facets["modified"] = [FacetCount(name, name, n)
                                  for (name, _), n in zip(DATE_FACETS, dated, strict=True)]
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
