"""Soak: the portal under gunicorn (two workers) and 200 simulated users while ``indexer watch``
applies a stream of editor changes. ``python -m bench.soak [--minutes N] [--items N]``.

Five wrk processes hold 200 connections in all (front page, news article, search, download and
the sign-in page). Their requests take turns over several signed-in users with different
principals; the sign-in page is loaded by visitors who have not signed in. Beside them, one
thread signs in through Entra ID again and again, an editor adds a file every half second and
saves new versions, and a reader watches the search hit count of the added files, which must
never go down (a half-written index would show as a drop).
"""

from __future__ import annotations

import argparse
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench import soak_wrk
from bench.children import children_of, rss, stop
from bench.figures import Figure, summary
from bench.live import environment, free_port, live_tenant
from bench.servers import WORKERS, gunicorn
from bench.signin import allow_redirect, cookie_header, sign_in
from emulator import editing
from emulator.server import Emulator

CONNECTIONS = {"front page": 60, "news article": 40, "search": 50, "download": 20,
               "sign-in page": 30}  # 200 simulated users
PRINCIPAL_SETS = 5  # signed-in users, each with another set of groups
MARKER = "soakmarker"  # a word only the editor's new files hold
EDIT_EVERY = 0.5  # seconds between editor changes
WARM_UP = 10  # seconds of load before the first RSS reading
RSS_GROWTH = 0.10  # worker RSS at the end within 10% of after warm-up
_STATUS = re.compile(r'id="search-status"[^>]*>\D*([\d.,\u00a0 ]*\d)')
_LINKS = {"news article": re.compile(r'href="(/news/[^"/?#]+)"'),
          "download": re.compile(r'href="/documents/([^"/?#]+)"')}


@dataclass
class Stream:
    """The editor's changes and what the reader saw of them."""

    added: int = 0
    versions: int = 0
    counts: list[int] = field(default_factory=list)
    drops: int = 0
    reader_errors: int = 0
    signins: list[float] = field(default_factory=list)
    signin_errors: int = 0


def _users(emulator: Emulator) -> list[str]:
    """Up to PRINCIPAL_SETS user ids whose group memberships all differ."""
    directory, chosen, seen = emulator.tenant.directory, [], set()
    for user in sorted(directory.users.values(), key=lambda u: u.oid):
        groups = frozenset(g.id for g in directory.groups_of(user.oid))
        if groups not in seen:
            seen.add(groups)
            chosen.append(user.oid)
        if len(chosen) == PRINCIPAL_SETS:
            break
    return chosen


def _visits(origin: str, sessions: list[requests.Session]) -> dict[str, list[soak_wrk.Visit]]:
    """Per endpoint, the paths each signed-in user may open (from their own front page)."""
    visits: dict[str, list[soak_wrk.Visit]] = {name: [] for name in CONNECTIONS}
    for session in sessions:
        browser = (cookie_header(session), session.headers["User-Agent"])
        front = session.get(f"{origin}/", timeout=30).text
        paths = {"front page": ["/"], "search": ["/search?q=budget", f"/search?q={MARKER}"],
                 "news article": _LINKS["news article"].findall(front)[:5],
                 "download": [f"/documents/{d}/download"
                              for d in _LINKS["download"].findall(front)[:5]]}
        for name, found in paths.items():
            visits[name] += [soak_wrk.Visit(path, *browser) for path in found]
        visits["sign-in page"].append(  # where a visitor who has not signed in starts
            soak_wrk.Visit("/auth/signin?next=/", "", session.headers["User-Agent"]))
    empty = [name for name, found in visits.items() if not found]
    if empty:
        raise RuntimeError(f"no pages to load for {', '.join(empty)}")
    return visits


