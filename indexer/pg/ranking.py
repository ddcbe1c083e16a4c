"""Relevance ranking in PostgreSQL, as the Whoosh backend ranks (indexer.ranking): each query
term scores ``boost * (1 + idf * the saturated term frequency)``, the frequency counted by
ts_rank_cd; a compound part scores PARTS_SCORE; news gets up to 10 % more, fading with age.

Reading a match's full vector (and decompressing it) is what ranking costs, so it is done in
two steps: every match is ordered by an upper bound of its score, read from the small title
and description vector (``head``) alone, and only the best :data:`RANK_WINDOW` are scored
exactly. The page is exact whenever no match left out could beat it (always, with fewer
matches than the window); beyond, a match found only in the body may be passed over for
newer ones that are no better by the bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import log
from typing import Any

import psycopg

from indexer.ranking import BM25_B, BM25_K1
from indexer.schema import FIELD_BOOSTS, PARTS_SCORE

RANK_WINDOW = 300
MAX_CACHED_TERMS = 20_000  # document frequencies kept per generation (then started afresh)
FIELDS = {"A": "title", "B": "description", "C": "body"}
NEWEST = "sort_date DESC, id"
_TERM_SCORE = (f"CASE WHEN r = 0 THEN 0 WHEN i = 0 THEN b ELSE b * (1 + i * r * {BM25_K1 + 1}"
               f" / (r + {BM25_K1} * ({1 - BM25_B} + {BM25_B} * n))) END")
# News gets up to 10 % more, fading with age (a month old: 5 %)
_RECENCY = ("(CASE WHEN kind = 'news' THEN 1 + 0.1 / (1 + extract(epoch FROM now() - sort_date)"
            " / 2592000.0) ELSE 1 END)")
# Document frequency per field, as BM25F's idf, from one index per field (no recheck needed)
_FREQUENCY_OF = {weight: f"ts_filter(tsv, '{{{weight.lower()}}}') @@ %s::tsquery"
                 for weight in FIELDS}


@dataclass(frozen=True)
class Scored:
    """One scored query term: its tsquery literal (lexeme and weight), idf, boost and its
    field's average length (0 for a compound part, which scores its boost alone)."""

    term: str
    idf: float
    boost: float
    average: float

    @property
    def weight(self) -> str:
        """The term's weight letter: A title, B description, C body, D compound part."""
        return self.term.rsplit(":", 1)[1]

    @property
    def params(self) -> list[Any]:
        """Its parameters in :func:`_score`."""
        return [self.term, self.idf, self.boost] + ([self.average] if self.average else [])

    @property
    def most(self) -> float:
        """The most the term can add to a score (its frequency without bound)."""
        return self.boost * (1 + self.idf * (BM25_K1 + 1))


class Frequencies:
    """Document frequencies per term, kept for one index generation (thread-safe: the cache
    is replaced whole when the generation changes)."""

    def __init__(self) -> None:
        self._cache: tuple[int, dict[str, int]] = (-1, {})

    def weighted(self, conn: psycopg.Connection, terms: list[str]) -> list[Scored]:
        """The scored terms with their idf (rarer words weigh more), boost and average field
        length, read in the connection's snapshot."""
        number, total, *averages = conn.execute(
            "SELECT number, documents, title_len, description_len, body_len FROM generation"
        ).fetchone()
        no_table_scans(conn)
        cache = self._cache  # one read: another thread may replace it meanwhile
        if cache[0] != number or len(cache[1]) > MAX_CACHED_TERMS:
            cache = self._cache = (number, {})
        known = cache[1]
        fielded = [t for t in terms if t.rsplit(":", 1)[1] in FIELDS]
        missing = [t for t in fielded if t not in known]
        if missing:
            counted = ", ".join(f"(SELECT count(*) FROM documents WHERE "
                                f"{_FREQUENCY_OF[t[-1]]})" for t in missing)
            found = conn.execute(f"SELECT {counted}",
                                 [t.rsplit(":", 1)[0] for t in missing]).fetchone()
            known.update(zip(missing, found, strict=True))
        scored = []
        for term in terms:
            weight = term.rsplit(":", 1)[1]
            if weight in FIELDS:
                idf = log(max(total, 1) / (known[term] + 1)) + 1
                scored.append(Scored(term, idf, FIELD_BOOSTS[FIELDS[weight]],
                                     averages["ABC".index(weight)] or 1.0))
            else:
                scored.append(Scored(term, 0.0, PARTS_SCORE, 0.0))
        return scored


def no_table_scans(conn: psycopg.Connection) -> None:
    """For the rest of the transaction, find matches through the indexes: the planner prices
    a scan of the table below the GIN index when most rows match, but the scan reads (and
    decompresses) every row's vector."""
    conn.execute("SELECT set_config('enable_seqscan', 'off', true)")


def ranked(where: str, terms: list[Scored], counts: str) -> str:
    """One row: the ids of one page of matches, best first, and ``counts``, a query of one
    value over the CTE ``matches`` (every match's site_id, file_type, site_title and
    modified). One statement reads the matches once (parameters: :func:`ranked_params`)."""
    head = [t for t in terms if t.weight in "AB"]
    bound = "%s"  # what the body and the compound parts could add at most
    if head:
        bound = f"CASE WHEN head @@ %s::tsquery THEN {_score('head', head)} ELSE 0 END + %s"
    return (f"WITH matches AS MATERIALIZED (SELECT id, sort_date, site_id, file_type, site_title, "
            f"modified, ({bound}) * {_RECENCY} AS bound FROM documents WHERE {where}), "
            f"best AS (SELECT id FROM matches ORDER BY bound DESC, {NEWEST} LIMIT %s) "
            f"SELECT ARRAY(SELECT id FROM (SELECT id, kind, sort_date, title_len, "
            f"description_len, body_len, tsv || ''::tsvector AS v FROM documents "
            f"WHERE id IN (SELECT id FROM best) OFFSET 0) AS m ORDER BY {_score('v', terms)} "
            f"* {_RECENCY} DESC, {NEWEST} LIMIT %s OFFSET %s), "
            f"({counts})")


def ranked_params(where_params: list[Any], terms: list[Scored], limit: int, offset: int,
                  counts_params: list[Any]) -> list[Any]:
    """The parameters of :func:`ranked`'s statement, in order."""
    head = [t for t in terms if t.weight in "AB"]
    rest = sum(t.most if t.weight == "C" else t.boost for t in terms if t.weight not in "AB")
    bound = [" | ".join(t.term for t in head), *(v for t in head for v in t.params)] if head else []
    return [*bound, rest, *where_params, max(RANK_WINDOW, limit + offset),
            *(v for t in terms for v in t.params), limit, offset, *counts_params]


def _score(vector: str, terms: list[Scored]) -> str:
    """The sum of the terms' scores in a vector."""
    scored = ", ".join(
        f"(ts_rank_cd('{{1,1,1,1}}', {vector}, %s::tsquery), %s, %s, {_length(term)})"
        for term in terms)
    return f"(SELECT sum({_TERM_SCORE}) FROM (VALUES {scored}) AS t(r, i, b, n))"


def _length(term: Scored) -> str:
    """The field length over its average (a parameter) for a term of that field, else 1."""
    field = FIELDS.get(term.weight)
    return f"{field}_len / %s" if field else "1.0"
