"""Fixtures for the browser tests: one emulator, one real indexer pass and one portal server per
session, Debian's Chromium through Playwright, and a fresh browser context per test.

A test that fails leaves a screenshot of each of its pages and a Playwright trace under
``test-artifacts/browser/<test>/`` (open a trace with ``playwright show-trace trace.zip``).
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    CHROMIUM,
    DESKTOP,
    PortalServer,
    Viewport,
    launch_chromium,
    portal_settings,
    run_indexer_pass,
)
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from emulator.sample import people
from emulator.server import Emulator

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Keep each phase's report on the test, so fixtures can tell that it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def live_emulator(sample_tenant_bytes: bytes, credentials_dir: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """The sample tenant, served for the whole session (tests only add to it)."""
    data_dir = tmp_path_factory.mktemp("browser-emulator")
    (data_dir / "credentials").symlink_to(credentials_dir, target_is_directory=True)
    with Emulator(pickle.loads(sample_tenant_bytes), data_dir) as running:
        yield running


@pytest.fixture(scope="session")
def index_dir(live_emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The index after one pass of the real indexer over the sample tenant."""
    root = tmp_path_factory.mktemp("browser-index")
    run_indexer_pass(live_emulator, root / "index", root / "indexer")
    return root / "index"


@pytest.fixture(scope="session")
def sync_again(live_emulator: Emulator, index_dir: Path) -> Callable[[], None]:
    """Run one more indexer pass (incremental) over the session's index."""
    return lambda: run_indexer_pass(live_emulator, index_dir, index_dir.parent / "indexer")


@pytest.fixture(scope="session")
def serve_portal(live_emulator: Emulator, index_dir: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """``serve_portal(**settings)`` starts a portal server on the session's index and returns
    its URL; every one is stopped at the end of the session."""
    servers: list[PortalServer] = []

    def start(**overrides: Any) -> str:
        data_dir = tmp_path_factory.mktemp("browser-portal")
        server = PortalServer(portal_settings(live_emulator, index_dir, data_dir, **overrides))
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def portal_url(serve_portal: Callable[..., str]) -> str:
    """The URL of the portal with its default settings; members of IT see /admin."""
    return serve_portal(ADMIN_GROUP=people.stable_oid("group", people.IT))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver, for the session."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the session; each test gets its own context in it."""
    browser = launch_chromium(playwright)
    yield browser
    browser.close()


@pytest.fixture
def viewport(request: pytest.FixtureRequest) -> Viewport:
    """The screen of the test: desktop unless the test is parametrised with others."""
    return getattr(request, "param", DESKTOP)


def _artifact_dir(item: pytest.Item) -> Path:
    return ARTIFACTS / re.sub(r"[^\w.-]+", "_", item.nodeid.split("::", 1)[-1])


def _save_artifacts(contexts: list[BrowserContext], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number, context in enumerate(contexts, 1):
        for page_number, page in enumerate(context.pages, 1):
            try:
                page.screenshot(path=folder / f"context{number}-page{page_number}.png",
                                full_page=True)
            except PlaywrightError:  # a page that crashed or closed has no picture
                continue
        context.tracing.stop(path=folder / f"trace{number}.zip")


@pytest.fixture
def new_context(chromium: Browser, viewport: Viewport,
                request: pytest.FixtureRequest) -> Iterator[Callable[..., BrowserContext]]:
    """``new_context(**options)``: a fresh, traced browser context in the test's viewport
    (a new person at the screen: no cookies, no cache, no history)."""
    contexts: list[BrowserContext] = []

    def create(**options: Any) -> BrowserContext:
        context = chromium.new_context(**(viewport.context_options() | options))
        context.set_default_timeout(TIMEOUT_MS)
        context.tracing.start(snapshots=True)
        contexts.append(context)
        return context

    yield create
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        _save_artifacts(contexts, _artifact_dir(request.node))
    for context in contexts:
        if report is None or not report.failed:
            context.tracing.stop()
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a fresh browser context."""
    return new_context().new_page()
