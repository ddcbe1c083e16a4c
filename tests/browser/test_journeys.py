"""The core journeys on a desktop, a touch kiosk and a phone: sign in, then read news or search
(each starts with the sign-in of journey 1)."""

from __future__ import annotations

import pytest
from browser_support import VIEWPORTS
from journeys import read_news, search_and_download, sign_in_as_teacher
from playwright.sync_api import Page

from emulator.server import Emulator

pytestmark = [pytest.mark.browser,
              pytest.mark.parametrize("viewport", VIEWPORTS, indirect=True, ids=lambda v: v.name)]


def test_teacher_signs_in_reads_an_article_with_its_banner_and_opens_a_document(
        page: Page, portal_url: str):
    sign_in_as_teacher(page, portal_url)
    read_news(page)


def test_teacher_signs_in_searches_filters_and_downloads_a_document(
        page: Page, portal_url: str, live_emulator: Emulator):
    sign_in_as_teacher(page, portal_url)
    search_and_download(page, live_emulator)
