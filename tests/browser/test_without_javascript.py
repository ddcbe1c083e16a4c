"""Sign-in, reading and search all work in a browser with JavaScript turned off."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from browser_support import PHONE
from journeys import read_news, search_and_download, sign_in_as_teacher
from playwright.sync_api import BrowserContext, expect

from emulator.server import Emulator

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE], indirect=True, ids=["phone"])
def test_sign_in_reading_and_search_work_without_javascript(
        new_context: Callable[..., BrowserContext], portal_url: str, live_emulator: Emulator):
    page = new_context(java_script_enabled=False).new_page()
    sign_in_as_teacher(page, portal_url)
    expect(page.get_by_role("combobox")).to_have_count(0)  # app.js did not run
    read_news(page)
    search_and_download(page, live_emulator, type_ahead=False)
