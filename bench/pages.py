"""The portal under load: requests/s, front page weight and worker memory, all against one
gunicorn serving the benchmark index to a signed-in user of the same synthetic tenant."""

from __future__ import annotations

import secrets
from pathlib import Path

from bench.figures import Figure
from bench.http_load import Target, measure_load
from bench.live import environment, free_port, live_tenant
from bench.memory import measure_worker_rss
from bench.servers import gunicorn
from bench.signin import cookie_header, sign_in
from bench.weight import measure_weight
from emulator.server import PORTAL_REDIRECT_PATH, Emulator

SEARCH_WORDS = "referat budget"  # two words that the synthetic titles and texts hold


def measure_pages(items: int, index_dir: Path, root: Path, quick: bool) -> list[Figure]:
    """Requests/s of the front and search pages vs hello world, page weight, worker RSS."""
    runs, seconds = (2, 3) if quick else (5, 10)
    with live_tenant(items, root) as emulator:
        port = free_port()
        origin = f"http://127.0.0.1:{port}"
        _allow_redirect(emulator, origin)
        env = environment(emulator, INDEX_DIR=str(index_dir.resolve()), PORTAL_URL=origin,
                          SECRET_KEY=secrets.token_urlsafe(32), LOG_FORMAT="text",
                          SESSION_DB=str((root / "sessions.sqlite3").resolve()))
        with (gunicorn("wsgi:app", env, root / "portal.log", port) as portal,
              gunicorn("bench.hello:app", env, root / "hello.log") as hello):
            session = sign_in(origin, emulator, _user(emulator))
            figures = measure_weight(session, origin)
            cookie = (f"Cookie: {cookie_header(session)}",)
            query = SEARCH_WORDS.replace(" ", "+")
            figures += measure_load(Target('Flask "hello world"', f"{hello.origin}/"), [
                Target("front page", f"{origin}/", cookie),
                Target("search page", f"{origin}/search?q={query}", cookie)], runs, seconds)
            figures.append(measure_worker_rss(portal.pid, items))
    return figures


def _allow_redirect(emulator: Emulator, origin: str) -> None:
    """Let the app registration send sign-ins back to the portal on ``origin``."""
    app = emulator.tenant.directory.apps[emulator.registration.client_id]
    app.redirect_uris.append(origin + PORTAL_REDIRECT_PATH)


def _user(emulator: Emulator) -> str:
    """The object id of the user in the most groups (first by id on a tie)."""
    directory = emulator.tenant.directory
    users = sorted(directory.users.values(), key=lambda u: u.oid)
    return max(users, key=lambda u: len(directory.groups_of(u.oid))).oid
