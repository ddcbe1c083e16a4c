"""Every kind of portal page, in Danish and English, on a desktop, a phone and at 200 % zoom: no
WCAG 2.1 A or AA violation that axe-core finds, and no sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from accessibility import horizontal_overflow, violations
from browser_support import DESKTOP, PHONE, ZOOM_200, sign_in
from playwright.sync_api import BrowserContext, Page, expect

from emulator.sample import catalogue as c
from emulator.sample import people as p

pytestmark = pytest.mark.browser
MINUTES = "Referat forældremøde 7.A"
OTHER_LANGUAGE_NEWS = {"da": ("Sundby wins national award for green transition", "en"),
                       "en": (c.BANNER_ALT_TITLE, "da")}
SCREENS_AND_LANGUAGES = pytest.mark.parametrize(
    ("viewport", "language"),
    [(DESKTOP, "da"), (DESKTOP, "en"), (PHONE, "da"), (ZOOM_200, "en")],
    indirect=["viewport"], ids=["desktop-da", "desktop-en", "phone-da", "zoom-200-en"])


def judge(page: Page, found: list[str]) -> None:
    """Add the page's violations to ``found``; it must also fit the window's width."""
    page.wait_for_load_state()
    found.extend(violations(page))
    if horizontal_overflow(page) > 0:
        found.append(f"{page.url}: scrolls sideways by {horizontal_overflow(page)} px")


def start(new_context: Callable[..., BrowserContext], portal_url: str, language: str) -> Page:
    """A new browser whose language cookie is already set."""
    context = new_context()
    context.add_cookies([{"name": "lang", "value": language, "url": portal_url}])
    return context.new_page()


@SCREENS_AND_LANGUAGES
def test_every_page_type_has_no_accessibility_violation(
        new_context: Callable[..., BrowserContext], portal_url: str, language: str):
    page, found = start(new_context, portal_url, language), []
    page.goto(portal_url + "/auth/signin")
    expect(page.locator("html")).to_have_attribute("lang", language)
    judge(page, found)
    sign_in(page, portal_url, p.TEACHER, shared=True, language=language)
    judge(page, found)  # the front page, with the shared-computer note

    page.get_by_role("link", name=c.BANNER_ALT_TITLE).click()
    judge(page, found)  # an article with a banner and earlier news
    page.goto(portal_url + "/news")
    judge(page, found)  # the news archive with its pager
    title, its_language = OTHER_LANGUAGE_NEWS[language]
    expect(page.get_by_role("heading", name=title)).to_have_attribute("lang", its_language)
    page.goto(portal_url + "/search?q=forældremøde")
    judge(page, found)  # results with filters
    page.get_by_role("link", name=MINUTES).click()
    judge(page, found)  # a document
    page.goto(portal_url + "/search?q=forældremåde")
    judge(page, found)  # nothing found, with "did you mean"
    page.goto(portal_url + "/search")
    judge(page, found)  # the empty search page
    page.goto(portal_url + "/no-such-page")
    judge(page, found)  # 404
    page.goto(portal_url + "/auth/callback?error=access_denied")
    judge(page, found)  # an error page of the sign-in (400)

    page.goto(portal_url + "/")
    page.locator("#q").press_sequentially("forældremø", delay=20)
    expect(page.get_by_role("listbox")).to_be_visible()
    judge(page, found)  # the type-ahead suggestions, open
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_admin_status_page_has_no_accessibility_violation(
        new_context: Callable[..., BrowserContext], portal_url: str, language: str):
    page, found = start(new_context, portal_url, language), []
    sign_in(page, portal_url, p.IT_ADMIN, shared=False, language=language)
    page.goto(portal_url + "/admin")
    expect(page.locator("main h1")).to_have_text({"da": "Synkroniseringsstatus",
                                                  "en": "Sync status"}[language])
    judge(page, found)
    assert found == [], "\n".join(found)
