"""Sites, libraries, items and files read through the real Office365-REST-Python-Client."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import requests
from docx import Document

from emulator.server import Emulator

LIBRARY = "/sites/intranet/Shared Documents"


def test_every_client_context_asks_for_a_form_digest_first(emu: Emulator, connect) -> None:
    ctx = connect("intranet")
    web = ctx.web.get().execute_query()
    calls = emu.state.requests.matching("/_api/")
    assert calls[0].method == "POST" and calls[0].path.lower().endswith("/_api/contextinfo")
    assert web.title == "Intranet"
    assert web.url == emu.site_url("intranet")
    assert web.properties["ServerRelativeUrl"] == "/sites/intranet"
    assert web.properties["Language"] == 1030
    assert web.properties["WebTemplate"] == "STS"


def test_site_reports_its_hub(emu: Emulator, connect, tenant) -> None:
    hr = connect("hr").site.select(["Id", "HubSiteId", "IsHubSite", "Url"]).get().execute_query()
    hub = tenant.site_by_url("/sites/intranet")
    assert hr.properties["HubSiteId"] == hub.id
    assert hr.properties["IsHubSite"] is False
    assert hr.properties["Url"] == emu.site_url("hr")


def test_libraries_are_found_by_base_template(connect) -> None:
    ctx = connect("intranet")
    lists = ctx.web.lists.filter("BaseTemplate eq 101").select(
        ["Id", "Title", "BaseTemplate", "EntityTypeName", "ItemCount", "Hidden",
         "RootFolder/ServerRelativeUrl"]).expand(["RootFolder"]).get().execute_query()
    assert [lst.title for lst in lists] == ["Dokumenter"]
    library = lists[0]
    assert library.properties["EntityTypeName"] == "Shared_x0020_Documents"
    assert library.properties["ItemCount"] == 14
    assert library.root_folder.server_relative_url == "/sites/intranet/Shared Documents"


def test_site_pages_is_found_by_url_not_by_localised_title(connect) -> None:
    ctx = connect("intranet")
    pages = ctx.web.get_list("/sites/intranet/SitePages").get().execute_query()
    assert pages.title == "Webstedssider"
    assert pages.properties["BaseTemplate"] == 119
    by_title = ctx.web.lists.get_by_title("webstedssider").get().execute_query()
    assert by_title.id == pages.id


def test_items_come_in_pages_that_follow_next_links(emu: Emulator, connect) -> None:
    ctx = connect("intranet")
    library = ctx.web.lists.get_by_title("Dokumenter")
    emu.state.requests.clear()
    items = library.items.select(["Id", "FileRef", "FileLeafRef", "FSObjType", "UniqueId",
                                  "Modified", "OData__UIVersionString", "File/Name",
                                  "File/Length", "File/UIVersionLabel", "Editor/Title"]
                                 ).expand(["File", "Editor"]).get_all(page_size=5).execute_query()
    assert [i.id for i in items] == list(range(1, 15))
    item_requests = [r for r in emu.state.requests.matching("/_api/") if "Items" in r.path
                     or "items" in r.path]
    assert len(item_requests) == 3
    assert "%24skiptoken=Paged%3DTRUE%26p_ID%3D5" in item_requests[1].path
    docx = next(i for i in items if i.properties["FileLeafRef"] == "Persondata.docx")
    assert docx.properties["FSObjType"] == 0
    assert docx.properties["FileRef"] == f"{LIBRARY}/Politikker/Persondata.docx"
    assert docx.file.name == "Persondata.docx"
    assert docx.file.properties["UIVersionLabel"] == "1.0"
    assert int(docx.file.length) == len(docx.file.get_content().execute_query().value)
    assert docx.properties["Editor"]["Title"] == "Anna Andersen"


def test_skip_is_ignored_on_list_items(emu: Emulator, bearer) -> None:
    url = (f"{emu.site_url('intranet')}/_api/web/lists/GetByTitle('Dokumenter')/items"
           "?$select=Id&$top=3&$skip=6")
    body = requests.get(url, headers=bearer, timeout=10).json()["d"]
    assert [r["Id"] for r in body["results"]] == [1, 2, 3]
    assert body["__next"].startswith(f"{emu.site_url('intranet')}/_api/Web/Lists(guid'")


def test_filter_and_orderby(connect) -> None:
    ctx = connect("intranet")
    items = ctx.web.lists.get_by_title("Dokumenter").items
    items.select(["Id", "FileLeafRef", "Modified"]).filter(
        "FSObjType eq 0 and (Modified ge datetime'2024-01-05T00:00:00Z' and "
        "Modified lt datetime'2025-01-01T00:00:00' or ID eq 3)")
    items.query_options.custom["$orderby"] = "Modified desc"
    items.get().execute_query()
    names = [i.properties["FileLeafRef"] for i in items]
    assert names == ["Persondata.docx"] + [f"Notat {n:02d}.txt" for n in range(10, 4, -1)]


def test_order_by_through_the_library_is_silently_ignored(connect) -> None:
    ctx = connect("intranet")
    items = ctx.web.lists.get_by_title("Dokumenter").items.select(["Id"]).order_by("ID desc")
    items.get().execute_query()
    assert [i.id for i in items][:3] == [1, 2, 3]


def test_docx_downloads_and_opens(connect) -> None:
    ctx = connect("intranet")
    url = "/sites/intranet/Shared Documents/Politikker/Persondata.docx"
    content = ctx.web.get_file_by_server_relative_url(url).get_content().execute_query().value
    document = Document(io.BytesIO(content))
    assert document.paragraphs[0].text == "Persondatapolitik for kommunen"
    streamed = io.BytesIO()
    ctx.web.get_file_by_server_relative_path(url).download_session(
        streamed, chunk_size=1024).execute_query()
    assert streamed.getvalue() == content


def test_file_properties_and_ranges(emu: Emulator, connect, bearer) -> None:
    ctx = connect("intranet")
    file = ctx.web.get_file_by_server_relative_url(
        "/sites/intranet/Shared Documents/Notat 03.txt").get().execute_query()
    assert file.properties["Level"] == 1
    assert file.properties["MajorVersion"] == 1 and file.properties["MinorVersion"] == 0
    assert file.length == 14
    assert file.time_last_modified == datetime(2024, 1, 3, 9, tzinfo=UTC)
    by_id = ctx.web.get_file_by_id(file.unique_id).get().execute_query()
    assert by_id.name == "Notat 03.txt"
    url = f"{emu.site_url('intranet')}/_api/web/GetFileById('{file.unique_id}')/$value"
    partial = requests.get(url, headers=bearer | {"Range": "bytes=6-11"}, timeout=10)
    assert partial.status_code == 206
    assert partial.content == b"nummer"
    assert partial.headers["Content-Range"] == "bytes 6-11/14"


def test_folders_and_their_files(connect) -> None:
    ctx = connect("intranet")
    root = ctx.web.get_folder_by_server_relative_url("/sites/intranet/Shared Documents")
    folders = root.folders.get().execute_query()
    assert sorted(f.name for f in folders) == ["Fortroligt", "Politikker"]
    files = ctx.web.get_folder_by_server_relative_url(
        "/sites/intranet/Shared Documents/Politikker").files.get().execute_query()
    assert [f.name for f in files] == ["Persondata.docx"]


def test_quotes_in_names_are_doubled(emu: Emulator, bearer, tenant) -> None:
    from emulator import editing

    site = tenant.site_by_url("/sites/intranet")
    docs = site.list_by_title("Dokumenter")
    user = next(iter(tenant.directory.users.values()))
    editing.add_file(tenant, site, docs, "", "Bo's notat.txt", b"x", user)
    url = (f"{emu.site_url('intranet')}/_api/web/GetFileByServerRelativeUrl("
           "'/sites/intranet/Shared%20Documents/Bo''s%20notat.txt')")
    assert requests.get(url, headers=bearer, timeout=10).json()["d"]["Name"] == "Bo's notat.txt"
