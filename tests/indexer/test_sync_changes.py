"""Folder moves, moves between libraries, unpublishing, SharePoint group membership and hub
sites, each as a reader of the index notices it after one incremental pass."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator import editing
from emulator.announce import tenant_settings
from emulator.sample import catalogue, people
from emulator.server import Emulator
from emulator.tenant import Site, SPList
from indexer.cli import make_client
from indexer.document import Document
from indexer.extract import Extractor
from indexer.index import SearchIndex
from indexer.settings import load_settings
from indexer.sync import Syncer


class Mirror:
    """An emulator, the index the indexer writes for it, and one pass at a time."""

    def __init__(self, emulator: Emulator, index_dir: Path, extractor: Extractor,
                 **overrides: str) -> None:
        self.emulator = emulator
        values = tenant_settings(emulator) | {"INDEX_DIR": str(index_dir)} | overrides
        self.settings = load_settings(values)
        self.index = SearchIndex.open_or_create(index_dir)
        self.syncer = Syncer(self.settings, self.index, make_client(self.settings), extractor)

    def sync(self, full: bool = False) -> int:
        self.emulator.state.requests.clear()
        return self.syncer.run(full=full).exit_code

    def records(self) -> list[Document]:
        return list(self.index.all_documents())

    def by_path(self, path: str) -> Document | None:
        return next((d for d in self.records() if d.path == path), None)

    def by_title(self, title: str) -> Document | None:
        return next((d for d in self.records() if d.title == title), None)

    def requests(self, fragment: str) -> int:
        """How many SharePoint REST requests of the last pass contain ``fragment``."""
        return len(self.emulator.state.requests.matching(fragment))

    def edit(self, change, *args, **kwargs):
        with self.emulator.tenant.lock:
            return change(self.emulator.tenant, *args, **kwargs)


@pytest.fixture(scope="module")
def extractor() -> Iterator[Extractor]:
    with Extractor(timeout=30) as running:
        yield running


@pytest.fixture
def mirror(emulator: Emulator, tmp_path: Path, extractor: Extractor) -> Mirror:
    synced = Mirror(emulator, tmp_path / "index", extractor)
    assert synced.sync() == 0
    return synced


def _library(emulator: Emulator, site_url: str, title: str) -> tuple[Site, SPList]:
    site = emulator.tenant.site_by_url(site_url)
    return site, site.list_by_title(title)


def _user(emulator: Emulator, upn: str):
    return emulator.tenant.directory.user_by_upn(upn)


def test_a_moved_folder_takes_every_document_inside_along(mirror: Mirror, emulator: Emulator):
    site, documents = _library(emulator, catalogue.IT_SITE, catalogue.DOCUMENTS)
    editor = _user(emulator, people.TECHNICIAN)
    mirror.edit(editing.add_folder, site, documents, "Arkiv", editor)
    mirror.edit(editing.add_folder, site, documents, "Vejledninger", editor)
    for name in ("Printer.txt", "Wifi.txt"):
        mirror.edit(editing.add_file, site, documents, "Vejledninger", name,
                    f"Sådan bruger du {name}".encode(), editor)
    assert mirror.sync() == 0
    old_dir = f"{documents.root_url}/Vejledninger"
    assert mirror.by_path(f"{old_dir}/Wifi.txt") is not None

    folder = documents.item_by_url(old_dir)
    mirror.edit(editing.move_item, site, documents, folder, "Arkiv")
    assert mirror.sync() == 0
    paths = {d.path for d in mirror.records()}
    new_dir = f"{documents.root_url}/Arkiv/Vejledninger"
    assert {f"{new_dir}/Printer.txt", f"{new_dir}/Wifi.txt"} <= paths
    assert not any(path.startswith(old_dir + "/") for path in paths)
    assert mirror.requests("/$value") == 0  # moving does not change the bytes


def test_a_document_moved_to_another_library_is_indexed_once_there(
        mirror: Mirror, emulator: Emulator):
    site, documents = _library(emulator, catalogue.SCHOOLS, catalogue.DOCUMENTS)
    _, teaching = _library(emulator, catalogue.SCHOOLS, catalogue.TEACHING)
    item = next(i for i in documents.items.values() if not i.is_folder)
    before = mirror.by_path(item.file_ref)
    mirror.edit(editing.move_to_library, site, documents, item, teaching,
                _user(emulator, people.TEACHER))
    assert mirror.sync() == 0
    found = [d for d in mirror.records() if d.title == before.title]
    assert [(d.path, d.library) for d in found] == [(f"{teaching.root_url}/{item.name}",
                                                     teaching.title)]
    assert found[0].body == before.body


def test_unpublished_news_leaves_the_index(mirror: Mirror, emulator: Emulator):
    site, pages = _library(emulator, catalogue.INTRANET, catalogue.SITE_PAGES)
    news = next(d for d in mirror.records() if d.kind == "news" and d.version == "1.0"
                and d.site_url.endswith(catalogue.INTRANET))
    item = next(i for i in pages.items.values() if i.file_ref == news.path)
    mirror.edit(editing.unpublish, site, pages, item, _user(emulator, people.EDITOR))
    assert mirror.sync() == 0
    assert mirror.by_path(news.path) is None
    assert news.title not in {d.title for d in mirror.records()}


def test_joining_a_sharepoint_group_grants_its_items_without_rereading_files(
        mirror: Mirror, emulator: Emulator):
    restricted = mirror.by_title("Administratoradgange")
    teacher = _user(emulator, people.TEACHER)
    assert f"user:{teacher.oid}" not in restricted.acl
    site = emulator.tenant.site_by_url(catalogue.IT_SITE)
    mirror.edit(editing.add_group_member, site, "IT Owners", teacher.login_name)
    assert mirror.sync() == 0
    assert f"user:{teacher.oid}" in mirror.by_title("Administratoradgange").acl
    assert mirror.requests("/$value") == 0

    mirror.edit(editing.remove_group_member, site, "IT Owners", teacher.login_name)
    assert mirror.sync() == 0
    assert f"user:{teacher.oid}" not in mirror.by_title("Administratoradgange").acl
    assert mirror.requests("/$value") == 0


def test_every_site_of_a_hub_is_mirrored_and_a_site_that_joins_later_too(
        emulator: Emulator, tmp_path: Path, extractor: Extractor):
    tenant = emulator.tenant
    with tenant.lock:
        hub = tenant.site_by_url(catalogue.INTRANET)
        hub.is_hub_site = True
        for site in tenant.sites.values():
            if site is not hub and site.url != catalogue.IT_SITE:
                site.hub_site_id = hub.id
    hub_url = f"{emulator.sharepoint_url}{hub.url}"
    mirror = Mirror(emulator, tmp_path / "index", extractor, SHAREPOINT_SITES="",
                    SHAREPOINT_HUB_SITE=hub_url)
    assert mirror.sync() == 0
    mirrored = {d.site_url.rstrip("/").rsplit("/sites/", 1)[1] for d in mirror.records()}
    assert mirrored == {"intranet", "hr", "skoler"}  # IT is not associated with the hub

    technician = _user(emulator, people.TECHNICIAN)
    with tenant.lock:
        joined = editing.create_site(tenant, "teknik", "Teknik og Miljø",
                                     members=[technician.login_name])
        joined.hub_site_id = hub.id
        editing.add_file(tenant, joined, joined.list_by_title("Dokumenter"), "",
                         "Vintertjeneste.txt", b"Saltning af veje i frostvejr.", technician)
    assert mirror.sync() == 0
    new = mirror.by_title("Vintertjeneste")
    assert new is not None and f"user:{technician.oid}" in new.acl
