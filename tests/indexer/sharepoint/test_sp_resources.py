"""Sites, libraries, items, versions and files, read from the sample tenant."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from emulator import bulk, editing
from emulator.sample import catalogue, people
from emulator.server import Emulator
from indexer.sharepoint.auth import TokenProvider
from indexer.sharepoint.client import ClientSettings, SharePointClient
from indexer.sharepoint.constants import PAGE_SIZE
from indexer.sharepoint.errors import FileTooLarge, NotFound, SiteNotAccessible


def test_site_and_web(emulator: Emulator, client: SharePointClient) -> None:
    intranet = emulator.tenant.site_by_url(catalogue.INTRANET)

    info = client.site()

    assert (info.id, info.web_id, info.title) == (intranet.id, intranet.web_id, "Intranet")
    assert info.url == emulator.site_url("intranet")
    assert info.server_relative_url == catalogue.INTRANET
    assert info.hub_site_id is None and not info.is_hub_site


def test_for_site_shares_sign_in_and_session(emulator: Emulator,
                                             client: SharePointClient) -> None:
    client.site()
    hr = client.for_site(emulator.site_url("hr"))

    assert hr.site().title == "HR"
    assert hr.session is client.session
    assert client.token_provider.fetches == 1


def test_hub_sites_are_found_by_search(emulator: Emulator, client: SharePointClient) -> None:
    intranet = emulator.tenant.site_by_url(catalogue.INTRANET)
    intranet.is_hub_site, intranet.hub_site_id = True, intranet.id
    emulator.tenant.site_by_url(catalogue.HR_SITE).hub_site_id = intranet.id

    assert client.site().hub_site_id == intranet.id
    found = client.hub_sites(intranet.id)

    assert [s.url for s in found] == [emulator.site_url("hr"), emulator.site_url("intranet")]
    assert {s.title for s in found} == {"HR", "Intranet"}


def test_document_libraries_leave_out_site_pages(client: SharePointClient) -> None:
    titles = {lib.title for lib in client.document_libraries()}

    assert titles == {catalogue.DOCUMENTS, catalogue.SITE_ASSETS}


def test_document_libraries_by_title_or_url_name(client: SharePointClient) -> None:
    by_url = client.document_libraries(["shared documents"])
    by_title = client.document_libraries([catalogue.DOCUMENTS])

    assert by_url == by_title
    assert [lib.url for lib in by_url] == [f"{catalogue.INTRANET}/Shared Documents"]


def test_site_pages_is_found_by_url_not_title(client: SharePointClient) -> None:
    pages = client.site_pages()

    assert pages.title == catalogue.SITE_PAGES  # "Webstedssider"
    assert pages.url == f"{catalogue.INTRANET}/SitePages"
    assert pages.base_template == 119


def test_documents_carry_the_document_fields(client: SharePointClient) -> None:
    [library] = client.document_libraries(["Shared Documents"])

    documents = list(client.documents(library.id))

    assert len(documents) == library.item_count
    document = next(d for d in documents if d["FSObjType"] == 0)
    for field in ("UniqueId", "FileRef", "FileLeafRef", "FileDirRef", "Title", "Modified",
                  "Created", "OData__UIVersionString", "HasUniqueRoleAssignments"):
        assert field in document
    assert document["Author"]["Title"] and document["Editor"]["Title"]
    assert int(document["File"]["Length"]) >= 0


def test_pages_carry_the_news_fields(client: SharePointClient) -> None:
    pages = {p["Title"]: p for p in client.pages(client.site_pages().id)}

    news = pages[catalogue.BANNER_ALT_TITLE]
    assert news["PromotedState"] == 2
    assert news["FirstPublishedDate"]
    assert "data-sp-canvascontrol" in news["CanvasContent1"]
    assert news["BannerImageUrl"]["Description"] == catalogue.BANNER_ALT_TEXT
    assert pages[catalogue.PAGE_TITLE]["PromotedState"] == 0


def test_one_item_and_a_missing_one(client: SharePointClient) -> None:
    pages = client.site_pages()
    first = next(client.pages(pages.id))

    assert client.page(pages.id, first["Id"])["UniqueId"] == first["UniqueId"]
    assert client.page(pages.id, 999_999) is None


def test_the_last_published_version_of_a_page_with_a_newer_draft(
        client: SharePointClient) -> None:
    pages = client.site_pages()
    page = next(p for p in client.pages(pages.id)
                if p["Title"] == catalogue.DRAFT_ONLY_TITLE)  # the item shows the draft

    published = client.last_published_version(pages.id, page["Id"])

    assert page["OData__UIVersionString"] == "1.1"
    assert published["VersionLabel"] == "1.0"
    assert published["Title"] == catalogue.NEWS_WITH_DRAFT_TITLE
    assert catalogue.DRAFT_WORD not in published["CanvasContent1"]


def test_a_never_published_page_has_no_published_version(client: SharePointClient) -> None:
    pages = client.site_pages()
    page = next(p for p in client.pages(pages.id)
                if p["Title"] == catalogue.NEVER_PUBLISHED_TITLE)

    assert client.last_published_version(pages.id, page["Id"]) is None


def test_download_returns_the_file_bytes(emulator: Emulator, client: SharePointClient) -> None:
    hr = client.for_site(emulator.site_url("hr"))
    item = emulator.tenant.site_by_url(catalogue.HR_SITE).list_by_title(
        catalogue.DOCUMENTS).item_by_url(catalogue.SHARED_WITH_EVERYONE_PATH)

    assert hr.download(catalogue.SHARED_WITH_EVERYONE_PATH) == item.current.read()


def test_a_broken_download_is_downloaded_again(emulator: Emulator,
                                               client: SharePointClient) -> None:
    hr = client.for_site(emulator.site_url("hr"))
    emulator.state.faults.add("truncate", count=1, path="/$value")

    content = hr.download(catalogue.SHARED_WITH_EVERYONE_PATH)

    assert len(content) == emulator.tenant.site_by_url(catalogue.HR_SITE).list_by_title(
        catalogue.DOCUMENTS).item_by_url(catalogue.SHARED_WITH_EVERYONE_PATH).current.size
    assert client.stats.failures == 1


def test_a_file_over_the_limit_is_not_downloaded(emulator: Emulator,
                                                 settings: ClientSettings,
                                                 tokens: TokenProvider) -> None:
    small = dataclasses.replace(settings, max_file_bytes=1000)
    hr = SharePointClient(emulator.site_url("hr"), tokens, small)

    with pytest.raises(FileTooLarge):
        hr.download(catalogue.SHARED_WITH_EVERYONE_PATH)


def test_a_missing_file_is_not_found(client: SharePointClient) -> None:
    with pytest.raises(NotFound):
        client.download(f"{catalogue.INTRANET}/Shared Documents/findes-ikke.docx")


def test_a_site_that_does_not_exist_is_not_accessible(emulator: Emulator,
                                                      client: SharePointClient) -> None:
    with pytest.raises(SiteNotAccessible):
        client.for_site(emulator.site_url("findes-ikke")).site()


def test_a_site_the_app_may_not_read_is_not_accessible(emulator: Emulator,
                                                       client: SharePointClient) -> None:
    app = emulator.tenant.directory.apps[emulator.registration.client_id]
    app.sharepoint_access, app.granted_sites = "selected", {catalogue.INTRANET}

    assert client.site().title == "Intranet"
    with pytest.raises(SiteNotAccessible, match="403"):
        client.for_site(emulator.site_url("hr")).site()


def test_a_list_of_exactly_one_full_page_is_read_once(emulator: Emulator,
                                                      client: SharePointClient) -> None:
    intranet = emulator.tenant.site_by_url(catalogue.INTRANET)
    documents = intranet.list_by_title(catalogue.DOCUMENTS)
    editor = emulator.tenant.directory.user_by_upn(people.EDITOR)
    now = datetime.now(UTC)
    bulk.add_files(emulator.tenant, intranet, documents, [
        bulk.NewFile("", f"Referat {n:04d}.txt", b"referat", editor, now)
        for n in range(PAGE_SIZE - len(documents.items))])

    ids = [item["Id"] for item in client.documents(documents.id)]

    # A full page without __next makes the library try $skip, which SharePoint ignores: the
    # first page comes back once more, and its first id ends the listing.
    assert ids == sorted(documents.items) and len(ids) == PAGE_SIZE
    pages = [r for r in emulator.state.requests.matching() if "/items?" in r.path.lower()]
    assert len(pages) <= 2


def test_download_of_the_published_version_under_a_draft(emulator: Emulator,
                                                         client: SharePointClient) -> None:
    hr_site = emulator.tenant.site_by_url(catalogue.HR_SITE)
    policies = hr_site.list_by_title(catalogue.POLICIES)
    item = next(i for i in policies.items.values() if not i.is_folder and i.current.minor == 0)
    published = item.current.read()
    editor = emulator.tenant.directory.user_by_upn(people.HR)
    editing.save_version(emulator.tenant, hr_site, policies, item, editor,
                         content=b"draft bytes", publish=False)
    hr = client.for_site(emulator.site_url("hr"))

    version = hr.last_published_version(policies.id, item.id)

    assert hr.download(item.file_ref) == b"draft bytes"
    assert hr.download(item.file_ref, version_id=version["VersionId"]) == published
