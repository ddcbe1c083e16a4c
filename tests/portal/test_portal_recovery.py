"""The portal recovers: a worker killed -9 mid-request is replaced by gunicorn's master, and a
damaged index is reported (``/readyz`` and the error page) until the indexer has rebuilt it."""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time
from pathlib import Path

import requests
from flask.testing import FlaskClient
from portal_support import build_documents

from bench.children import children_of
from bench.live import environment, free_port
from bench.servers import WORKERS, gunicorn
from bench.signin import allow_redirect, sign_in
from emulator.sample import people as p
from emulator.server import Emulator
from indexer.index import SearchIndex

PAGES = ("/", "/search?q=nyhed", "/news")


def _workers(master: int, other_than: set[int] = frozenset(), wait: float = 60) -> set[int]:
    """The master's WORKERS workers, once none of them is in ``other_than``."""
    deadline = time.monotonic() + wait
    while True:
        workers = set(children_of(master))
        if len(workers) == WORKERS and not workers & other_than:
            return workers
        if time.monotonic() > deadline:
            raise AssertionError(f"workers {workers} did not replace {other_than}")
        time.sleep(0.1)


def test_a_worker_killed_mid_request_is_replaced_and_the_next_requests_succeed(
        emulator: Emulator, index_dir: Path, tmp_path: Path):
    origin = f"http://127.0.0.1:{free_port()}"
    allow_redirect(emulator, origin)
    env = environment(emulator, INDEX_DIR=str(index_dir), PORTAL_URL=origin,
                      SECRET_KEY=secrets.token_urlsafe(32), LOG_FORMAT="text",
                      SESSION_DB=str(tmp_path / "sessions.sqlite3"))
    with gunicorn("wsgi:app", env, tmp_path / "portal.log", int(origin.rsplit(":", 1)[1])) \
            as portal:
        oid = emulator.tenant.directory.user_by_upn(p.TEACHER).oid
        session = sign_in(origin, emulator, oid)
        first = _workers(portal.pid)
        stop, answered = threading.Event(), []

        def browse() -> None:
            browser = requests.Session()
            browser.cookies.update(session.cookies)
            browser.headers["User-Agent"] = session.headers["User-Agent"]
            while not stop.is_set():
                for page in PAGES:
                    try:
                        answered.append(browser.get(origin + page, timeout=30).status_code)
                    except requests.RequestException:
                        answered.append(0)  # a request on the killed worker
        browsers = [threading.Thread(target=browse) for _ in range(4)]
        for browser in browsers:
            browser.start()
        try:
            while len(answered) < 20:
                time.sleep(0.01)
            victim = min(first)
            os.kill(victim, signal.SIGKILL)
            replaced = _workers(portal.pid, other_than={victim})
        finally:
            stop.set()
            for browser in browsers:
                browser.join()
        assert replaced - first and victim not in replaced
        assert set(answered) <= {0, 200}
        after = [session.get(origin + page, timeout=30) for page in PAGES * 10]
        assert [answer.status_code for answer in after] == [200] * len(after)
        assert all("<title>" in answer.text for answer in after)


def _damage(index_dir: Path) -> None:
    stored = max(index_dir.glob("*._stored.col"), key=lambda path: path.stat().st_size)
    stored.write_bytes(b"\0" * stored.stat().st_size)


def test_a_damaged_index_is_not_ready_shows_the_error_page_and_serves_once_rebuilt(
        index_dir: Path, signed_in: FlaskClient, emulator: Emulator):
    _damage(index_dir)
    ready = signed_in.get("/readyz")
    assert ready.status_code == 503 and ready.text == "index unavailable\n"
    front = signed_in.get("/")
    assert front.status_code == 503 and "<title>" in front.text
    assert front.headers["Retry-After"]

    rebuilt = SearchIndex.open_or_create(index_dir)  # as the indexer does, then a full sync
    with rebuilt.batch() as batch:
        for doc in build_documents(emulator.sharepoint_url):
            batch.upsert(doc)
    assert signed_in.get("/readyz").status_code == 200
    assert signed_in.get("/").status_code == 200
