"""Throughput of two portal processes on one PostgreSQL, next to the same two on Whoosh.

Four portals run under gunicorn (bench.servers: deploy/gunicorn.conf.py, two workers each): two
with ``INDEX_URL`` on one PostgreSQL database and two on the Whoosh benchmark index. The
database is bench.pg_search's, which holds the records of that Whoosh index, so both pairs
serve the same records. The PostgreSQL pair keeps its sessions in that database too
(``SESSION_DB``), as two nodes behind one load balancer do; each Whoosh portal has its own
SQLite session store. Each portal has the synthetic tenant's busiest user signed in through the
emulator (as in bench.pages). One ``wrk`` per portal loads both portals of a pair at the same
time; the figure is the pair's combined requests/s. Pages and pairs take turns, round by round,
so both pairs see the same noise.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

import requests

from bench.figures import Figure, summary
from bench.http_load import CONNECTIONS, THREADS, Load, Target, run_wrk
from bench.live import environment, free_port, live_tenant
from bench.pages import SEARCH_WORDS
from bench.servers import WORKERS, gunicorn
from bench.signin import allow_redirect, busiest_user, cookie_header, sign_in
from emulator.server import Emulator
from indexer.pg.store import PgIndex

PORTALS = 2
PAGES = {"front page": "/", "search page": f"/search?q={SEARCH_WORDS.replace(' ', '+')}"}
BACKENDS = ("PostgreSQL", "Whoosh")


def figures(items: int, index_dir: Path, url: str, root: Path, quick: bool) -> list[Figure]:
    """Combined requests/s of two portals on the PostgreSQL database at ``url`` per page, next
    to two portals on the Whoosh index ``index_dir`` of the same ``items``-item synthetic
    tenant, whose records the database holds (bench.pg_search writes them)."""
    runs, seconds = (2, 2) if quick else (5, 10)
    loads: dict[tuple[str, str], list[Load]] = {}
    with live_tenant(items, root) as emulator, ExitStack() as portals:
        status_dir = root / "postgres-status"
        records = _records(url, status_dir)
        settings = {"PostgreSQL": {"INDEX_URL": url, "INDEX_DIR": str(status_dir.resolve()),
                                   "SESSION_DB": url},
                    "Whoosh": {"INDEX_URL": "", "INDEX_DIR": str(index_dir.resolve())}}
        pairs = {backend: portals.enter_context(_pair(emulator, settings[backend],
                                                      root / backend))
                 for backend in BACKENDS}
        for _ in range(runs):
            for page, path in PAGES.items():
                for backend, pair in pairs.items():
                    targets = [Target(f"{backend} portal {n}, {page}", origin + path, headers)
                               for n, (origin, headers) in enumerate(pair, 1)]
                    loads.setdefault((backend, page), []).append(_together(targets, seconds))
    notes = (f"{PORTALS} gunicorn processes per backend (deploy/gunicorn.conf.py, {WORKERS} "
             f"workers each), sessions in PostgreSQL (Whoosh: SQLite per process), a "
             f"signed-in user each; one "
             f"wrk -t{THREADS} -c{CONNECTIONS} -d{seconds}s per process at the same time, the "
             f"sum of their rates; {runs} rounds, pages and backends taking turns; {records} "
             "records in both indexes")
    figures = []
    for page in PAGES:
        pg, whoosh = loads["PostgreSQL", page], loads["Whoosh", page]
        rate, base = summary([x.rate for x in pg]), summary([x.rate for x in whoosh])
        figures.append(Figure(f"two portals on one PostgreSQL, {page}, requests/s", "req/s",
                              runs, rate["median"], rate, "the same two on the Whoosh index",
                              base["median"], notes=notes + "; only answers with a 2xx or 3xx "
                              "status count"))
        failed, base = summary([_failed(x) for x in pg]), summary([_failed(x) for x in whoosh])
        figures.append(Figure(f"two portals on one PostgreSQL, {page}, failed requests", "%",
                              runs, failed["median"], failed, "the same two on the Whoosh index",
                              base["median"], notes=notes + "; requests answered with another "
                              "status (503: a search over the statement timeout) or not at all, "
                              "per round"))
    return figures


def _failed(load: Load) -> float:
    """The share of ``load``'s requests that failed, in per cent."""
    return 100.0 * load.failed / load.requests if load.requests else 0.0


def _records(url: str, status_dir: Path) -> int:
    """How many records the database at ``url`` holds."""
    index = PgIndex.open_or_create(url, status_dir)
    try:
        return index.doc_count()
    finally:
        index.close()


@contextmanager
def _pair(emulator: Emulator, settings: dict[str, str],
          root: Path) -> Iterator[list[tuple[str, tuple[str, ...]]]]:
    """PORTALS portals on the index that ``settings`` names, each with a user signed in: their
    origins and the headers of the signed-in browser."""
    root.mkdir(parents=True)
    secret = secrets.token_urlsafe(32)  # shared, as nodes behind one load balancer share it
    with ExitStack() as running:
        portals = []
        for number in range(1, PORTALS + 1):
            port = free_port()
            origin = f"http://127.0.0.1:{port}"
            allow_redirect(emulator, origin)
            sessions = str((root / f"sessions-{number}.sqlite3").resolve())
            env = environment(emulator, PORTAL_URL=origin, SECRET_KEY=secret, LOG_FORMAT="text",
                              **({"SESSION_DB": sessions} | settings))
            running.enter_context(gunicorn("wsgi:app", env, root / f"portal-{number}.log", port))
            session = sign_in(origin, emulator, busiest_user(emulator))
            # the browser that signed in: Flask-Login ties the session to its User-Agent
            portals.append((origin, (f"Cookie: {cookie_header(session)}",
                                     f"User-Agent: {session.headers['User-Agent']}")))
        yield portals


def _together(targets: list[Target], seconds: int) -> Load:
    """One wrk per target, all running at the same time, summed; each target must answer 200
    (not a redirect to the sign-in page) before and after."""
    for target in targets:
        _answers_200(target)
    with ThreadPoolExecutor(len(targets)) as pool:
        loads = list(pool.map(lambda target: run_wrk(target, seconds), targets))
    for target in targets:
        _answers_200(target)
    return Load(sum(x.rate for x in loads), sum(x.failed for x in loads),
                sum(x.requests for x in loads))


def _answers_200(target: Target, patience: float = 120.0) -> None:
    """``target`` answers 200 (not a redirect to the sign-in page) within ``patience`` seconds:
    after a round a portal may still be working off the requests the load left queued."""
    headers = dict(header.split(": ", 1) for header in target.headers)
    deadline = time.monotonic() + patience
    while True:
        status = requests.get(target.url, headers=headers, allow_redirects=False,
                              timeout=30).status_code
        if status == 200:
            return
        if 300 <= status < 400 or time.monotonic() > deadline:
            raise RuntimeError(f"{target.name} answered {status}, not 200")
        time.sleep(1)
