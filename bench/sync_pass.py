"""A full sync from the emulator, then incremental passes with 0 and 1 change."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.corpus import synthetic_tenant
from bench.figures import Figure, summary
from emulator import editing
from emulator.announce import tenant_settings
from emulator.server import Emulator
from emulator.tenant import DOCUMENT_LIBRARY, Tenant
from indexer.cli import make_client
from indexer.extract import Extractor
from indexer.index import SearchIndex
from indexer.settings import load_settings
from indexer.sync import Syncer

MAX_SECONDS, MAX_REQUESTS = 1.0, 10


def measure_sync(items: int) -> list[Figure]:
    """Full sync items/s, and seconds and REST requests of a 0-change and a 1-change pass."""
    tenant = synthetic_tenant(items)
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as temp:
        (Path(temp) / "emulator").mkdir()
        with (Emulator(tenant, Path(temp) / "emulator") as emulator,
              Extractor(timeout=30) as extractor):
            return _passes(tenant, emulator, extractor, Path(temp) / "index", items)


def _passes(tenant: Tenant, emulator: Emulator, extractor: Extractor, index_dir: Path,
            items: int) -> list[Figure]:
    """The full sync and the two incremental passes against a running emulator."""
    settings = load_settings(tenant_settings(emulator) | {"INDEX_DIR": str(index_dir)})
    index = SearchIndex.open_or_create(index_dir)
    syncer = Syncer(settings, index, make_client(settings), extractor)
    full_seconds, _ = _pass(syncer, emulator)
    count = sum(1 for _ in index.all_documents())
    idle = _pass(syncer, emulator)
    site = next(s for s in tenant.sites.values()
                if any(x.base_template == DOCUMENT_LIBRARY for x in s.lists.values()))
    library = next(x for x in site.lists.values() if x.base_template == DOCUMENT_LIBRARY)
    author = next(iter(sorted(tenant.directory.users.values(), key=lambda u: u.oid)))
    with tenant.lock:
        editing.add_file(tenant, site, library, "", "Benchmark note.txt",
                         b"A new note for the incremental benchmark pass.", author)
    changed = _pass(syncer, emulator)
    index.ix.close()
    rate = count / full_seconds
    pass_note = f"{items}-item tenant; baseline is the pass with 0 changes"
    return [
        Figure("full sync, extraction included", "items/s", 1, rate, summary([rate]),
               target="report it",
               notes=f"{count} records over HTTPS from the emulator in {full_seconds:.1f} s"),
        Figure("incremental pass, 1 change", "s", 1, changed[0], summary([changed[0]]),
               "pass with 0 changes", idle[0], f"<= {MAX_SECONDS:g} s",
               changed[0] <= MAX_SECONDS, pass_note),
        Figure("incremental pass, 1 change, requests", "requests", 1, changed[1],
               summary([changed[1]]), "pass with 0 changes", idle[1], f"<= {MAX_REQUESTS}",
               changed[1] <= MAX_REQUESTS, pass_note),
    ]


def _pass(syncer: Syncer, emulator: Emulator) -> tuple[float, int]:
    """Seconds and SharePoint REST requests of one pass; a failed pass fails the benchmark."""
    emulator.state.requests.clear()
    started = time.perf_counter()
    code = syncer.run().exit_code
    seconds = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"sync pass exited {code}")
    return seconds, len(emulator.state.requests.matching("/_api/"))
