"""Search latency of the PostgreSQL backend next to Whoosh, on the same synthetic records.

The synthetic tenant's records (bench.corpus) are written to PostgreSQL in batches, as the
indexer writes them, and the Whoosh benchmark index of the same records is reused. Both
readers answer bench.search's fixed queries for the same user in the same process,
alternating query by query. PostgreSQL is the server that ``BENCH_INDEX_URL`` names (its
database is emptied first), else a throwaway server started for the run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import psycopg

from bench.corpus import build_index, records, synthetic_tenant
from bench.figures import Figure, summary
from bench.search import CACHE, PAGE_SIZE, QUERIES, typical_user
from emulator.postgres import PostgresServer
from indexer.index import SearchIndex
from indexer.pg.reader import PgReader
from indexer.pg.store import PgIndex
from indexer.search import Reader

BATCH = 1000
WARM_UP, MEASURED = 1, 5


@contextmanager
def _database() -> Iterator[str]:
    """The URL of an empty search database: BENCH_INDEX_URL's, or a throwaway server's."""
    url = os.environ.get("BENCH_INDEX_URL", "")
    if url:
        PgIndex.open_or_create(url, CACHE).close()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("TRUNCATE documents, checkpoints, terms, vocabulary")
        yield url
        return
    server = PostgresServer()
    try:
        yield server.empty_database()
    finally:
        server.remove()


def _fill(index: PgIndex, items: int) -> tuple[int, float]:
    """Write the synthetic records; their number and the seconds the writes took."""
    stream, count, seconds = records(synthetic_tenant(items)), 0, 0.0
    while batch := list(islice(stream, BATCH)):
        start = time.perf_counter()
        with index.batch() as writing:
            for doc in batch:
                writing.upsert(doc)
        seconds += time.perf_counter() - start
        count += len(batch)
    index.optimize()
    return count, seconds


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def figures(items: int, cache: Path = CACHE) -> list[Figure]:
    """PostgreSQL search p50/p95 (Whoosh as the baseline) and its write rate at ``items``."""
    principals = typical_user(items)
    whoosh_index = SearchIndex.open(build_index(items, cache))
    queries = [q for group in QUERIES.values() for q in group]
    samples: dict[str, list[float]] = {"postgres": [], "whoosh": []}
    with _database() as url:
        index = PgIndex.open_or_create(url, cache)
        try:
            count, seconds = _fill(index, items)
            with Reader(whoosh_index) as whoosh, PgReader(index) as postgres:
                for round_number in range(WARM_UP + MEASURED):
                    for query in queries:
                        pg = _timed(lambda q=query: postgres.search(q, principals,
                                                                    page_size=PAGE_SIZE))
                        wh = _timed(lambda q=query: whoosh.search(q, principals,
                                                                  page_size=PAGE_SIZE))
                        if round_number >= WARM_UP:
                            samples["postgres"].append(pg)
                            samples["whoosh"].append(wh)
        finally:
            index.close()
            whoosh_index.ix.close()
    pg, wh = summary(samples["postgres"]), summary(samples["whoosh"])
    notes = (f"{MEASURED} rounds of {len(queries)} queries after {WARM_UP} warm-up; a user "
             f"with many groups; page of {PAGE_SIZE} with snippets and facets; one process")
    return [
        Figure("PostgreSQL search latency p50", "ms", len(samples["postgres"]), pg["median"],
               pg, "Whoosh, same records and queries", wh["median"], notes=notes),
        Figure("PostgreSQL search latency p95", "ms", len(samples["postgres"]), pg["p95"],
               pg, "Whoosh, same records and queries", wh["p95"], notes=notes),
        Figure("PostgreSQL indexing rate", "items/s", 1, count / seconds if seconds else 0.0,
               notes=f"{count} records in batches of {BATCH}, one transaction each"),
    ]