def _edit(emulator: Emulator, stream: Stream, stop_event: threading.Event) -> None:
    """Add a file to the intranet every EDIT_EVERY seconds; every third, a new version too."""
    tenant = emulator.tenant
    site = tenant.site_by_url("/sites/intranet")
    library = site.list_by_title("Dokumenter")
    editor = next(iter(tenant.directory.users.values()))
    while not stop_event.wait(EDIT_EVERY):
        with tenant.lock:
            item = editing.add_file(tenant, site, library, "", f"Soak {stream.added}.txt",
                                    f"{MARKER} notat {stream.added}.".encode(), editor)
            if stream.added % 3 == 0:
                editing.save_version(tenant, site, library, item, editor,
                                     content=f"{MARKER} ny udgave {stream.added}.".encode())
                stream.versions += 1
        stream.added += 1


def _read(origin: str, session: requests.Session, stream: Stream,
          stop_event: threading.Event) -> None:
    """Watch the hit count of the editor's files: it may only grow."""
    while not stop_event.wait(0.25):
        answer = session.get(f"{origin}/search?q={MARKER}", timeout=30)
        if answer.status_code != 200:
            stream.reader_errors += 1
            continue
        match = _STATUS.search(answer.text)
        count = int(re.sub(r"\D", "", match.group(1))) if match else 0
        if stream.counts and count < stream.counts[-1]:
            stream.drops += 1
        stream.counts.append(count)


def _sign_in_again(origin: str, emulator: Emulator, oids: list[str], stream: Stream,
                   stop_event: threading.Event) -> None:
    """Sign in through Entra ID over and over, taking the users in turn."""
    turn = 0
    while not stop_event.is_set():
        started = time.perf_counter()
        try:
            sign_in(origin, emulator, oids[turn % len(oids)])
            stream.signins.append((time.perf_counter() - started) * 1000)
        except (RuntimeError, requests.RequestException):
            stream.signin_errors += 1
        turn += 1


def _load(origin: str, visits: dict[str, list[soak_wrk.Visit]], root: Path,
          seconds: int) -> dict[str, soak_wrk.Result]:
    """Every endpoint's wrk at the same time for ``seconds``."""
    running = {name: soak_wrk.start(origin, soak_wrk.script(
        visits[name], root / f"{name.replace(' ', '-')}.lua"), CONNECTIONS[name], seconds)
        for name in CONNECTIONS}
    return {name: soak_wrk.result(process, seconds) for name, process in running.items()}


def _worker_rss(master: int) -> dict[int, int]:
    return {pid: rss(pid) for pid in children_of(master)}


def run_soak(minutes: float, items: int, root: Path) -> list[Figure]:
    """The soak for ``minutes`` of load on a synthetic tenant of ``items`` documents."""
    seconds = max(10, round(minutes * 60) - WARM_UP)
    with live_tenant(items, root) as emulator:
        origin = f"http://127.0.0.1:{free_port()}"
        allow_redirect(emulator, origin)
        index_dir = root / "index"
        env = environment(emulator, INDEX_DIR=str(index_dir), PORTAL_URL=origin,
                          SECRET_KEY=secrets.token_urlsafe(32), LOG_FORMAT="text",
                          SESSION_DB=str(root / "sessions.sqlite3"), POLL_INTERVAL="2")
        indexer = [sys.executable, "-m", "indexer.cli"]
        with (root / "sync.log").open("wb") as log:
            subprocess.run([*indexer, "sync"], env=env, cwd=root, stdout=log, stderr=log,
                           check=True)
        with (root / "watch.log").open("wb") as log:
            watch = subprocess.Popen([*indexer, "watch"], env=env, cwd=root, stdout=log,
                                     stderr=log)
        try:
            port = int(origin.rsplit(":", 1)[1])
            with gunicorn("wsgi:app", env, root / "portal.log", port) as portal:
                return _soak(origin, emulator, portal.pid, root, seconds, items)
        finally:
            stop(watch)


