"""The journeys of issue #6 as a person makes them, written once and run on every screen, with
and without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

from browser_support import press, sharepoint_file, sign_in
from playwright.sync_api import Page, expect

from emulator.sample import catalogue as c
from emulator.sample import people as p
from emulator.server import Emulator

MINUTES = "Referat forældremøde 7.A"  # a Word document on the schools' site


def sign_in_as_teacher(page: Page, portal_url: str) -> None:
    """Sign in on a shared computer; the front page has her news and no one else's."""
    sign_in(page, portal_url, p.TEACHER, shared=True)
    news = page.get_by_role("region", name="Nyheder")
    expect(news.get_by_role("link", name=c.TEACHERS_NEWS_TITLE)).to_be_visible()
    expect(news.get_by_role("listitem")).to_have_count(7)
    expect(page.get_by_text(c.ADMINISTRATION_NEWS_TITLE)).to_have_count(0)
    expect(page.get_by_text("Delt computer: du bliver logget ud")).to_be_visible()


def read_news(page: Page) -> None:
    """From the front page: an article whose banner loads through the portal, then back to
    the front page and on to a recently updated document."""
    press(page.get_by_role("link", name=c.BANNER_ALT_TITLE))
    expect(page.get_by_role("heading", level=1)).to_have_text(c.BANNER_ALT_TITLE)
    banner = page.get_by_role("img", name=c.BANNER_ALT_TEXT)
    expect(banner).to_be_visible()
    assert banner.get_attribute("src").startswith("/news/")  # served by the portal
    banner.evaluate("image => image.decode()")  # rejects unless the image loaded
    assert banner.evaluate("image => image.naturalWidth") == 960
    expect(page.get_by_role("region", name="Tidligere nyheder")
           .get_by_role("link", name=c.TEACHERS_NEWS_TITLE)).to_be_visible()

    press(page.get_by_role("banner").get_by_role("link", name="Intranet"))
    documents = page.get_by_role("region", name="Senest opdaterede dokumenter")
    first = documents.get_by_role("link").first
    title = first.inner_text()
    press(first)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("link", name="Hent")).to_be_visible()
    expect(page.get_by_role("heading", name="Forhåndsvisning")).to_be_visible()


def _result_count(page: Page):
    return page.get_by_role("status").filter(has_text="resultat")


def search_and_download(page: Page, emulator: Emulator, type_ahead: bool = True) -> None:
    """Search from the front page: an inflected query, a typo and its "did you mean", the site
    and type filters, then open the one result and download it (the bytes SharePoint holds)."""
    press(page.get_by_role("banner").get_by_role("link", name="Intranet"))
    box = page.get_by_role("search").get_by_label("Søg på intranettet")
    box.press_sequentially("forældremø", delay=20)
    if type_ahead:
        suggestions = page.get_by_role("listbox", name="Forslag")
        expect(suggestions.get_by_role("option", name=MINUTES)).to_be_visible()
    box.press_sequentially("derne", delay=20)  # the definite plural finds the singular
    box.press("Enter")
    results = page.get_by_role("list", name="Søgeresultater")
    expect(results.get_by_role("link", name=MINUTES)).to_be_visible()

    box.fill("forældremåde")  # a typo
    box.press("Enter")
    expect(_result_count(page)).to_have_text("0 resultater for »forældremåde«")
    press(page.locator(".did-you-mean").get_by_role("link", name="forældremøde"))
    expect(_result_count(page)).to_have_text(re.compile(r"^[1-9]\d* resultat"))
    expect(box).to_have_value("forældremøde")

    filters = page.get_by_role("complementary", name="Afgræns resultaterne")
    chosen = filters.locator("[aria-current=true]")
    press(filters.get_by_role("link", name="Skoler"))
    expect(chosen).to_have_text(["Skoler"])
    press(filters.get_by_role("link", name="Word"))
    expect(chosen).to_have_text(["Skoler", "Word"])
    expect(results.get_by_role("listitem")).to_have_count(1)
    press(results.get_by_role("link", name=MINUTES))

    expect(page.get_by_role("heading", level=1)).to_have_text(MINUTES)
    with page.expect_download() as started:
        press(page.get_by_role("link", name="Hent"))
    download = started.value
    assert download.suggested_filename == f"{MINUTES}.docx"
    assert Path(download.path()).read_bytes() == sharepoint_file(
        emulator, "/sites/skoler", "Dokumenter", f"{MINUTES}.docx")
