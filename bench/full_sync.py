"""Full sync through ``indexer sync --full`` from the emulator, with and without extraction,
next to a plain Whoosh writer given the same records; and the indexer's peak memory."""

from __future__ import annotations

import sys
from pathlib import Path

from bench.children import run_measured
from bench.corpus import texts
from bench.figures import Figure, summary
from bench.index_build import raw_whoosh_seconds
from bench.live import environment
from emulator.server import Emulator

SYNC = [sys.executable, "-m", "indexer.cli", "sync", "--full"]


def measure_full_sync(emulator: Emulator, root: Path, items: int) -> tuple[list[Figure], Path]:
    """Items/s of a full sync with extraction (its index is returned for later figures) and
    without (every file indexed by metadata only), the baseline, and peak RSS."""
    lean_seconds, _ = _sync(emulator, root / "lean", MAX_FILE_MB="0")
    seconds, peak = _sync(emulator, root / "full")
    index_dir = root / "full" / "index"
    records = list(texts(index_dir))
    raw_rate = len(records) / raw_whoosh_seconds(records, root / "raw")
    count = len(records)
    where = f"{count:,} records over HTTP from a {items:,}-item emulator tenant, one run"
    rates = {"included": count / seconds, "excluded": count / lean_seconds}
    figures = [Figure(f"`indexer sync --full`, extraction {kind}", "items/s", 1, rate,
                      summary([rate]), "raw Whoosh writer, same texts", raw_rate, "report it",
                      None,
                      where + ("" if kind == "included" else
                               "; MAX_FILE_MB=0: metadata only, each download refused at its "
                               "Content-Length, no text extraction"))
               for kind, rate in rates.items()]
    figures.append(Figure("indexer peak RSS, full sync", "MB", 1, peak / 1e6,
                          summary([peak / 1e6]), target="report it",
                          notes="largest process of `indexer sync --full` (main or an "
                                f"extraction worker), {count:,} records"))
    return figures, index_dir


def _sync(emulator: Emulator, home: Path, **settings: str) -> tuple[float, int]:
    """Seconds and peak RSS of one full sync into ``home/index``."""
    home.mkdir(parents=True)
    env = environment(emulator, INDEX_DIR=str(home / "index"), **settings)
    return run_measured(SYNC, env, home / "sync.log")


