"""Helpers for the browser tests: the real indexer, the portal as a real HTTP server, the
Chromium that Playwright drives, and a person's sign-in through the emulator's pages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, expect
from werkzeug.serving import BaseWSGIServer, make_server

from emulator.announce import tenant_settings
from emulator.server import Emulator, QuietHandler
from portal import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync")
SYNC_TIMEOUT = 300


@dataclass(frozen=True)
class Viewport:
    """A kind of screen the portal is used on, as Playwright context options."""

    name: str
    width: int
    height: int
    touch: bool = False
    mobile: bool = False
    scale: float = 1

    def context_options(self) -> dict[str, Any]:
        """Options for ``browser.new_context``."""
        return {"viewport": {"width": self.width, "height": self.height},
                "has_touch": self.touch, "is_mobile": self.mobile,
                "device_scale_factor": self.scale}


DESKTOP = Viewport("desktop", 1366, 768)
KIOSK = Viewport("kiosk", 1920, 1080, touch=True)
PHONE = Viewport("phone", 375, 667, touch=True, mobile=True)
VIEWPORTS = (DESKTOP, KIOSK, PHONE)
ZOOM_200 = Viewport("zoom-200", 640, 360, scale=2)  # a 1280 x 720 screen zoomed to 200 %


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless; each browser starts from a fresh temporary profile."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=list(CHROMIUM_FLAGS))


def indexer_environment(emulator: Emulator, index_dir: Path) -> dict[str, str]:
    """The environment the indexer runs with against the emulator."""
    return os.environ | tenant_settings(emulator) | {"INDEX_DIR": str(index_dir)}


def run_indexer_pass(emulator: Emulator, index_dir: Path, workdir: Path) -> None:
    """One pass of ``indexer sync``, as its own process (full the first time)."""
    workdir.mkdir(parents=True, exist_ok=True)  # no stray .env from the checkout is read
    done = subprocess.run([sys.executable, "-m", "indexer.cli", "sync"], cwd=workdir,
                          env=indexer_environment(emulator, index_dir), capture_output=True,
                          text=True, timeout=SYNC_TIMEOUT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def portal_settings(emulator: Emulator, index_dir: Path, data_dir: Path,
                    **overrides: Any) -> dict[str, Any]:
    """Production-like settings against the emulator (PORTAL_URL is set when served)."""
    registration = emulator.registration
    return {
        "SECRET_KEY": "browser-tests-secret", "INDEX_DIR": index_dir,
        "SESSION_DB": data_dir / "sessions.sqlite3",
        "TENANT_ID": emulator.tenant.directory.tenant_id,
        "AUTHORITY_HOST": emulator.authority.rsplit("/", 1)[0],
        "CLIENT_ID": registration.client_id, "CLIENT_SECRET": registration.client_secret,
        "CERTIFICATE_KEY_FILE": str(registration.certificate.key_file),
        "CERTIFICATE_THUMBPRINT": registration.certificate.thumbprint,
        "CA_FILE": str(emulator.ca_file), "SHAREPOINT_URL": emulator.sharepoint_url,
        "GRAPH_URL": emulator.graph_url,
    } | overrides


class PortalServer:
    """The portal app served over HTTP on a free port in a background thread."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self._server: BaseWSGIServer = make_server("127.0.0.1", 0, self._dispatch,
                                                   threaded=True, request_handler=QuietHandler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self.app = create_app(settings | {"PORTAL_URL": self.url})
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True,
                                        name=f"portal-{self._server.server_port}")
        self._thread.start()

    def _dispatch(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.app(environ, start_response)

    def stop(self) -> None:
        """Stop serving, close the port and the app's index reader."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self.app.extensions["portal.content"].close()


_TOUCH: WeakKeyDictionary[BrowserContext, bool] = WeakKeyDictionary()


def press(target: Locator) -> None:
    """Tap ``target`` on a touch screen; click it with the mouse elsewhere."""
    context = target.page.context
    if context not in _TOUCH:  # asked once, on a settled page: a press may start a navigation
        _TOUCH[context] = target.page.evaluate("navigator.maxTouchPoints > 0")
    if _TOUCH[context]:
        target.tap()
    else:
        target.click()


def pick_account(page: Page, upn: str) -> None:
    """On the emulator's account picker, choose ``upn``."""
    expect(page.get_by_role("heading", name="Vælg en konto")).to_be_visible()
    press(page.get_by_role("button", name=re.compile(re.escape(upn))))


SIGN_IN_TEXTS = {
    "da": ("Log ind på intranettet", "Ja, andre bruger den også", "Nej, det er min egen enhed",
           "Log ind med Microsoft", "Log ud"),
    "en": ("Sign in to the intranet", "Yes, others use it too", "No, it is my own device",
           "Sign in with Microsoft", "Sign out"),
}


def sign_in(page: Page, portal_url: str, upn: str, shared: bool = True,
            language: str = "da") -> None:
    """Open the portal and sign in as ``upn`` the way a person does, on pages in
    ``language`` (the portal's default is Danish)."""
    heading, yes, no, button, sign_out = SIGN_IN_TEXTS[language]
    page.goto(portal_url + "/")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    choice = page.get_by_role("radio", name=yes if shared else no)
    press(choice)
    expect(choice).to_be_checked()
    press(page.get_by_role("button", name=button))
    pick_account(page, upn)
    page.wait_for_url(portal_url + "/")
    expect(page.get_by_role("button", name=sign_out)).to_be_visible()


def sharepoint_file(emulator: Emulator, site_url: str, library: str, name: str) -> bytes:
    """The published bytes SharePoint holds for a file at the root of a library."""
    lst = emulator.tenant.site_by_url(site_url).list_by_title(library)
    item = lst.item_by_url(f"{lst.root_url}/{name}")
    return next(v for v in reversed(item.versions) if v.minor == 0).read()
