"""The sample tenant's news and pages: banners, canvases, audiences, drafts and traps."""

from __future__ import annotations

import io
import pickle

import pytest
from PIL import Image
from sample_support import (
    Canvas,
    find,
    library,
    pages,
    published,
    published_news,
    readers,
    version_text,
)

from emulator.sample import catalogue as c
from emulator.sample import people as p
from emulator.sample.news_posts import ENGLISH
from emulator.tenant import Tenant


@pytest.fixture(scope="module")
def sundby(sample_tenant_bytes: bytes) -> Tenant:
    """The session's sample tenant, shared read-only by this module's tests."""
    return pickle.loads(sample_tenant_bytes)


# --- news and pages --------------------------------------------------------------------------

def test_intranet_news_have_banner_author_and_dates_over_four_months(sundby: Tenant) -> None:
    news = published_news(sundby)
    site, assets = library(sundby, c.INTRANET, c.SITE_ASSETS)
    newest = max(item.created for item in news)
    ages = [(newest - item.fields["FirstPublishedDate"]).days for item in news]

    assert len(news) >= 30
    assert max(ages) > 90 and all(age <= 121 for age in ages)
    assert len({item.author_id for item in news}) >= 4
    formats = set()
    for item in news:
        banner = assets.item_by_url(item.fields["BannerImageUrl"]["Url"])
        picture = Image.open(io.BytesIO(banner.current.read()))
        formats.add(picture.format)
        assert picture.size == (1200, 675)
    assert formats == {"JPEG", "PNG"}


def test_school_and_hr_sites_have_news_of_their_own(sundby: Tenant) -> None:
    assert len(published_news(sundby, c.SCHOOLS)) >= 3
    assert len(published_news(sundby, c.HR_SITE)) >= 2


def test_most_news_is_danish_and_some_english(sundby: Tenant) -> None:
    english = [i for i in published_news(sundby) if i.name.removesuffix(".aspx") in ENGLISH]

    assert 3 <= len(english) < len(published_news(sundby)) // 3
    assert "Welcome to our international colleagues" in {i.fields["Title"] for i in english}


def test_every_news_canvas_is_sharepoint_html_with_searchable_web_parts(sundby: Tenant) -> None:
    for item in published_news(sundby):
        raw = published(item).fields["CanvasContent1"]
        canvas = Canvas()
        canvas.feed(raw)

        assert raw.startswith("<div><div data-sp-canvascontrol=\"\" data-sp-canvasdataversion")
        assert "data-sp-controldata=\"&#123;&quot;controlType&quot;&#58;" in raw
        assert {4, 3, 0} <= {control["controlType"] for control in canvas.controls}
        assert canvas.rich_text >= 1
        processed = [part["serverProcessedContent"] for part in canvas.web_parts]
        assert all(set(x) == {"htmlStrings", "searchablePlainTexts", "imageSources", "links"}
                   for x in processed)
        assert any(x["searchablePlainTexts"] for x in processed)


def test_an_image_web_part_shows_an_uploaded_image(sundby: Tenant) -> None:
    item = find(sundby, c.INTRANET, c.SITE_PAGES, c.IMAGE_WEB_PART_TITLE)
    canvas = Canvas()
    canvas.feed(item.fields["CanvasContent1"])
    images = [x["serverProcessedContent"]["imageSources"] for x in canvas.web_parts]
    _, assets = library(sundby, c.INTRANET, c.SITE_ASSETS)

    assert {"imageSource": c.IMAGE_WEB_PART_URL} in images
    assert Image.open(io.BytesIO(assets.item_by_url(c.IMAGE_WEB_PART_URL).current.read()))
    assert c.IMAGE_WEB_PART_CAPTION in item.fields["CanvasContent1"]


def test_audience_targeted_news(sundby: Tenant) -> None:
    groups = {g.name: g.id for g in sundby.directory.groups.values()}
    audiences = {i.fields["Title"]: i.fields["_ModernAudienceAadObjectIds"] for i in pages(sundby)}

    assert audiences[c.TEACHERS_NEWS_TITLE] == [groups[p.TEACHERS]]
    assert audiences[c.MANAGERS_NEWS_TITLE] == [groups[p.MANAGERS]]
    assert audiences[c.ADMINISTRATION_NEWS_TITLE] == [groups[p.ADMINISTRATION]]
    assert sum(bool(a) for a in audiences.values()) == 3


def test_administration_news_is_also_hidden_by_permissions(sundby: Tenant) -> None:
    site, lst = library(sundby, c.INTRANET, c.SITE_PAGES)
    item = find(sundby, c.INTRANET, c.SITE_PAGES, c.ADMINISTRATION_NEWS_TITLE)

    assert readers(sundby, site, lst, item) == {p.HR, p.IT_ADMIN}
    assert c.ADMINISTRATION_NEWS_WORD in item.fields["CanvasContent1"]


def test_published_news_with_a_newer_draft(sundby: Tenant) -> None:
    item = find(sundby, c.INTRANET, c.SITE_PAGES, c.DRAFT_ONLY_TITLE)
    published, draft = item.versions

    assert (published.label, draft.label) == ("1.0", "1.1")
    assert published.fields["Title"] == c.NEWS_WITH_DRAFT_TITLE
    assert c.DRAFT_WORD not in published.fields["CanvasContent1"]
    assert c.DRAFT_WORD in draft.fields["CanvasContent1"]
    assert draft.fields["FirstPublishedDate"] == published.fields["FirstPublishedDate"]


def test_a_news_post_that_was_never_published(sundby: Tenant) -> None:
    item = find(sundby, c.INTRANET, c.SITE_PAGES, c.NEVER_PUBLISHED_TITLE)

    assert [v.label for v in item.versions] == ["0.1"]
    assert item.fields["FirstPublishedDate"] is None and item.fields["PromotedState"] == 2
    assert c.NEVER_PUBLISHED_WORD in item.fields["CanvasContent1"]


def test_draft_words_occur_only_in_drafts(sundby: Tenant) -> None:
    for site in sundby.sites.values():
        for lst in site.lists.values():
            for item in lst.items.values():
                for version in item.versions:
                    text = version_text(item, version)
                    if version.minor == 0:
                        assert c.DRAFT_WORD not in text and c.NEVER_PUBLISHED_WORD not in text


def test_a_page_that_is_not_news(sundby: Tenant) -> None:
    item = find(sundby, c.INTRANET, c.SITE_PAGES, c.PAGE_TITLE)

    assert item.fields["PromotedState"] == 0 and item.current.label == "1.0"


def test_hostile_html_is_stored_as_the_editor_pasted_it(sundby: Tenant) -> None:
    canvas = find(sundby, c.INTRANET, c.SITE_PAGES, c.HOSTILE_NEWS_TITLE).fields["CanvasContent1"]

    assert "<script>" in canvas and "onerror=" in canvas and 'href="javascript:' in canvas


def test_a_banner_with_alt_text(sundby: Tenant) -> None:
    banner = find(sundby, c.INTRANET, c.SITE_PAGES, c.BANNER_ALT_TITLE).fields["BannerImageUrl"]

    assert banner["Description"] == c.BANNER_ALT_TEXT
    assert banner["Url"].startswith("/sites/intranet/SiteAssets/SitePages/")
