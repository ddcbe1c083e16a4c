"""Search latency of the PostgreSQL backend next to Whoosh, on the same synthetic records.

The records of the Whoosh benchmark index (bench.corpus) are written to PostgreSQL in batches,
as the indexer writes them, so both backends hold the same records. Both
readers answer bench.search's fixed queries for the same user in the same process,
alternating query by query. PostgreSQL is the server that ``BENCH_INDEX_URL`` names, else a
throwaway server started for the run. A database that ``BENCH_INDEX_URL`` names keeps the
records after the run, marked with their corpus, and a later run on the same corpus reuses
them (and reports the indexing rate measured when they were written); any other content is
emptied and written again.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import psycopg

from bench.corpus import build_index, corpus_key
from bench.figures import Figure, summary
from bench.search import CACHE, PAGE_SIZE, QUERIES, typical_user
from emulator.postgres import PostgresServer
from indexer.index import SearchIndex
from indexer.pg import vectors
from indexer.pg.migrations import SCHEMA_VERSION
from indexer.pg.reader import PgReader
from indexer.pg.store import PgIndex
from indexer.search import Reader

BATCH = 1000
WARM_UP, MEASURED, QUICK_MEASURED = 1, 5, 2


FILLED = "bench:corpus"  # the checkpoint that names the corpus a kept database holds


@contextmanager
def database(empty: bool = True) -> Iterator[str]:
    """The URL of a search database: BENCH_INDEX_URL's (emptied unless ``empty`` is false),
    or a throwaway server's."""
    url = os.environ.get("BENCH_INDEX_URL", "")
    if url:
        PgIndex.open_or_create(url, CACHE).close()
        if empty:
            _empty(url)
        yield url
        return
    server = PostgresServer()
    try:
        yield server.empty_database()
    finally:
        server.remove()


def _empty(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE documents, checkpoints, terms, vocabulary")


def _corpus(items: int) -> str:
    """What a filled database holds: the corpus and the code that turns it into rows."""
    digest = hashlib.sha256(inspect.getsource(vectors).encode()).hexdigest()[:12]
    return f"{corpus_key(items)}-pg{SCHEMA_VERSION}-{digest}"


def _filled(index: PgIndex, items: int, index_dir: Path) -> tuple[int, float]:
    """The records of the Whoosh index at ``index_dir`` written, unless the database holds
    them already: their number and the seconds their writes took."""
    known = index.checkpoints().get(FILLED)
    if known and known["corpus"] == _corpus(items):
        return known["count"], known["seconds"]
    _empty(index.url)
    count, seconds = fill(index, index_dir)
    with index.batch() as batch:
        batch.set_checkpoint(FILLED, {"corpus": _corpus(items), "count": count,
                                      "seconds": seconds})
    return count, seconds


def fill(index: PgIndex, index_dir: Path) -> tuple[int, float]:
    """Write every record of the Whoosh index; their number and the seconds the writes took."""
    source = SearchIndex.open(index_dir)
    try:
        stream, count, seconds = source.all_documents(), 0, 0.0
        while batch := list(islice(stream, BATCH)):
            start = time.perf_counter()
            with index.batch() as writing:
                for doc in batch:
                    writing.upsert(doc)
            seconds += time.perf_counter() - start
            count += len(batch)
    finally:
        source.ix.close()
    start = time.perf_counter()
    index.optimize()
    return count, seconds + time.perf_counter() - start


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def figures(items: int, url: str, quick: bool, cache: Path = CACHE) -> list[Figure]:
    """PostgreSQL search p50/p95/p99 (Whoosh as the baseline) and its write rate at ``items``,
    on the database at ``url`` (filled with the benchmark index's records, if it is not)."""
    principals = typical_user(items)
    index_dir = build_index(items, cache)
    whoosh_index = SearchIndex.open(index_dir)
    queries = [q for group in QUERIES.values() for q in group]
    samples: dict[str, list[float]] = {"postgres": [], "whoosh": []}
    measured = QUICK_MEASURED if quick else MEASURED
    index = PgIndex.open_or_create(url, cache)
    try:
        count, seconds = _filled(index, items, index_dir)
        with Reader(whoosh_index) as whoosh, PgReader(index) as postgres:
            for round_number in range(WARM_UP + measured):
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
    notes = (f"{measured} rounds of {len(queries)} queries after {WARM_UP} warm-up; a user "
             f"with many groups; page of {PAGE_SIZE} with snippets and facets; one process")
    return [
        Figure("PostgreSQL search latency p50", "ms", len(samples["postgres"]), pg["median"],
               pg, "Whoosh, same records and queries", wh["median"], notes=notes),
        Figure("PostgreSQL search latency p95", "ms", len(samples["postgres"]), pg["p95"],
               pg, "Whoosh, same records and queries", wh["p95"], notes=notes),
        Figure("PostgreSQL search latency p99", "ms", len(samples["postgres"]), pg["p99"],
               pg, "Whoosh, same records and queries", wh["p99"], notes=notes),
        Figure("PostgreSQL indexing rate", "items/s", 1, count / seconds if seconds else 0.0,
               notes=f"{count} records in batches of {BATCH}, one transaction each, "
                     "then ANALYZE"),
    ]
