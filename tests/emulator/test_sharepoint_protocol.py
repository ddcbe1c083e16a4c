"""The REST protocol itself: error bodies, JSON light, paths, the root site, the view threshold
and the cost of paging a large library."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests
from office365.runtime.client_request_exception import ClientRequestException

from emulator import bulk, editing
from emulator.server import Emulator
from emulator.tenant import Tenant

NOMETADATA = "application/json;odata=nometadata"


def _get(emu: Emulator, bearer: dict, path: str, **headers: str) -> requests.Response:
    return requests.get(f"{emu.sharepoint_url}{path}", headers=bearer | headers, timeout=30)


@pytest.mark.parametrize(("path", "status", "code", "message"), [
    ("/sites/intranet/_api/web/lists/GetByTitle('Nope')", 404, "-1, System.ArgumentException",
     "List 'Nope' does not exist at site with URL 'http://127.0.0.1:"),
    ("/sites/intranet/_api/web/GetFileByServerRelativeUrl('/sites/intranet/Shared Documents/x')",
     404, "-2130575338, Microsoft.SharePoint.SPException",
     "The file /sites/intranet/Shared Documents/x does not exist."),
    ("/sites/intranet/_api/web/lists/GetByTitle('Dokumenter')/items(999)", 404,
     "-2147024809, System.ArgumentException", "Item does not exist."),
    ("/sites/nope/_api/web", 404, "-2147024894, System.IO.FileNotFoundException",
     "File Not Found."),
    ("/sites/intranet/_api/web/nothing", 404,
     "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
     "Cannot find resource for the request nothing."),
    ("/sites/intranet/_api/web/lists?$filter=Title eq", 400,
     "-1, Microsoft.SharePoint.Client.InvalidClientQueryException", 'The expression "Title eq"'),
    ("/sites/intranet/_api/web/lists/GetByTitle('Dokumenter')/items?$select=Nope", 400,
     "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
     "The field or property 'Nope' does not exist."),
    ("/sites/intranet/_api/web/lists/GetByTitle('Dokumenter')/items?$select=File/Name", 400,
     "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
     "The query to field 'File/Name' is not valid."),
    ("/sites/intranet/_api/web/getuserbyid(99)", 404,
     "-2146232832, Microsoft.SharePoint.SPException", "User cannot be found."),
])
def test_error_bodies(emu: Emulator, bearer, path, status, code, message) -> None:
    answer = _get(emu, bearer, path)
    assert answer.status_code == status
    assert answer.headers["Content-Type"] == "application/json;odata=verbose;charset=utf-8"
    error = answer.json()["error"]
    assert error["code"] == code
    assert error["message"]["lang"] == "en-US"
    assert error["message"]["value"].startswith(message)


def test_the_library_raises_on_a_missing_file(connect) -> None:
    ctx = connect("intranet")
    with pytest.raises(ClientRequestException) as caught:
        ctx.web.get_file_by_server_relative_url("/sites/intranet/x.docx").get().execute_query()
    assert caught.value.response.status_code == 404


def test_json_light(emu: Emulator, bearer) -> None:
    path = "/sites/intranet/_api/web/lists/GetByTitle('Dokumenter')/items?$select=Id&$top=4"
    body = _get(emu, bearer, path, Accept=NOMETADATA).json()
    assert body["value"] == [{"Id": n} for n in range(1, 5)]
    assert "%24skiptoken=Paged%3DTRUE%26p_ID%3D4" in body["odata.nextLink"]
    error = _get(emu, bearer, "/sites/intranet/_api/web/x", Accept=NOMETADATA).json()
    assert set(error) == {"odata.error"}
    title = _get(emu, bearer, "/sites/intranet/_api/web/Title", Accept=NOMETADATA).json()
    assert title == {"value": "Intranet"}


def test_paths_are_case_insensitive(emu: Emulator, bearer) -> None:
    answer = _get(emu, bearer, "/SITES/Intranet/_API/Web/Lists/getbytitle('DOKUMENTER')/ItemCount")
    assert answer.json() == {"d": {"ItemCount": 14}}


def test_root_site_collection(emu: Emulator, bearer, tenant: Tenant) -> None:
    assert _get(emu, bearer, "/_api/web").status_code == 404
    root = editing.create_site(tenant, "root", "Kommunen")
    del tenant.sites[root.url]
    for lst in root.lists.values():
        lst.root_url = lst.root_url.removeprefix(root.url)
    root.url = ""
    tenant.sites[""] = root
    web = _get(emu, bearer, "/_api/web").json()["d"]
    assert (web["Title"], web["ServerRelativeUrl"], web["Url"]) == (
        "Kommunen", "/", emu.sharepoint_url)
    hub = tenant.site_by_url("/sites/intranet")
    search = (f"/_api/search/query?querytext='DepartmentId:{hub.id} contentclass:STS_Site'"
              "&selectproperties='Title'")
    rows = _get(emu, bearer, search).json()["d"]["query"]["PrimaryQueryResult"][
        "RelevantResults"]["Table"]["Rows"]["results"]
    assert len(rows) == 2


def _large_library(tenant: Tenant, count: int):
    site = tenant.site_by_url("/sites/hr")
    library = editing.add_list(tenant, site, "Arkiv", "Arkiv")
    anna = tenant.directory.user_by_upn("anna@kommune.example")
    when = datetime(2023, 1, 1, tzinfo=UTC)
    bulk.add_files(tenant, site, library, (
        bulk.NewFile("", f"Sag {n:05d}.txt", b"sag", anna, when) for n in range(count)))
    return library


def test_view_threshold(emu: Emulator, bearer, tenant: Tenant) -> None:
    library = _large_library(tenant, 5001)
    items = f"/sites/hr/_api/web/lists(guid'{library.id}')/items"
    refused = _get(emu, bearer, f"{items}?$filter=FileLeafRef eq 'Sag 00007.txt'")
    assert refused.status_code == 500
    assert refused.json()["error"]["code"] == (
        "-2147024860, Microsoft.SharePoint.SPQueryThrottledException")
    assert _get(emu, bearer, f"{items}?$orderby=Title").status_code == 500
    indexed = _get(emu, bearer, f"{items}?$select=Id&$filter=ID gt 4998&$orderby=Modified desc")
    assert [r["Id"] for r in indexed.json()["d"]["results"]] == [4999, 5000, 5001]


def test_listing_5000_items_with_page_size_500(emu: Emulator, connect, tenant: Tenant) -> None:
    _large_library(tenant, 5000)
    ctx = connect("hr")
    library = ctx.web.lists.get_by_title("Arkiv")
    ctx.web.get().execute_query()
    emu.state.requests.clear()
    items = library.items.select(["Id", "FileRef", "Modified"]).get_all(
        page_size=500).execute_query()
    assert [i.id for i in items] == list(range(1, 5001))
    sent = emu.state.requests.matching("/_api/")
    assert len(sent) == 10
    assert all(r.status == 200 for r in sent)


def test_paging_in_modified_order_follows_the_sort(emu: Emulator, bearer, tenant: Tenant) -> None:
    site = tenant.site_by_url("/sites/intranet")
    docs = site.list_by_title("Dokumenter")
    anna = tenant.directory.user_by_upn("anna@kommune.example")
    editing.save_version(tenant, site, docs, docs.item_by_url(f"{docs.root_url}/Notat 04.txt"),
                         anna, when=datetime(2024, 6, 1, tzinfo=UTC))
    url = (f"{emu.site_url('intranet')}/_api/web/lists/GetByTitle('Dokumenter')/items"
           "?$select=Id,Modified&$orderby=Modified desc&$top=4")
    seen = []
    while url:
        body = requests.get(url, headers=bearer, timeout=10).json()["d"]
        seen += [(r["Modified"], r["Id"]) for r in body["results"]]
        url = body.get("__next")
    assert len(seen) == 14
    assert [m for m, _ in seen] == sorted((m for m, _ in seen), reverse=True)
    assert [i for _, i in seen[4:]] == [7, 13, 12, 11, 10, 9, 8, 6, 5, 4]
    assert seen[4][0] == "2024-06-01T00:00:00Z"


def test_writes_are_refused(emu: Emulator, bearer) -> None:
    url = f"{emu.site_url('intranet')}/_api/web"
    answer = requests.post(url, headers=bearer | {"X-HTTP-Method": "MERGE"}, json={}, timeout=10)
    assert answer.status_code == 405
    assert answer.json()["error"]["code"].endswith("ClientServiceException")
