"""Index build speed through the benchmark corpus, next to a plain Whoosh writer, and size."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from whoosh import fields, index

from bench.corpus import build_index, texts
from bench.figures import Figure, summary


def measure_build(items: int) -> list[Figure]:
    """Build items/s (uncached, into a temp dir), raw Whoosh items/s, and size per 1,000."""
    with tempfile.TemporaryDirectory(prefix="bench-build-") as temp:
        started = time.perf_counter()
        index_dir = build_index(items, Path(temp))
        build_seconds = time.perf_counter() - started
        records = list(texts(index_dir))
        size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
        raw_seconds = raw_whoosh_seconds(records, Path(temp) / "raw")
    count = len(records)
    rate, raw_rate = count / build_seconds, count / raw_seconds
    return [
        Figure("index build", "items/s", 1, rate, summary([rate]),
               "raw Whoosh writer (one TEXT field)", raw_rate, "report it", None,
               f"{count} records; generation, extraction, acl resolution and optimize included"),
        Figure("index size per 1,000 items", "MB", 1, size / count * 1000 / 1e6,
               summary([size / count * 1000 / 1e6]), target="report it",
               notes=f"{size / 1e6:.1f} MB for {count} records, optimized"),
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
