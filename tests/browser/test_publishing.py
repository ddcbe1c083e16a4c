"""An editor publishes news in SharePoint; one indexer pass later it is on the front page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from browser_support import sign_in
from playwright.sync_api import Page, expect

from emulator.editor_client import EditorClient
from emulator.sample import people as p
from emulator.server import Emulator

pytestmark = pytest.mark.browser
TITLE = "Nye printere på rådhuset fra mandag"


def test_news_an_editor_publishes_is_on_the_front_page_after_one_indexer_pass(
        page: Page, portal_url: str, live_emulator: Emulator, sync_again: Callable[[], None]):
    editor = EditorClient(live_emulator.sharepoint_url, live_emulator.editor_key)
    # targeted at IT, so the other tests' front pages (teachers, carers) stay as they were
    editor.publish_news("intranet", TITLE, text="Printerne står ved elevatorerne.",
                        description="Alle etager får nye printere.", audiences=[p.IT],
                        editor=p.EDITOR)
    sign_in(page, portal_url, p.IT_ADMIN)
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)

    sync_again()
    page.reload()
    news = page.get_by_role("region", name="Nyheder")
    expect(news.get_by_role("listitem").first.get_by_role("link")).to_have_text(TITLE)
    news.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Printerne står ved elevatorerne.")).to_be_visible()