def _soak(origin: str, emulator: Emulator, master: int, root: Path, seconds: int,
          items: int) -> list[Figure]:
    oids = _users(emulator)
    sessions = [sign_in(origin, emulator, oid) for oid in oids]
    visits = _visits(origin, sessions)
    _load(origin, visits, root, WARM_UP)
    warm = _worker_rss(master)
    stream, stop_event = Stream(), threading.Event()
    helpers = [threading.Thread(target=_edit, args=(emulator, stream, stop_event)),
               threading.Thread(target=_read, args=(origin, sessions[0], stream, stop_event)),
               threading.Thread(target=_sign_in_again,
                                args=(origin, emulator, oids, stream, stop_event))]
    for helper in helpers:
        helper.start()
    try:
        results = _load(origin, visits, root, seconds)
    finally:
        stop_event.set()
        for helper in helpers:
            helper.join()
    end = _worker_rss(master)
    return _figures(results, stream, warm, end, seconds, items, len(oids))


def _figures(results: dict[str, soak_wrk.Result], stream: Stream, warm: dict[int, int],
             end: dict[int, int], seconds: int, items: int, users: int) -> list[Figure]:
    note = (f"{sum(CONNECTIONS.values())} connections over {users} users' principals, "
            f"{seconds} s, gunicorn {WORKERS} workers, {items:,}-item tenant, `indexer watch` "
            f"applying {stream.added} new files and {stream.versions} new versions")
    served = sum(r.requests for r in results.values()) + len(stream.signins)
    failed = sum(r.failed for r in results.values()) + stream.signin_errors
    figures = [Figure("soak: requests served", "requests", 1, served, target="report it",
                      notes=note),
                  Figure("soak: failed requests (not 2xx, or no answer)", "requests", 1,
                         failed, target="0", met=failed == 0, notes=note)]
    for name, result in results.items():
        figures.append(Figure(f"soak: {name} latency", "ms", result.requests, result.p50,
                              {"median": result.p50, "p95": result.p95, "p99": result.p99},
                              target="report it",
                              notes=f"{CONNECTIONS[name]} connections, {result.failed} failed"))
    if stream.signins:
        figures.append(Figure("soak: full Entra ID sign-in latency", "ms", len(stream.signins),
                              summary(stream.signins)["median"], summary(stream.signins),
                              target="report it", notes="sign-ins in a loop beside the load"))
    same = set(warm) == set(end)
    growth = (sum(end.values()) / sum(warm.values()) - 1) if same else float("inf")
    figures.append(Figure("soak: worker RSS growth, end vs after warm-up", "%", len(end),
                          growth * 100, target=f"<= {RSS_GROWTH:.0%}",
                          met=same and growth <= RSS_GROWTH,
                          notes=f"after warm-up {sum(warm.values()) / 1e6:.0f} MB, at the end "
                                f"{sum(end.values()) / 1e6:.0f} MB"
                                + ("" if same else "; a worker was replaced")))
    seen = stream.counts[-1] if stream.counts else 0
    figures.append(Figure("soak: drops in the hit count of the editor's files", "drops",
                          len(stream.counts), stream.drops, target="0",
                          met=stream.drops == 0 and stream.reader_errors == 0,
                          notes=f"{len(stream.counts)} readings, {stream.reader_errors} failed; "
                                f"{seen} of {stream.added} added files found at the end"))
    return figures


def figures(quick: bool) -> list[Figure]:
    """The soak's figures: about a minute when ``quick``, else ten minutes."""
    minutes, items = (1, 300) if quick else (10, 2000)
    with tempfile.TemporaryDirectory(prefix="soak-") as temp:
        return run_soak(minutes, items, Path(temp))


def main(argv: list[str] | None = None) -> int:
    """Run the soak and print its figures; 1 if a target was missed."""
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--items", type=int, default=2000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="soak-") as temp:
        results = run_soak(args.minutes, args.items, Path(temp))
    for figure in results:
        spread = ", ".join(f"{k} {v:.1f}" for k, v in figure.spread.items())
        verdict = "" if figure.met is None else (" ok" if figure.met else " MISSED")
        sys.stdout.write(f"{figure.name}: {figure.value:.1f} {figure.unit}"
                         f"{f' ({spread})' if spread else ''}{verdict}; {figure.notes}\n")
    return 1 if any(figure.met is False for figure in results) else 0


if __name__ == "__main__":
    sys.exit(main())
