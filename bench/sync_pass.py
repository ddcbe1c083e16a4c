"""Incremental passes with 0 and 1 change, on the index that a full sync made."""

from __future__ import annotations

import time
from pathlib import Path

from bench.figures import Figure, summary
from emulator import editing
from emulator.announce import tenant_settings
from emulator.server import Emulator
from emulator.tenant import DOCUMENT_LIBRARY
from indexer.cli import make_client
from indexer.extract import Extractor
from indexer.index import SearchIndex
from indexer.settings import load_settings
from indexer.sync import Syncer

MAX_SECONDS, MAX_REQUESTS = 1.0, 10
RUNS, QUICK_RUNS = 3, 2  # pairs of passes (0 changes, then 1 change)


def measure_passes(emulator: Emulator, index_dir: Path, items: int, runs: int) -> list[Figure]:
    """Seconds and SharePoint REST requests of a pass with 1 change, next to a pass with 0
    changes, ``runs`` times each, against the synced ``index_dir`` of ``emulator``'s tenant:
    regular passes over every site, then passes of the one list a webhook notification names."""
    tenant = emulator.tenant
    settings = load_settings(tenant_settings(emulator) | {"INDEX_DIR": str(index_dir)})
    site = next(s for s in tenant.sites.values()
                if any(x.base_template == DOCUMENT_LIBRARY for x in s.lists.values()))
    library = next(x for x in site.lists.values() if x.base_template == DOCUMENT_LIBRARY)
    author = min(tenant.directory.users.values(), key=lambda u: u.oid)
    index = SearchIndex.open(index_dir)
    passes: dict[tuple[str, ...], tuple[list, list]] = {(): ([], []), (library.id,): ([], [])}
    try:
        with Extractor(timeout=30) as extractor:
            syncer = Syncer(settings, index, make_client(settings), extractor)
            _pass(syncer, emulator)  # whatever the full sync left to do
            extractor.extract("warm-up.txt", b"ready")  # its worker loaded, as in a watch
            for lists, (idle, changed) in passes.items():
                for run in range(runs):
                    idle.append(_pass(syncer, emulator, lists))
                    with tenant.lock:
                        editing.add_file(tenant, site, library, "",
                                         f"Benchmark note {len(lists)}-{run}.txt",
                                         b"A new note for the incremental benchmark pass.",
                                         author)
                    changed.append(_pass(syncer, emulator, lists))
    finally:
        index.ix.close()
    note = (f"in-process Syncer on the index of `indexer sync --full`, {items:,}-item tenant "
            f"of {len(tenant.sites)} sites; {runs} pairs of passes, each pair a pass with 0 "
            "changes (the baseline) and one after a new file in one library")
    regular, notified = passes[()], passes[(library.id,)]
    return (_figures("incremental pass, 1 change", "pass with 0 changes", *regular,
                     f"{note}; a regular pass asks every site for its changes")
            + _figures("notified pass, 1 change", "notified pass with 0 changes", *notified,
                       f"{note}; a pass woken by a webhook notification asks the list it "
                       "names alone (`indexer watch`)"))


def _figures(label: str, baseline: str, idle: list[tuple[float, int]],
             changed: list[tuple[float, int]], note: str) -> list[Figure]:
    """The seconds and requests figures of passes with 1 change against ``idle`` passes."""
    figures = []
    for k, (name, unit, limit) in enumerate((("seconds", "s", MAX_SECONDS),
                                             ("requests", "requests", MAX_REQUESTS))):
        stats = summary([c[k] for c in changed])
        base = summary([i[k] for i in idle])["median"]
        figures.append(Figure(label + ("" if k == 0 else ", requests"), unit, len(changed),
                              stats["median"], stats, baseline, base,
                              f"<= {limit:g}{' s' if k == 0 else ''}", stats["max"] <= limit,
                              f"{note}; met when the slowest {name} is within the target"))
    return figures


def _pass(syncer: Syncer, emulator: Emulator, lists: tuple[str, ...] = ()) -> tuple[float, int]:
    """Seconds and SharePoint REST requests of one pass (of ``lists`` alone, if any); a failed
    pass fails the benchmark."""
    emulator.state.requests.clear()
    started = time.perf_counter()
    code = syncer.run(only_lists=lists).exit_code
    seconds = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"sync pass exited {code}")
    return seconds, len(emulator.state.requests.matching("/_api/"))
