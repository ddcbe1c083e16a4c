"""Keyboard only: sign in, read, search, switch language and sign out with Tab, Enter, Space
(and the arrow keys of a radio group), with focus always visible and "skip to content" first."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from emulator.sample import catalogue as c
from emulator.sample import people as p

pytestmark = pytest.mark.browser
MINUTES = "Referat forældremøde 7.A"
MAX_TABS = 60
FOCUS_INDICATOR = """element => {
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    return element.matches(":focus-visible") && (outline || style.boxShadow !== "none");
}"""


def focused(target: Locator) -> bool:
    """Whether ``target`` has the keyboard focus."""
    return target.evaluate("element => element === document.activeElement")


def tab_to(page: Page, target: Locator, check_focus: bool = True) -> None:
    """Press Tab until ``target`` has the focus; on the portal's pages every element that gets
    the focus on the way must show it."""
    expect(target).to_be_attached()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        active = page.evaluate_handle("document.activeElement")
        if check_focus and not active.evaluate("element => element === document.body"):
            assert active.evaluate(FOCUS_INDICATOR), active.evaluate("e => e.outerHTML")
        if focused(target):
            return
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {target}")


def test_every_journey_by_keyboard_alone(page: Page, portal_url: str):
    page.goto(portal_url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Gå til indholdet")
    assert focused(skip), "the skip link is not the first thing Tab reaches"
    expect(skip).to_be_in_viewport()
    assert skip.evaluate(FOCUS_INDICATOR)

    tab_to(page, page.get_by_role("radio", name="Nej, det er min egen enhed"))
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="Ja, andre bruger den også")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Log ind med Microsoft"))
    page.keyboard.press("Enter")
    teacher = page.get_by_role("button", name=p.TEACHER)
    tab_to(page, teacher, check_focus=False)  # Entra's page, not the portal's
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # skip to content
    page.keyboard.press("Tab")
    expect(page.get_by_role("main").locator(":focus")).to_have_count(1)
    tab_to(page, page.get_by_role("link", name=c.BANNER_ALT_TITLE))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(c.BANNER_ALT_TITLE)

    tab_to(page, page.get_by_role("banner").get_by_role("link", name="Intranet"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("search").get_by_label("Søg på intranettet"))
    page.keyboard.type("forældremøde")
    page.keyboard.press("Enter")
    result = page.get_by_role("list", name="Søgeresultater").get_by_role("link", name=MINUTES)
    tab_to(page, result)
    page.keyboard.press("Enter")
    download_link = page.get_by_role("link", name="Hent")
    tab_to(page, download_link)
    with page.expect_download() as started:
        page.keyboard.press("Enter")
    assert Path(started.value.path()).read_bytes().startswith(b"PK")  # a Word file

    tab_to(page, page.get_by_role("button", name="English"))
    page.keyboard.press("Space")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    tab_to(page, page.get_by_role("button", name="Sign out"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Sign in to the intranet")).to_be_visible()
