"""Requests/s of the portal's front and search pages under gunicorn, through ``wrk`` on the
loopback with a signed-in session, next to Flask's "hello world" on the same settings."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass

import requests

from bench.figures import Figure, summary

FRONT_PAGE_SHARE = 0.70  # the front page must reach this share of hello world's rate
CONNECTIONS, THREADS = 8, 2
_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_DONE = re.compile(r"(\d+) requests in ")
_REFUSED = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(
    r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
TIMEOUT = "30s"  # a slow answer is measured, not dropped (wrk's default is 2 s)


@dataclass(frozen=True)
class Target:
    """A URL to load, the headers to send, and its name in the figures."""

    name: str
    url: str
    headers: tuple[str, ...] = ()


def measure_load(hello: Target, pages: list[Target], runs: int, seconds: int) -> list[Figure]:
    """``runs`` rounds of ``seconds`` of wrk on each target, the targets taking turns; the
    first page has the target of reaching FRONT_PAGE_SHARE of ``hello``'s rate."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is missing: apt-get install -y wrk (make bench does)")
    for target in (hello, *pages):
        _check(target)
    rates: dict[str, list[float]] = {t.name: [] for t in (hello, *pages)}
    for _ in range(runs):
        for target in (hello, *pages):
            rates[target.name].append(wrk(target, seconds))
    for target in (hello, *pages):  # wrk counts a redirect to the sign-in page as success
        _check(target)
    baseline = summary(rates[hello.name])["median"]
    note = (f"gunicorn, deploy/gunicorn.conf.py, 2 workers; wrk -t{THREADS} -c{CONNECTIONS} "
            f"-d{seconds}s with gzip and the session cookie, {runs} rounds taking turns")
    figures = []
    for target in pages:
        stats = summary(rates[target.name])
        front = target is pages[0]
        figures.append(Figure(f"{target.name}, requests/s", "req/s", runs, stats["median"],
                              stats, hello.name, baseline,
                              f">= {FRONT_PAGE_SHARE:.0%} of baseline" if front else None,
                              stats["median"] >= FRONT_PAGE_SHARE * baseline if front else None,
                              note))
    return figures


@dataclass(frozen=True)
class Load:
    """What one wrk run saw: answers with a 2xx or 3xx status per second, and how many
    requests failed (another status, or a socket error such as wrk's timeout)."""

    rate: float
    failed: int
    requests: int


def run_wrk(target: Target, seconds: int) -> Load:
    """One wrk run of ``seconds`` on ``target``."""
    argv = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s",
            f"--timeout={TIMEOUT}", "-H", "Accept-Encoding: gzip"]
    for header in target.headers:
        argv += ["-H", header]
    out = subprocess.run([*argv, target.url], capture_output=True, text=True, check=True,
                         timeout=seconds + 60).stdout
    rate, done = _RATE.search(out), _DONE.search(out)
    if not rate or not done:
        raise RuntimeError(f"wrk on {target.name} printed no rate:\n{out}")
    answered = int(done.group(1))
    refused = int(_REFUSED.search(out).group(1)) if _REFUSED.search(out) else 0
    socket_errors = _SOCKET_ERRORS.search(out)
    lost = sum(map(int, socket_errors.groups())) if socket_errors else 0
    good = float(rate.group(1)) * (answered - refused) / answered if answered else 0.0
    return Load(good, refused + lost, answered + lost)


def wrk(target: Target, seconds: int) -> float:
    """Requests/s that wrk measured; errors or non-2xx answers fail the benchmark."""
    load = run_wrk(target, seconds)
    if load.failed:
        raise RuntimeError(f"wrk on {target.name}: {load.failed} of {load.requests} requests "
                           "failed")
    return load.rate


def _check(target: Target) -> None:
    """The target answers 200 itself (not a redirect to the sign-in page)."""
    headers = dict(h.split(": ", 1) for h in target.headers)
    answer = requests.get(target.url, headers=headers, allow_redirects=False, timeout=30)
    if answer.status_code != 200:
        raise RuntimeError(f"{target.name} answered {answer.status_code}, not 200")
