"""Helpers for the tests that run the real ``python -m indexer.cli`` against an emulator.

The indexer runs in its own process group (it and its extraction worker), so a test can
kill it -9 the way a crash or the OOM killer would, and leaves nothing behind. A
:class:`RequestTrap` takes the place of the emulator's request log and sends a signal to
the indexer at its k-th request, or at the first request for a given path, which puts a kill
(or a SIGTERM) at a chosen, repeatable point of a run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from emulator.announce import tenant_settings
from emulator.server import Emulator
from emulator.state import LoggedRequest, RequestLog
from indexer.document import Document
from indexer.index import SearchIndex

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 300  # seconds; only a hung indexer gets near it


class RequestTrap(RequestLog):
    """The emulator's request log, which can also signal the indexer at a chosen request.

    The request is logged before its answer is sent, so a kill there leaves the indexer
    waiting for that answer: the same point of its run every time.
    """

    def __init__(self) -> None:
        super().__init__()
        self._guard = threading.Lock()
        self.count = 0
        self._target: tuple[Callable[[int, str], bool], int, signal.Signals, bool] | None = None

    def arm(self, when: Callable[[int, str], bool], pid: int, signum: signal.Signals,
            group: bool) -> None:
        """Send ``signum`` to ``pid`` (its process group if ``group``) at the first request
        for which ``when(count, path)`` is true."""
        with self._guard:
            self._target = (when, pid, signum, group)

    def disarm(self) -> None:
        """Send nothing."""
        with self._guard:
            self._target = None

    def add(self, entry: LoggedRequest) -> None:
        """Log the request, and fire the signal if it is the one armed for."""
        super().add(entry)
        with self._guard:
            self.count += 1
            if self._target is None or not self._target[0](self.count, entry.path):
                return
            _, pid, signum, group = self._target
            self._target = None
            with contextlib.suppress(ProcessLookupError):
                (os.killpg if group else os.kill)(pid, signum)


@dataclass
class Outcome:
    """How one indexer run ended."""

    returncode: int
    stderr: str
    requests: int

    @property
    def killed(self) -> bool:
        """Whether it died of SIGKILL."""
        return self.returncode == -signal.SIGKILL


class IndexerCommand:
    """``python -m indexer.cli`` with the settings of one emulator and one index directory."""

    def __init__(self, emulator: Emulator, index_dir: Path, **settings: str) -> None:
        self.emulator = emulator
        self.index_dir = index_dir
        if not isinstance(emulator.state.requests, RequestTrap):
            emulator.state.requests = RequestTrap()
        self.trap: RequestTrap = emulator.state.requests
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT),
                    "LANG": "C.UTF-8"} | tenant_settings(emulator) | {
            "INDEX_DIR": str(index_dir)} | settings

    def start(self, *args: str, stderr: IO[bytes] | int = subprocess.PIPE) -> subprocess.Popen:
        """Start the command in a process group of its own (stderr: a pipe, file or fd)."""
        self.index_dir.parent.mkdir(parents=True, exist_ok=True)
        return subprocess.Popen(
            [sys.executable, "-m", "indexer.cli", *args], env=self.env,
            cwd=self.index_dir.parent, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=stderr, start_new_session=True)

    def run(self, *args: str, kill_at: int | str | None = None) -> Outcome:
        """Run to the end, or kill -9 the process group at a request of this run: the
        ``kill_at``-th, or the first whose path contains ``kill_at``."""
        process = self.start(*args)
        first = self.trap.count
        if kill_at is not None:
            self.trap.arm(at_request(kill_at, first), process.pid, signal.SIGKILL, group=True)
        try:
            _, stderr = process.communicate(timeout=RUN_TIMEOUT)
        finally:
            self.trap.disarm()
            stop(process)
        return Outcome(process.returncode, stderr.decode(errors="replace"),
                       self.trap.count - first)

    def records(self) -> list[Document]:
        """Every record of the index, in id order."""
        return list(SearchIndex.open(self.index_dir).all_documents())


def at_request(point: int | str, first: int = 0) -> Callable[[int, str], bool]:
    """When to fire: at request ``first + point``, or at the first path containing ``point``."""
    if isinstance(point, str):
        return lambda count, path: point in path
    return lambda count, path: count >= first + point


def stop(process: subprocess.Popen) -> None:
    """Kill -9 whatever is left of the process's group and reap the process."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
