"""Sign in to a running portal through the emulator's Entra ID, as a browser would."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin

import requests

from emulator.server import PORTAL_REDIRECT_PATH, Emulator

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
ACTION = re.compile(r'<form method="post" action="([^"]+)"')


def sign_in(origin: str, emulator: Emulator, oid: str) -> requests.Session:
    """A session signed in to the portal at ``origin`` as user ``oid`` (personal device)."""
    portal, entra = requests.Session(), requests.Session()
    page = portal.get(f"{origin}/auth/signin?next=/", timeout=30)
    start = portal.post(f"{origin}/auth/signin", timeout=30, allow_redirects=False, data={
        "csrf_token": CSRF.search(page.text).group(1), "next": "/", "shared": "no"})
    authorize = entra.get(start.headers["Location"], timeout=30)
    fields = {k: unescape(v) for k, v in HIDDEN.findall(authorize.text)}
    answer = entra.post(urljoin(authorize.url, ACTION.search(authorize.text).group(1)),
                        data=fields | {"user": oid}, allow_redirects=False, timeout=30)
    done = portal.get(answer.headers["Location"], allow_redirects=False, timeout=30)
    front = portal.get(f"{origin}/", allow_redirects=False, timeout=30)
    if done.status_code != 302 or front.status_code != 200:
        raise RuntimeError(f"sign-in failed: callback {done.status_code}, "
                           f"front page {front.status_code}")
    return portal


def cookie_header(session: requests.Session) -> str:
    """The session's cookies as one ``Cookie`` header value."""
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


def allow_redirect(emulator: Emulator, origin: str) -> None:
    """Let the app registration send sign-ins back to the portal on ``origin``."""
    app = emulator.tenant.directory.apps[emulator.registration.client_id]
    app.redirect_uris.append(origin + PORTAL_REDIRECT_PATH)


def busiest_user(emulator: Emulator) -> str:
    """The object id of the user in the most groups (first by id on a tie)."""
    directory = emulator.tenant.directory
    users = sorted(directory.users.values(), key=lambda u: u.oid)
    return max(users, key=lambda u: len(directory.groups_of(u.oid))).oid
