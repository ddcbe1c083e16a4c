"""Folder moves, moves between libraries, unpublishing, SharePoint group membership, library
permissions, new and deleted libraries, expired site tokens and hub sites, each as a reader of
the index notices it after one incremental pass."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sync_support import Mirror

from emulator import editing
from emulator.sample import catalogue, people
from emulator.server import Emulator
from emulator.tenant import Site, SPList
from indexer.extract import Extractor
from indexer.sitestate import STRUCTURE_MAX_AGE


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


def test_a_page_unpublished_after_a_second_version_shows_the_first_again(
        mirror: Mirror, emulator: Emulator):
    site = emulator.tenant.site_by_url(catalogue.INTRANET)
    pages = editing.site_pages(site)
    editor = _user(emulator, people.EDITOR)
    page = mirror.edit(editing.add_page, site, "Kantine.aspx", "Kantinens åbningstider",
                       "<div><p>Åben 8-14.</p></div>", editor, news=False)
    mirror.edit(editing.save_version, site, pages, page, editor,
                fields={"Title": "Kantinen holder sommerlukket"})
    assert mirror.sync() == 0
    assert mirror.by_path(page.file_ref).title == "Kantinen holder sommerlukket"

    mirror.edit(editing.unpublish, site, pages, page, editor)  # 2.0 becomes the draft 1.1
    assert mirror.sync() == 0
    shown = mirror.by_path(page.file_ref)
    assert (shown.title, shown.version) == ("Kantinens åbningstider", "1.0")


def test_a_document_sent_back_to_draft_leaves_the_index(mirror: Mirror, emulator: Emulator):
    site, policies = _library(emulator, catalogue.HR_SITE, catalogue.POLICIES)
    item = next(i for i in policies.items.values()
                if not i.is_folder and i.current.label == "1.0")
    assert mirror.by_path(item.file_ref) is not None
    mirror.edit(editing.unpublish, site, policies, item, _user(emulator, people.HR))
    assert mirror.sync() == 0
    assert mirror.by_path(item.file_ref) is None


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
    assert mirror.requests("/items?") == 0  # no list of items is read again
    assert mirror.requests("/sites/hr/") == 1  # other sites: only their change query

    mirror.edit(editing.remove_group_member, site, "IT Owners", teacher.login_name)
    assert mirror.sync() == 0
    assert f"user:{teacher.oid}" not in mirror.by_title("Administratoradgange").acl
    assert mirror.requests("/$value") == 0
    assert mirror.requests("/items?") == 0


def test_a_library_that_stops_inheriting_narrows_every_acl_in_it(
        mirror: Mirror, emulator: Emulator):
    site, guides = _library(emulator, catalogue.IT_SITE, catalogue.GUIDES)
    paths = {i.file_ref for i in guides.items.values() if not i.is_folder}
    assert paths and all("everyone" in mirror.by_path(p).acl for p in paths)
    technician = _user(emulator, people.TECHNICIAN)
    mirror.edit(editing.break_inheritance, site, guides, copy=False)
    mirror.edit(editing.grant, site, guides, None, technician.login_name, "Read")
    assert mirror.sync() == 0
    acls = [mirror.by_path(p).acl for p in paths]
    assert all("everyone" not in acl and f"user:{technician.oid}" in acl for acl in acls)
    assert mirror.requests("/$value") == 0

    mirror.edit(editing.reset_inheritance, site, guides)
    assert mirror.sync() == 0
    assert all("everyone" in mirror.by_path(p).acl for p in paths)


def test_a_new_library_is_mirrored_and_a_deleted_one_leaves_nothing(
        mirror: Mirror, emulator: Emulator):
    site = emulator.tenant.site_by_url(catalogue.SCHOOLS)
    teacher = _user(emulator, people.TEACHER)
    plans = mirror.edit(editing.add_list, site, "Årsplaner", "Aarsplaner")
    mirror.edit(editing.add_file, site, plans, "", "Årsplan 7. klasse.txt",
                "Læsning, skrivning og naturfag.".encode(), teacher)
    assert mirror.sync() == 0
    assert "naturfag" in mirror.by_title("Årsplan 7. klasse").body

    _, teaching = _library(emulator, catalogue.SCHOOLS, catalogue.TEACHING)
    gone = {i.file_ref for i in teaching.items.values() if not i.is_folder}
    mirror.edit(editing.delete_list, site, teaching)
    assert mirror.sync() == 0
    assert not gone & {d.path for d in mirror.records()}
    assert mirror.by_title("Årsplan 7. klasse") is not None
    assert f"list:{teaching.id}" not in mirror.index.checkpoints()


def test_an_idle_site_token_is_renewed_before_the_silent_expiry_bug_hides_a_change(
        emulator: Emulator, tmp_path: Path, extractor: Extractor):
    emulator.tenant.expired_token_behaviour = "silent"  # SharePoint Online's bug: no error
    mirror = Mirror(emulator, tmp_path / "index", extractor, RECONCILE_DAYS="30")
    assert mirror.sync() == 0

    def days_pass(days: int) -> None:
        emulator.tenant.clock.advance(timedelta(days=days))
        mirror.advance(timedelta(days=days))

    days_pass(50)  # nothing changed in 50 days
    assert mirror.sync() == 0
    days_pass(11)  # 61 days after the last change, a change
    teacher = _user(emulator, people.TEACHER)
    site = emulator.tenant.site_by_url(catalogue.IT_SITE)
    mirror.edit(editing.add_group_member, site, "IT Owners", teacher.login_name)
    assert mirror.sync() == 0
    assert f"user:{teacher.oid}" in mirror.by_title("Administratoradgange").acl


def test_every_site_of_a_hub_is_mirrored_and_a_site_that_joins_later_too(
        emulator: Emulator, tmp_path: Path, extractor: Extractor):
    tenant = emulator.tenant
    hub = tenant.site_by_url(catalogue.INTRANET)
    with tenant.lock:
        editing.register_hub_site(tenant, hub)
        for url in (catalogue.HR_SITE, catalogue.SCHOOLS):
            editing.join_hub_site(tenant, tenant.site_by_url(url), hub)
    mirror = Mirror(emulator, tmp_path / "index", extractor, SHAREPOINT_SITES="",
                    SHAREPOINT_HUB_SITE=f"{emulator.sharepoint_url}{hub.url}")
    assert mirror.sync() == 0
    mirrored = {d.site_url.rstrip("/").rsplit("/sites/", 1)[1] for d in mirror.records()}
    assert mirrored == {"intranet", "hr", "skoler"}  # IT is not associated with the hub

    technician = _user(emulator, people.TECHNICIAN)
    with tenant.lock:
        joined = editing.create_site(tenant, "teknik", "Teknik og Miljø",
                                     members=[technician.login_name])
        editing.join_hub_site(tenant, joined, hub)
        editing.add_file(tenant, joined, joined.list_by_title("Dokumenter"), "",
                         "Vintertjeneste.txt", b"Saltning af veje i frostvejr.", technician)
    mirror.advance(STRUCTURE_MAX_AGE + timedelta(minutes=1))  # the hub's sites are read again
    assert mirror.sync() == 0
    new = mirror.by_title("Vintertjeneste")
    assert new is not None and f"user:{technician.oid}" in new.acl
