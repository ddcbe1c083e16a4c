"""The editor API: each operation changes the model and logs what SharePoint would log."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from office365.sharepoint.changes.query import ChangeQuery

from emulator import changelog as cl
from emulator import editing
from emulator.directory import Directory
from emulator.editor_client import EditorApiError, EditorClient
from emulator.server import Emulator
from emulator.tenant import ROLE_BY_NAME, Site, Tenant

SITE = "/sites/intranet"
DOCS = f"{SITE}/Shared Documents"


@pytest.fixture
def emu(serve: Callable[[Tenant], Emulator]) -> Emulator:
    """A running emulator: one site with a folder and a file, two users, one Entra group."""
    directory = Directory("5f0c7d1e-0000-4000-8000-000000000002", "kommune.test")
    anna = directory.add_user("anna", "Anna Andersen")
    bo = directory.add_user("bo", "Bo Berg")
    directory.add_group("HR", [anna], gid="9a4b5c6d-0000-4000-8000-00000000000a")
    tenant = Tenant("Testkommune", directory)
    site = editing.create_site(tenant, "intranet", "Intranet", owners=[anna.login_name],
                               members=[bo.login_name])
    docs = site.list_by_title("Dokumenter")
    editing.add_folder(tenant, site, docs, "Politikker", anna)
    editing.add_file(tenant, site, docs, "Politikker", "ferie.txt", b"Ferie", anna)
    editing.add_list(tenant, site, "Arkiv", "Arkiv")
    return serve(tenant)


@pytest.fixture
def client(emu: Emulator) -> EditorClient:
    return EditorClient(emu.sharepoint_url, emu.editor_key)


def site_of(emu: Emulator) -> Site:
    return emu.tenant.site_by_url(SITE)


def changes_after(emu: Emulator, number: int) -> list[tuple[int, str, int]]:
    """(change type, kind, item id) of each change logged after ``number``."""
    return [(c.change_type, c.kind, c.item_id) for c in site_of(emu).changes.since(number)]


def test_requests_without_the_editor_key_are_refused(emu: Emulator, tmp_path: Path) -> None:
    url = f"{emu.sharepoint_url}/_emulator/clock"

    assert requests.get(url, timeout=10).status_code == 401
    wrong = requests.get(url, headers={"Authorization": "Bearer nope"}, timeout=10)
    right = requests.get(url, headers={"Authorization": f"Bearer {emu.editor_key}"},
                         timeout=10)

    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
    assert right.status_code == 200 and "now" in right.json()
    assert (emu.data_dir / "credentials" / "editor-key.txt").read_text() == emu.editor_key
    with pytest.raises(EditorApiError) as refused:
        EditorClient(emu.sharepoint_url, "nope").publish_news(site="intranet", title="X")
    assert refused.value.status == 401


def test_publish_news_builds_a_published_page_with_a_canvas(emu: Emulator,
                                                            client: EditorClient) -> None:
    before = site_of(emu).changes.last_number()

    made = client.publish_news("intranet", "Ny kantine åbner", text="Hej <alle>\n\nMere tekst",
                               description="Kort", audiences=["HR"], banner="/img/a.jpg")

    pages = editing.site_pages(site_of(emu))
    page = pages.items[made["id"]]
    assert made["url"] == f"{SITE}/SitePages/ny-kantine-aabner.aspx" == page.file_ref
    assert page.current.label == made["version"] == "1.0"
    fields = page.fields
    assert fields["Title"] == "Ny kantine åbner" and fields["Description"] == "Kort"
    assert fields["PromotedState"] == editing.NEWS and fields["FirstPublishedDate"] is not None
    assert fields["_ModernAudienceAadObjectIds"] == ["9a4b5c6d-0000-4000-8000-00000000000a"]
    assert fields["BannerImageUrl"]["Url"] == "/img/a.jpg"
    assert "data-sp-rte" in fields["CanvasContent1"]
    assert "<p>Hej &lt;alle&gt;</p><p>Mere tekst</p>" in fields["CanvasContent1"]
    assert changes_after(emu, before) == [(cl.ADD, "item", page.id)]
    assert made["change"] == site_of(emu).changes.last_number()


def test_edit_news_saves_a_draft_then_publishes_and_unpublishes(emu: Emulator,
                                                               client: EditorClient) -> None:
    made = client.publish_news("intranet", "Nyhed", html="<p>Første</p>")
    before = made["change"]

    draft = client.edit_news(url=made["url"], title="Nyhed (rettet)", html="<p>Anden</p>",
                             publish=False)
    page = editing.site_pages(site_of(emu)).items[made["id"]]
    assert draft["version"] == "1.1" and page.fields["Title"] == "Nyhed (rettet)"
    assert page.versions[0].fields["Title"] == "Nyhed"
    assert client.publish(url=made["url"])["version"] == "2.0"
    assert client.unpublish(site="intranet", list="Webstedssider", item=made["id"])[
        "version"] == "1.2"
    assert changes_after(emu, before) == [(cl.UPDATE, "item", made["id"])] * 3


def test_a_second_page_with_the_same_title_gets_its_own_name(client: EditorClient) -> None:
    first = client.publish_news("intranet", "Møde")
    second = client.publish_news("intranet", "Møde", publish=False)

    assert (first["name"], second["name"]) == ("moede.aspx", "moede-2.aspx")
    assert second["version"] == "0.1"


def test_delete_news(emu: Emulator, client: EditorClient) -> None:
    made = client.publish_news("intranet", "Væk")

    gone = client.delete(url=made["url"])

    assert made["id"] not in editing.site_pages(site_of(emu)).items
    assert gone["deleted"] == made["id"]
    assert changes_after(emu, made["change"]) == [(cl.DELETE_OBJECT, "item", made["id"])]


def test_upload_documents_from_bytes_text_or_generated_text(emu: Emulator,
                                                            client: EditorClient) -> None:
    before = site_of(emu).changes.last_number()

    raw = client.upload("intranet", "data.bin", content=b"\x00\xffbytes", folder="Politikker",
                        fields={"Title": "Data"})
    text = client.upload("intranet", "noter.txt", text="Noter", library="Arkiv")
    generated = client.upload("intranet", "tom.txt", editor="bo")

    docs = site_of(emu).list_by_title("Dokumenter")
    item = docs.items[raw["id"]]
    assert raw["url"] == f"{DOCS}/Politikker/data.bin" and item.fields["Title"] == "Data"
    assert item.current.read() == b"\x00\xffbytes" and item.current.size == 7
    archive = site_of(emu).list_by_title("Arkiv")
    assert archive.items[text["id"]].current.read() == b"Noter"
    assert b"tom.txt" in docs.items[generated["id"]].current.read()
    assert site_of(emu).principals[docs.items[generated["id"]].author_id].title == "Bo Berg"
    assert changes_after(emu, before) == [(cl.ADD, "item", raw["id"]),
                                          (cl.ADD, "item", text["id"]),
                                          (cl.ADD, "item", generated["id"])]


def test_edit_document_saves_new_bytes_and_fields(emu: Emulator, client: EditorClient) -> None:
    url = f"{DOCS}/Politikker/ferie.txt"
    before = site_of(emu).changes.last_number()

    edited = client.edit_document(url=url, text="Ny ferieplan", fields={"Title": "Ferie 2026"})

    item = site_of(emu).list_by_title("Dokumenter").item_by_url(url)
    assert edited["version"] == "2.0" and item.current.read() == b"Ny ferieplan"
    assert item.fields["Title"] == "Ferie 2026" and item.versions[0].read() == b"Ferie"
    assert changes_after(emu, before) == [(cl.UPDATE, "item", item.id)]


def test_rename_keeps_the_unique_id(emu: Emulator, client: EditorClient) -> None:
    item = site_of(emu).list_by_title("Dokumenter").item_by_url(f"{DOCS}/Politikker/ferie.txt")
    before = site_of(emu).changes.last_number()

    renamed = client.rename("ferieplan.txt", site="intranet", list="Dokumenter", item=item.id)

    assert renamed["url"] == f"{DOCS}/Politikker/ferieplan.txt" == item.file_ref
    assert renamed["unique_id"] == item.unique_id
    assert changes_after(emu, before) == [(cl.RENAME, "item", item.id)]


def test_move_to_a_folder_and_to_another_library(emu: Emulator, client: EditorClient) -> None:
    site = site_of(emu)
    item = site.list_by_title("Dokumenter").item_by_url(f"{DOCS}/Politikker/ferie.txt")
    before = site.changes.last_number()

    to_root = client.move(folder="", url=item.file_ref)
    archived = client.move(library=f"{SITE}/Arkiv", url=to_root["url"])
    folder = client.add_folder("intranet", "2026", library="Arkiv")
    filed = client.move(library="Arkiv", folder="2026", url=archived["url"])

    assert to_root["url"] == f"{DOCS}/ferie.txt"
    assert archived["url"] == f"{SITE}/Arkiv/ferie.txt"
    assert archived["unique_id"] == item.unique_id and archived["list"] == "Arkiv"
    assert filed["url"] == f"{SITE}/Arkiv/2026/ferie.txt"
    assert changes_after(emu, before) == [(cl.MOVE_INTO, "item", item.id),
                                          (cl.DELETE_OBJECT, "item", item.id),
                                          (cl.ADD, "item", archived["id"]),
                                          (cl.ADD, "item", folder["id"]),
                                          (cl.MOVE_INTO, "item", archived["id"])]


def test_folders_and_refused_edits(client: EditorClient) -> None:
    folder = client.add_folder("intranet", "Politikker/2026")

    assert folder["url"] == f"{DOCS}/Politikker/2026"
    with pytest.raises(EditorApiError) as clash:
        client.upload("intranet", "ferie.txt", folder="Politikker")
    assert clash.value.status == 400 and "already exists" in str(clash.value)
    with pytest.raises(EditorApiError) as missing:
        client.delete(site="intranet", list="Dokumenter", item=999)
    assert missing.value.status == 404
    with pytest.raises(EditorApiError) as no_site:
        client.publish_news("andet", "X")
    assert no_site.value.status == 404
    with pytest.raises(EditorApiError) as no_role:
        client.grant(role="Boss", site="intranet", list="Dokumenter", user="bo")
    assert no_role.value.status == 400


def test_permissions_on_a_list_and_an_item(emu: Emulator, client: EditorClient) -> None:
    site = site_of(emu)
    docs = site.list_by_title("Dokumenter")
    item = docs.item_by_url(f"{DOCS}/Politikker/ferie.txt")
    bo = site.principal_by_login("i:0#.f|membership|bo@kommune.test")
    before = site.changes.last_number()

    broken = client.break_inheritance(site="intranet", list="Dokumenter", copy=False)
    client.grant(role="Edit", site="intranet", list="Dokumenter", group="HR")
    granted = client.grant(url=item.file_ref, user="bo")
    revoked = client.revoke(url=item.file_ref, user="bo")
    reset = client.reset_inheritance(site="intranet", list="Dokumenter")

    assert broken["unique"] and broken["role_assignments"] == []
    assert {"principal_id": bo.id, "role_ids": [ROLE_BY_NAME["Read"].id]} in (
        granted["role_assignments"])
    assert all(a["principal_id"] != bo.id for a in revoked["role_assignments"])
    assert not reset["unique"] and docs.role_assignments is None
    assert item.role_assignments is not None
    assert changes_after(emu, before) == [
        (cl.SCOPE_ADD, "list", 0), (cl.ASSIGNMENT_ADD, "list", 0),
        (cl.SCOPE_ADD, "item", item.id), (cl.ASSIGNMENT_ADD, "item", item.id),
        (cl.ASSIGNMENT_DELETE, "item", item.id), (cl.SCOPE_DELETE, "list", 0)]


def test_sharepoint_group_members(emu: Emulator, client: EditorClient) -> None:
    site = site_of(emu)
    visitors = site.group_by_title("Intranet Visitors")
    before = site.changes.last_number()

    added = client.add_sharepoint_group_member("intranet", "Intranet Visitors", group="HR")
    removed = client.remove_sharepoint_group_member("intranet", "Intranet Visitors",
                                                    group="HR")

    hr = site.principal_by_login("c:0t.c|tenant|9a4b5c6d-0000-4000-8000-00000000000a")
    assert added["members"] == [hr.login_name] and removed["members"] == []
    assert [(c.change_type, c.kind, c.group_id, c.user_id) for c in site.changes.since(before)
            ] == [(cl.MEMBER_ADD, "group", visitors.id, hr.id),
                  (cl.MEMBER_DELETE, "group", visitors.id, hr.id)]


def test_entra_group_members_change_only_the_directory(emu: Emulator,
                                                       client: EditorClient) -> None:
    directory = emu.tenant.directory
    bo = directory.user_by_upn("bo@kommune.test")
    before = site_of(emu).changes.last_number()

    added = client.add_entra_group_member("HR", "bo@kommune.test")
    assert bo.oid in directory.groups[added["group"]].members
    client.remove_entra_group_member(added["group"], bo.oid)

    assert bo.oid not in directory.groups[added["group"]].members
    assert site_of(emu).changes.last_number() == before


def test_clock_and_expired_token_settings(emu: Emulator, client: EditorClient) -> None:
    tenant = emu.tenant
    start = tenant.clock.now()

    client.advance_clock(days=61, hours=1)
    answer = client.settings(expired_token_behaviour="silent", change_retention_days=30)

    assert tenant.clock.now() - start >= timedelta(days=61, hours=1)
    assert answer == {"expired_token_behaviour": "silent", "change_retention_days": 30}
    assert (tenant.expired_token_behaviour, tenant.change_retention_days) == ("silent", 30)
    for bad in ({"expired_token_behaviour": "loud"}, {"change_retention_days": 0}):
        with pytest.raises(EditorApiError):
            client.settings(**bad)
    with pytest.raises(EditorApiError):
        client.advance_clock(days=-1)


def test_faults_through_the_client(emu: Emulator, client: EditorClient) -> None:
    rule = client.add_fault("throttle", count=1, status=503)

    assert client.faults()["rules"][0]["id"] == rule["id"]
    status = requests.get(f"{emu.sharepoint_url}{SITE}/_api/web", timeout=10).status_code
    assert status == 503
    assert client.faults() == {"rules": [], "injected": {"throttle": 1}}
    assert client.clear_faults(reset_counts=True)["injected"] == {}


def test_mutations_wait_for_the_tenant_lock(emu: Emulator, client: EditorClient) -> None:
    done = threading.Event()

    def upload() -> None:
        client.upload("intranet", "låst.txt", text="x")
        done.set()

    with emu.tenant.lock:
        worker = threading.Thread(target=upload)
        worker.start()
        assert not done.wait(0.3)
    worker.join(5)
    assert done.is_set()


def test_an_editor_change_shows_up_in_get_changes(client: EditorClient, connect) -> None:
    ctx = connect("intranet")
    library = ctx.web.lists.get_by_title("Dokumenter")
    library.select(["Id", "CurrentChangeToken"]).get().execute_query()
    token = library.properties["CurrentChangeToken"]

    made = client.upload("intranet", "nyhedsbrev.txt", text="Nyhedsbrev")
    changes = library.get_changes(ChangeQuery(
        Item=True, Add=True, Update=True, DeleteObject=True,
        ChangeTokenStart=token)).execute_query()

    assert [(c.properties["ChangeType"].value, c.properties["ItemId"],
             c.properties["UniqueId"]) for c in changes] == [
        (cl.ADD, made["id"], made["unique_id"])]
