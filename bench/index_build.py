"""Index build speed through the benchmark corpus, next to a plain Whoosh writer, and size.

The build is timed on at most BUILD_ITEMS items (QUICK_BUILD_ITEMS in quick mode), whatever
the benchmark's size: building an uncached 100,000-item index only to time it would cost about
an hour on top of building the cached index that the other figures use."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from whoosh import fields, index

from bench.corpus import build_index, texts
from bench.figures import Figure, summary

BUILD_ITEMS = 10_000
QUICK_BUILD_ITEMS = 500  # in quick mode


def measure_build(items: int, quick: bool = False) -> list[Figure]:
    """Build items/s (uncached, into a temp dir) of a tenant of ``items`` but at most
    BUILD_ITEMS (QUICK_BUILD_ITEMS when ``quick``), raw Whoosh items/s, and size per 1,000."""
    most = QUICK_BUILD_ITEMS if quick else BUILD_ITEMS
    built = min(items, most)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as temp:
        started = time.perf_counter()
        index_dir = build_index(built, Path(temp))
        build_seconds = time.perf_counter() - started
        records = list(texts(index_dir))
        size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
        raw_seconds = raw_whoosh_seconds(records, Path(temp) / "raw")
    count = len(records)
    rate, raw_rate = count / build_seconds, count / raw_seconds
    scope = f"a {built:,}-item tenant (at most {most:,}, whatever the benchmark's size)"
    return [
        Figure("index build", "items/s", 1, rate, summary([rate]),
               "raw Whoosh writer (one TEXT field)", raw_rate, "report it", None,
               f"{count} records of {scope}; generation, extraction, acl resolution and "
               "optimize included"),
        Figure("index size per 1,000 items", "MB", 1, size / count * 1000 / 1e6,
               summary([size / count * 1000 / 1e6]), target="report it",
               notes=f"{size / 1e6:.1f} MB for {count} records of {scope}, optimized"),
    ]


def raw_whoosh_seconds(records: list, directory: Path) -> float:
    """Seconds a default writer takes to add and commit the same texts."""
    directory.mkdir()
    schema = fields.Schema(id=fields.ID(stored=True, unique=True), text=fields.TEXT)
    raw = index.create_in(str(directory), schema)
    started = time.perf_counter()
    writer = raw.writer()
    for record in records:
        writer.add_document(id=record.id,
                            text=f"{record.title}\n{record.description}\n{record.body}")
    writer.commit()
    seconds = time.perf_counter() - started
    raw.close()
    return seconds
