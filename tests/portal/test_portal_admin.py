"""The admin status page: only for the admin group, per site and list what the indexer did,
and "sync now" through the wake-up signal."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from portal_support import SignIn, csrf_token, group, parse_html, portal_config, title_of

from emulator.announce import tenant_settings
from emulator.sample import catalogue as c
from emulator.sample import people as p
from emulator.server import Emulator
from indexer.cli import make_client
from indexer.extract import Extractor
from indexer.index import SearchIndex
from indexer.settings import load_settings
from indexer.status import load_record, run_pass
from indexer.sync import Syncer
from indexer.wakeup import Waiter, pending
from portal import create_app

ADMINS = group(p.IT).removeprefix("group:")
SignedIn = Callable[..., FlaskClient]


def sync_sample(emulator: Emulator, index_dir: Path) -> SearchIndex:
    """One recorded pass of the sample tenant: throttled now and then, the HR site refused."""
    settings = load_settings(tenant_settings(emulator) | {"INDEX_DIR": str(index_dir)})
    app = emulator.tenant.directory.apps[emulator.registration.client_id]
    app.sharepoint_access = "selected"
    app.granted_sites = {c.INTRANET, c.SCHOOLS, c.IT_SITE}
    emulator.state.faults.add("throttle", status=429, retry_after=2, probability=0.2, seed=3)
    index = SearchIndex.open_or_create(index_dir)
    with Extractor(timeout=30) as extractor:
        syncer = Syncer(settings, index, make_client(settings, sleep=lambda s: None), extractor)
        assert run_pass(syncer, index_dir).exit_code == 1
    emulator.state.faults.clear()
    return index


@pytest.fixture
def portal(emulator: Emulator, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """``portal(**settings)``: the portal on ``tmp_path/synced``, admins being the IT group."""
    apps: list[Flask] = []

    def make(**overrides: object) -> Flask:
        settings = {"INDEX_DIR": tmp_path / "synced", "ADMIN_GROUP": ADMINS} | overrides
        apps.append(create_app(portal_config(emulator, tmp_path, **settings)))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["portal.content"].close()


@pytest.fixture
def signed_in_as(portal, emulator: Emulator) -> SignedIn:
    """``signed_in_as(upn, **settings)``: a client of a new portal, signed in as ``upn``."""

    def sign_in(upn: str, **settings: object) -> FlaskClient:
        client = portal(**settings).test_client()
        SignIn(client, emulator)(upn)
        return client

    return sign_in


def _rows(page: str) -> dict[str, dict[str, list[str]]]:
    """Site heading -> list title -> the cells of its row."""
    tree = parse_html(page)
    sites = {}
    for section in tree.iter("section"):
        heading = section.find("h2")
        if heading is None or section.find(".//table") is None:
            continue
        sites[heading.text] = {
            row.find("th").text: ["".join(cell.itertext()).strip() for cell in row.findall("td")]
            for row in section.iter("tr") if row.find("td") is not None}
    return sites


def test_only_the_admin_group_sees_the_page(client: FlaskClient, signed_in_as: SignedIn,
                                            tmp_path: Path):
    assert client.get("/admin").headers["Location"] == "/auth/signin?next=/admin"
    teacher = signed_in_as(p.TEACHER)
    assert teacher.get("/admin").status_code == 404
    token = csrf_token(teacher.get("/").text)
    assert teacher.post("/admin/sync", data={"csrf_token": token}).status_code == 404
    assert pending(tmp_path / "synced") == []
    nobody_configured = signed_in_as(p.IT_ADMIN, ADMIN_GROUP="")
    assert nobody_configured.get("/admin").status_code == 404
    admin = signed_in_as(p.IT_ADMIN)
    page = admin.get("/admin")
    assert page.status_code == 200
    assert title_of(page.text) == "Synkroniseringsstatus – Intranet"
    assert "søgeindekset kan ikke åbnes" in page.text.lower()  # nothing synced yet


def test_the_admin_sees_every_site_and_list_after_a_sync(
        emulator: Emulator, tmp_path: Path, signed_in_as: SignedIn):
    index = sync_sample(emulator, tmp_path / "synced")
    admin = signed_in_as(p.IT_ADMIN)
    admin.set_cookie("lang", "en")
    page = admin.get("/admin").text
    assert title_of(page) == "Sync status – Intranet"
    sites = _rows(page)
    counts = index.list_counts()
    listed = [cells for lists in sites.values() for cells in lists.values()]
    assert len(listed) == sum(key.startswith("list:") for key in index.checkpoints())
    items = [int(cells[0].replace(",", "")) for cells in listed]
    assert sorted(n for n in items if n) == sorted(counts.values())
    assert sum(counts.values()) == index.doc_count()
    assert all(cells[1] != "Never" and cells[4] == "" for cells in listed)
    assert sum(int(cells[3]) for cells in listed) >= 1  # the corrupt spreadsheet
    assert emulator.site_url("hr") in page.split("Sites that failed", 1)[1]
    assert "Some sites or lists failed" in page
    throttled = page.split("Throttling</dt><dd>", 1)[1].split(" ", 1)[0]
    assert int(throttled) > 0
    assert c.SECRET_WORD not in page
    _check_site_throttling(page, load_record(tmp_path / "synced"), emulator)


def _check_site_throttling(page: str, record: dict, emulator: Emulator) -> None:
    """Each site shows the throttling its passes met, as the pass record counts it."""
    shown = {}
    for section in parse_html(page).iter("section"):
        url, throttling = (line.text for line in section.findall("p")[:2])
        shown[url] = throttling
    assert set(shown) >= {emulator.site_url("intranet"), emulator.site_url("it")}
    per_site = {url: entry["throttled"] for url, entry in record["sites"].items()}
    assert per_site and all(count > 0 for count in per_site.values())
    assert sum(per_site.values()) <= record["last_pass"]["throttled"]  # the hub is no site
    assert set(per_site) & set(shown)
    for url, text in shown.items():
        if url in per_site:
            assert text.startswith(f"Throttling: {per_site[url]} throttled answers from "
                                   "SharePoint, ")
            assert "; last met " in text
        else:
            assert text == "Throttling: none met"


def test_sync_now_asks_the_indexer_for_a_pass(tmp_path: Path, signed_in_as: SignedIn):
    admin = signed_in_as(p.IT_ADMIN)
    page = admin.get("/admin").text
    assert admin.post("/admin/sync").status_code == 400  # no CSRF token
    assert pending(tmp_path / "synced") == []
    answer = admin.post("/admin/sync", data={"csrf_token": csrf_token(page)})
    assert (answer.status_code, answer.headers["Location"]) == (303, "/admin")
    after = admin.get("/admin").text
    assert "Der er bestilt en synkronisering" in after and "har ventet siden" in after
    assert len(pending(tmp_path / "synced")) == 1
    woken = Waiter(tmp_path / "synced", threading.Event())  # what `indexer watch` does
    assert woken.take() is None and pending(tmp_path / "synced") == []


def test_sync_now_says_when_the_request_cannot_be_written(tmp_path: Path,
                                                          signed_in_as: SignedIn):
    (tmp_path / "synced.wakeup").write_text("not a folder")
    admin = signed_in_as(p.IT_ADMIN)
    token = csrf_token(admin.get("/admin").text)
    assert admin.post("/admin/sync", data={"csrf_token": token}).status_code == 303
    assert "Bestillingen kunne ikke gemmes" in admin.get("/admin").text
