"""The indexer against one live emulator tenant: full sync with and without extraction and its
memory, incremental passes on the index that sync made, publish-to-searchable with polling,
and publish-to-visible on the front page with webhooks."""

from __future__ import annotations

from pathlib import Path

from bench.figures import Figure
from bench.freshness import measure_freshness
from bench.full_sync import measure_full_sync
from bench.live import live_tenant
from bench.sync_pass import QUICK_RUNS as QUICK_PASSES
from bench.sync_pass import RUNS as PASSES
from bench.sync_pass import measure_passes
from bench.visible import measure_visible

SYNC_ITEMS, QUICK_SYNC_ITEMS = 10_000, 300  # the tenant size the HTTP syncs run on, at most
POLL, QUICK_POLL = 10.0, 5.0  # seconds between the passes of `indexer watch`
RUNS, QUICK_RUNS = 5, 3  # publications measured with polling
VISIBLE_RUNS, QUICK_VISIBLE_RUNS = 20, 5  # publications measured with webhooks


def measure_indexing(items: int, root: Path, quick: bool) -> list[Figure]:
    """Every indexer figure on one tenant of at most SYNC_ITEMS (QUICK_SYNC_ITEMS)."""
    size = min(items, QUICK_SYNC_ITEMS if quick else SYNC_ITEMS)
    with live_tenant(size, root) as emulator:
        figures, index_dir = measure_full_sync(emulator, root, size)
        figures += measure_passes(emulator, index_dir, size, QUICK_PASSES if quick else PASSES)
        figures.append(measure_freshness(emulator, index_dir, QUICK_POLL if quick else POLL,
                                         QUICK_RUNS if quick else RUNS))
        figures.append(measure_visible(emulator, index_dir,
                                       QUICK_VISIBLE_RUNS if quick else VISIBLE_RUNS))
    return figures
