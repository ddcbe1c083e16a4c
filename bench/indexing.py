"""The indexer against a live emulator: full sync with and without extraction, its memory,
then publish-to-searchable with ``indexer watch`` on the index that sync made."""

from __future__ import annotations

from pathlib import Path

from bench.figures import Figure
from bench.freshness import measure_freshness
from bench.full_sync import measure_full_sync
from bench.live import live_tenant

SYNC_ITEMS, QUICK_SYNC_ITEMS = 10_000, 500  # the tenant size the HTTP syncs run on, at most
POLL, QUICK_POLL = 10.0, 5.0  # seconds between the passes of `indexer watch`
RUNS, QUICK_RUNS = 5, 3  # publications measured


def measure_indexing(items: int, root: Path, quick: bool) -> list[Figure]:
    """Full sync figures and publish-to-searchable on a tenant of at most SYNC_ITEMS."""
    size = min(items, QUICK_SYNC_ITEMS if quick else SYNC_ITEMS)
    with live_tenant(size, root) as emulator:
        figures, index_dir = measure_full_sync(emulator, root, size)
        figures.append(measure_freshness(emulator, index_dir, QUICK_POLL if quick else POLL,
                                         QUICK_RUNS if quick else RUNS))
    return figures
