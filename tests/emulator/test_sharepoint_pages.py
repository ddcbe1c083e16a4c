"""News and pages: list item fields, versions with a newer draft, the Site Pages API canvas,
and the hub-site search."""

from __future__ import annotations

import json

import requests

from emulator.server import Emulator
from emulator.tenant import Tenant


def test_news_fields_from_site_pages(emu: Emulator, connect, tenant: Tenant) -> None:
    ctx = connect("intranet")
    pages = ctx.web.get_list("/sites/intranet/SitePages")
    items = pages.items.select(
        ["Id", "Title", "Description", "FirstPublishedDate", "FileRef", "BannerImageUrl",
         "PromotedState", "CanvasContent1", "OData__UIVersionString", "OData__ModerationStatus",
         "OData__ModernAudienceAadObjectIds"]).filter("PromotedState eq 2")
    items.query_options.custom["$orderby"] = "FirstPublishedDate desc"
    items.get().execute_query()
    assert [i.properties["Title"] for i in items] == ["Ny borgerservice", "Hemmelig kladde"]
    news, draft = items
    assert news.properties["BannerImageUrl"]["Url"] == (
        f"{emu.sharepoint_url}/sites/intranet/SiteAssets/b.jpg")
    assert news.properties["Description"] == "Borgerservice åbner"
    assert news.properties["OData__UIVersionString"] == "1.0"
    assert 'data-sp-canvascontrol=""' in news.properties["CanvasContent1"]
    staff = next(g for g in tenant.directory.groups.values() if g.name == "Medarbejdere")
    assert staff.id in str(news.properties["OData__ModernAudienceAadObjectIds"])
    assert draft.properties["OData__UIVersionString"] == "0.1"
    assert draft.properties["FirstPublishedDate"] is None


def test_item_versions_show_the_published_version_under_a_draft(connect) -> None:
    ctx = connect("intranet")
    pages = ctx.web.get_list("/sites/intranet/SitePages")
    page = pages.items.get_by_id(3).get().execute_query()
    assert page.properties["Title"] == "Om os (udkast)"
    assert page.properties["OData__UIVersionString"] == "1.1"
    versions = pages.items.get_by_id(3).versions.get().execute_query()
    labels = [(v.properties["VersionLabel"], v.properties["IsCurrentVersion"]) for v in versions]
    assert labels == [("1.1", True), ("1.0", False)]
    assert versions[1].properties["Title"] == "Om os"
    file = ctx.web.get_file_by_server_relative_url("/sites/intranet/SitePages/Om.aspx")
    previous = file.versions.get().execute_query()
    assert [v.properties["VersionLabel"] for v in previous] == ["1.0"]
    published = file.versions.get_by_id(512).get().execute_query()
    assert published.properties["Url"] == "_vti_history/512/SitePages/Om.aspx"
    current = file.get().execute_query()
    assert current.properties["Level"] == 2 and current.properties["UIVersionLabel"] == "1.1"


def test_version_bytes(emu: Emulator, bearer) -> None:
    url = (f"{emu.site_url('intranet')}/_api/web/GetFileByServerRelativeUrl("
           "'/sites/intranet/SitePages/Om.aspx')/versions(512)/$value")
    answer = requests.get(url, headers=bearer, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/octet-stream"
    assert b"intranettet" in answer.content


def test_site_pages_api_serves_the_json_canvas(connect) -> None:
    ctx = connect("intranet")
    pages = ctx.site_pages.pages.get().execute_query()
    assert [p.properties["FileName"] for p in pages] == ["Nyhed.aspx", "Kladde.aspx", "Om.aspx"]
    assert "CanvasJson1" not in pages[0].properties
    paged = ctx.site_pages.pages.get_all(page_size=2).execute_query()
    assert [p.id for p in paged] == [1, 2, 3]
    page = ctx.site_pages.pages.get_by_id(1).get().execute_query()
    controls = json.loads(page.properties["CanvasJson1"])
    assert controls == [{"controlType": 4, "id": "c1",
                         "position": {"zoneIndex": 1, "sectionIndex": 1, "controlIndex": 1,
                                      "sectionFactor": 12},
                         "innerHTML": "<p>Velkommen til <strong>intranettet</strong></p>"}]
    assert page.properties["PromotedState"] == 2
    assert page.properties["FirstPublished"] is not None
    assert page.properties["Version"] == "1.0"


def test_hub_search_finds_associated_sites(emu: Emulator, connect, tenant: Tenant) -> None:
    hub = tenant.site_by_url("/sites/intranet")
    ctx = connect("hr")
    result = ctx.search.query(f"DepartmentId:{{{hub.id}}} contentclass:STS_Site",
                              select_properties=["SPSiteUrl", "Title", "SiteId"],
                              row_limit=500).execute_query()
    rows = [row.as_dict() for row in result.value.rows]
    assert sorted(r["SPSiteUrl"] for r in rows) == [emu.site_url("hr"), emu.site_url("intranet")]
    assert {r["Title"] for r in rows} == {"Intranet", "HR"}


def test_hub_search_over_plain_rest(emu: Emulator, bearer, tenant: Tenant) -> None:
    hub = tenant.site_by_url("/sites/intranet")
    url = (f"{emu.site_url('intranet')}/_api/search/query?querytext='DepartmentId:{{{hub.id}}}"
           " contentclass:STS_Site'&selectproperties='SPSiteUrl,Title,SiteId'&rowlimit=500")
    body = requests.get(url, headers=bearer, timeout=10).json()["d"]["query"]
    table = body["PrimaryQueryResult"]["RelevantResults"]["Table"]
    cells = [{c["Key"]: c["Value"] for c in row["Cells"]["results"]}
             for row in table["Rows"]["results"]]
    assert {c["SiteId"] for c in cells} == {s.id for s in tenant.sites.values()}
    hubs = requests.get(f"{emu.site_url('intranet')}/_api/SP.HubSites", headers=bearer,
                        timeout=10).json()["d"]["results"]
    assert [h["SiteId"] for h in hubs] == [hub.id]
