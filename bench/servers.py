"""Gunicorn on the loopback with the portal's deploy settings and two workers."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.children import stop
from bench.live import ROOT, free_port

WORKERS = 2
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


@dataclass(frozen=True)
class Server:
    """A running gunicorn: its origin and the master's process id."""

    origin: str
    pid: int


@contextmanager
def gunicorn(app: str, env: dict[str, str], log: Path, port: int = 0) -> Iterator[Server]:
    """Serve ``app`` (``module:name``) with deploy/gunicorn.conf.py and WORKERS workers on
    ``port`` (0: a free one)."""
    port = port or free_port()
    env = {k: v for k, v in env.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    env |= {"PORTAL_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(WORKERS)}
    with log.open("wb") as out:
        child = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(CONFIG), app],
                                 env=env, cwd=log.parent, stdout=out, stderr=subprocess.STDOUT)
        try:
            origin = f"http://127.0.0.1:{port}"
            _wait_until_up(origin, child, log)
            yield Server(origin, child.pid)
        finally:
            code = stop(child)
    if code != 0:
        raise RuntimeError(f"gunicorn {app} exited {code}; see {log}")


def _wait_until_up(origin: str, child: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(origin, timeout=5, allow_redirects=False)
            return
        except requests.ConnectionError:
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log}") from None
            time.sleep(0.2)
