"""A person switches the portal to English and back to Danish."""

from __future__ import annotations

import pytest
from browser_support import sign_in
from playwright.sync_api import Page, expect

from emulator.sample import catalogue as c
from emulator.sample import people as p

pytestmark = pytest.mark.browser


def test_switching_to_english_and_back_keeps_the_page_and_changes_its_language(
        page: Page, portal_url: str):
    sign_in(page, portal_url, p.TEACHER)
    page.get_by_role("link", name=c.TEACHERS_NEWS_TITLE).click()
    article = page.url

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == article
    expect(page.get_by_role("heading", name="Earlier news")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("banner").get_by_role("link", name="Intranet").click()
    expect(page.get_by_role("heading", name="Recently updated documents")).to_be_visible()

    page.get_by_role("button", name="Dansk").click()
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", name="Senest opdaterede dokumenter")).to_be_visible()
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()
