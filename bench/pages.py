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
from bench.signin import allow_redirect, busiest_user, cookie_header, sign_in
from bench.weight import measure_weight

SEARCH_WORDS = "referat budget"  # two words that the synthetic titles and texts hold


def measure_pages(items: int, index_dir: Path, root: Path, quick: bool) -> list[Figure]:
    """Requests/s of the front and search pages vs hello world, page weight, worker RSS."""
    runs, seconds = (3, 3) if quick else (5, 10)
    with live_tenant(items, root) as emulator:
        port = free_port()
        origin = f"http://127.0.0.1:{port}"
        allow_redirect(emulator, origin)
        env = environment(emulator, INDEX_DIR=str(index_dir.resolve()), PORTAL_URL=origin,
                          SECRET_KEY=secrets.token_urlsafe(32), LOG_FORMAT="text",
                          SESSION_DB=str((root / "sessions.sqlite3").resolve()))
        with (gunicorn("wsgi:app", env, root / "portal.log", port) as portal,
              gunicorn("bench.hello:app", env, root / "hello.log") as hello):
            session = sign_in(origin, emulator, busiest_user(emulator))
            figures = measure_weight(session, origin)
            # the browser that signed in: Flask-Login ties the session to its User-Agent
            cookie = (f"Cookie: {cookie_header(session)}",
                      f"User-Agent: {session.headers['User-Agent']}")
            query = SEARCH_WORDS.replace(" ", "+")
            figures += measure_load(Target('Flask "hello world"', f"{hello.origin}/"), [
                Target("front page", f"{origin}/", cookie),
                Target("search page", f"{origin}/search?q={query}", cookie)], runs, seconds)
            figures.append(measure_worker_rss(portal.pid, items))
    return figures
