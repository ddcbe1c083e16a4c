"""On a shared computer, the next person at the screen finds nothing of the last one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from browser_support import sign_in
from playwright.sync_api import BrowserContext, Page, expect

from emulator.sample import catalogue as c
from emulator.sample import people as p

pytestmark = pytest.mark.browser
IDLE_MINUTES = 0.05  # three seconds


def assert_nothing_of_the_teacher(page: Page) -> None:
    """The page shows no trace of the teacher: not her name, nor news meant for teachers."""
    text = page.content()
    assert p.TEACHER not in text and "Mette Hansen" not in text
    assert c.TEACHERS_NEWS_TITLE not in text


def assert_signed_out_page(page: Page, portal_url: str) -> None:
    """A page from the browser's history after sign-out: nobody is signed in on it."""
    if not page.url.startswith(portal_url):
        expect(page.get_by_role("heading", name="Vælg en konto")).to_be_visible()
        return  # Entra asks who is there; it does not sign the teacher in again
    expect(page.get_by_role("heading", name="Log ind på intranettet")).to_be_visible()
    expect(page.get_by_role("button", name="Log ud")).to_have_count(0)
    assert_nothing_of_the_teacher(page)


def test_after_sign_out_back_and_the_next_sign_in_show_nothing_of_the_teacher(
        page: Page, portal_url: str):
    sign_in(page, portal_url, p.TEACHER, shared=True)
    page.get_by_role("link", name=c.TEACHERS_NEWS_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(c.TEACHERS_NEWS_TITLE)

    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()
    expect(page.get_by_role("heading", name="Log ind på intranettet")).to_be_visible()

    visited = 0
    while page.go_back() is not None:
        visited += 1
        assert_signed_out_page(page, portal_url)
    assert visited >= 3  # the article, the front page and Entra's account picker
    while page.go_forward() is not None:
        assert_signed_out_page(page, portal_url)

    sign_in(page, portal_url, p.CARE_WORKER, shared=True)
    assert_nothing_of_the_teacher(page)
    expect(page.get_by_role("button", name="Log ud")).to_have_attribute("title", p.CARE_WORKER)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_an_idle_shared_session_ends_by_itself_and_the_page_says_so(
        new_context: Callable[..., BrowserContext], serve_portal: Callable[..., str],
        javascript: bool):
    portal_url = serve_portal(KIOSK_IDLE_MINUTES=IDLE_MINUTES)
    page = new_context(java_script_enabled=javascript).new_page()
    sign_in(page, portal_url, p.TEACHER, shared=True)

    # nobody touches the screen: the page reloads itself once the session has ended
    expect(page.get_by_text("Du blev logget ud, fordi intranettet ikke blev brugt i et stykke "
                            "tid.")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Log ind på intranettet")).to_be_visible()
    page.goto(portal_url + "/")
    assert_signed_out_page(page, portal_url)
