"""A chaos run of the indexer: seeded faults in the emulator while editors change content.

:func:`chaos_run` serves a small tenant, lets :meth:`Faults.chaos` inject faults
of every kind into a few incremental passes with editor changes between them, stops the
faults, runs one clean pass and returns that index next to a full sync of a fresh index.
"""

from __future__ import annotations

import functools
import pickle
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from emulator import editing
from emulator.announce import tenant_settings
from emulator.directory import Directory
from emulator.server import Emulator
from emulator.tenant import Tenant
from indexer.cli import make_client
from indexer.document import Document
from indexer.extract import Extractor
from indexer.index import SearchIndex
from indexer.settings import load_settings
from indexer.sync import Syncer

DOCS = 10  # with the folders and news about twenty items: each seed stays small
NEWS = 2
FOLDERS = ("Referater", "Referater/2025", "Skabeloner")
PASSES = 1  # chaotic incremental passes after the chaotic first sync, each after EDITS changes
EDITS = 4
RATE = 0.12  # the odds of each fault kind on a request


@dataclass
class ChaosResult:
    """What one seed did: faults injected, edits made, pass exit codes, and both indexes."""

    injected: dict[str, int]
    edits: list[str] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    chaotic: list[Document] = field(default_factory=list)
    full: list[Document] = field(default_factory=list)


def syncer(emulator: Emulator, index_dir: Path, extractor: Extractor) -> Syncer:
    """An indexer for ``emulator`` that does not wait out ``Retry-After`` for real."""
    settings = load_settings(tenant_settings(emulator) | {"INDEX_DIR": str(index_dir)})
    client = make_client(settings, sleep=lambda seconds: None)
    return Syncer(settings, SearchIndex.open_or_create(index_dir), client, extractor)


def _build_tenant() -> Tenant:
    """One site: text files in two libraries with folders, a restricted file, news."""
    directory = Directory("7a1c0e2b-0000-4000-8000-00000000c4a0", "kaos.test")
    users = [directory.add_user(f"user{n}", f"Bruger {n}") for n in range(4)]
    groups = [directory.add_group(f"Gruppe {n}", users[n::2]) for n in range(2)]
    tenant = Tenant("Kaoskommune", directory)
    site = editing.create_site(tenant, "intranet", "Intranet", "SITEPAGEPUBLISHING#0",
                               owners=[users[0].login_name],
                               visitors=[directory.everyone_login_name])
    libraries = [site.list_by_title("Dokumenter"),
                 editing.add_list(tenant, site, "Arkiv", "Arkiv")]
    for lst in libraries:
        for folder in FOLDERS:
            editing.add_folder(tenant, site, lst, folder, users[0])
    for number in range(DOCS):
        lst = libraries[number % 2]
        item = editing.add_file(tenant, site, lst, FOLDERS[number % len(FOLDERS)] if number % 3
                                else "", f"Notat {number}.txt",
                                f"Notat {number} om skole og budget.".encode(), users[number % 4])
        if number % 5 == 0:
            editing.break_inheritance(tenant, site, lst, item, copy=False)
            editing.grant(tenant, site, lst, item, groups[number % 2].login_name, "Read")
    for number in range(NEWS):
        editing.add_page(tenant, site, f"nyhed-{number}.aspx", f"Nyhed {number}",
                         f"<div><p>Nyhed {number} fra forvaltningen.</p></div>", users[1])
    return tenant


@functools.cache
def _tenant_bytes() -> bytes:
    return pickle.dumps(_build_tenant())


def small_tenant() -> Tenant:
    """A fresh copy of the tenant every seed starts from (built once: seeds vary the faults
    and the edits)."""
    return pickle.loads(_tenant_bytes())


def random_edit(tenant: Tenant, rng: random.Random, number: int) -> str:
    """One editor change picked by ``rng``; returns its name."""
    site = next(iter(tenant.sites.values()))
    libraries = [lst for lst in site.lists.values() if lst.title in ("Dokumenter", "Arkiv")]
    lst = rng.choice(libraries)
    files = [item for item in lst.items.values() if not item.is_folder]
    editor = rng.choice(list(tenant.directory.users.values()))
    action = rng.choice(("add", "add", "version", "rename", "move", "delete", "restrict",
                         "news") if files else ("add", "news"))
    item = rng.choice(files) if files else None
    if action == "add":
        editing.add_file(tenant, site, lst, rng.choice(("", *FOLDERS)), f"Kaos {number}.txt",
                         f"Kaosnotat {number} om budget og ferie.".encode(), editor)
    elif action == "version":
        editing.save_version(tenant, site, lst, item, editor,
                             fields={"Title": f"Revideret {number}"},
                             content=f"Ny udgave {number}.".encode())
    elif action == "rename":
        editing.rename_item(tenant, site, lst, item, f"Omdøbt {number}.{item.name.rsplit('.')[-1]}")
    elif action == "move":
        folder = rng.choice([f for f in ("", *FOLDERS) if f"{lst.root_url}/{f}".rstrip("/")
                             != item.dir])
        try:
            editing.move_item(tenant, site, lst, item, folder)
        except editing.EditError:  # a file of that name is there already
            return "move refused"
    elif action == "delete":
        editing.delete_item(tenant, site, lst, item)
    elif action == "restrict":
        group = rng.choice(list(tenant.directory.groups.values()))
        editing.break_inheritance(tenant, site, lst, item, copy=False)
        editing.grant(tenant, site, lst, item, group.login_name, "Read")
    else:
        editing.add_page(tenant, site, f"kaos-{number}.aspx", f"Kaosnyhed {number}",
                         f"<div><p>Nyhed nummer {number}.</p></div>", editor)
    return action


def chaos_run(seed: int, serve: Callable[[Tenant], Emulator], tmp_path: Path,
              extractor: Extractor) -> ChaosResult:
    """Faults and edits from ``seed``, then one clean pass, beside a full sync of a fresh index."""
    rng = random.Random(seed)
    emulator = serve(small_tenant())
    tenant = emulator.tenant
    emulator.state.faults.chaos(seed, rate=RATE, delay=0.01)
    chaotic = syncer(emulator, tmp_path / f"chaos-{seed}", extractor)
    result = ChaosResult(injected={}, exit_codes=[chaotic.run().exit_code])
    for number in range(PASSES * EDITS):
        with tenant.lock:
            result.edits.append(random_edit(tenant, rng, number))
        if number % EDITS == EDITS - 1:
            result.exit_codes.append(chaotic.run().exit_code)
    result.injected = emulator.state.faults.injected()
    emulator.state.faults.clear()
    assert chaotic.run().exit_code == 0, "the clean pass after the faults failed"
    result.chaotic = list(chaotic.index.all_documents())
    fresh = syncer(emulator, tmp_path / f"full-{seed}", extractor)
    assert fresh.run(full=True).exit_code == 0
    result.full = list(fresh.index.all_documents())
    return result
