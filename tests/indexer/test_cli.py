"""The ``indexer`` command as an operator meets it: one indexer at a time, ``watch`` and its
stop on SIGTERM, and progress shown as a bar on a terminal or as plain log lines otherwise."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from indexer_runs import RUN_TIMEOUT, IndexerCommand, at_request, stop

from emulator import editing
from emulator.sample import catalogue, people
from emulator.server import Emulator
from indexer.cli import ALREADY_RUNNING
from indexer.index import SearchIndex
from indexer.runlock import RunLock
from indexer.status import load_record

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # anything but newline and tab
WAIT = 120  # seconds a watched condition may take on a busy machine


@pytest.fixture
def it_only(emulator: Emulator, tmp_path: Path) -> IndexerCommand:
    """The indexer command for the IT site alone (small, so passes are quick)."""
    return IndexerCommand(emulator, tmp_path / "index", POLL_INTERVAL="0.5",
                          SHAREPOINT_SITES=emulator.site_url("it"))


def _eventually(condition: Callable[[], bool], process: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert process.poll() is None, f"the indexer ended with {process.returncode}"
        assert time.monotonic() < deadline, "the indexer did not get there in time"
        time.sleep(0.1)


def _passes(index_dir: Path) -> int:
    return load_record(index_dir).get("totals", {}).get("passes", 0)


def _paths(index_dir: Path) -> set[str]:
    if not index_dir.exists():
        return set()
    return {doc.path for doc in SearchIndex.open(index_dir).all_documents()}


def _is_free(index_dir: Path) -> bool:
    with RunLock(index_dir):
        return True


def test_a_second_indexer_refuses_with_its_own_exit_code_and_says_why(
        it_only: IndexerCommand):
    with RunLock(it_only.index_dir):
        outcome = it_only.run("sync")
    assert outcome.returncode == ALREADY_RUNNING == 3
    assert f"another indexer (pid {os.getpid()}) is already running" in outcome.stderr
    assert str(it_only.index_dir) in outcome.stderr
    assert outcome.requests == 0  # it did nothing at all


def test_watch_runs_passes_and_stops_cleanly_on_sigterm(
        it_only: IndexerCommand, emulator: Emulator, tmp_path: Path):
    with open(tmp_path / "watch.log", "wb") as log:
        process = it_only.start("watch", stderr=log)
    try:
        _eventually(lambda: _passes(it_only.index_dir) >= 1, process)
        tenant = emulator.tenant
        with tenant.lock:
            site = tenant.site_by_url(catalogue.IT_SITE)
            added = editing.add_file(tenant, site, site.list_by_title(catalogue.DOCUMENTS), "",
                                     "Ny vejledning.txt", b"Genstart routeren.",
                                     tenant.directory.user_by_upn(people.IT_ADMIN))
        _eventually(lambda: added.file_ref in _paths(it_only.index_dir), process)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=WAIT) == 0
    finally:
        stop(process)
    assert "stopped" in (tmp_path / "watch.log").read_text()
    assert _is_free(it_only.index_dir)
    assert added.file_ref in _paths(it_only.index_dir)


def test_sigterm_during_a_pass_stops_watch_at_once_and_the_next_run_goes_on(
        it_only: IndexerCommand):
    first = it_only.trap.count
    process = it_only.start("watch")
    it_only.trap.arm(at_request(20, first), process.pid, signal.SIGTERM, group=False)
    try:
        _, stderr = process.communicate(timeout=WAIT)
    finally:
        stop(process)
    assert process.returncode == 0
    assert "SIGTERM during a pass" in stderr.decode()
    assert it_only.trap.count == first + 20  # no request after the stop request
    assert _is_free(it_only.index_dir)
    SearchIndex.open(it_only.index_dir)
    outcome = it_only.run("sync")
    assert outcome.returncode == 0, outcome.stderr


def test_progress_is_plain_log_lines_when_stderr_is_not_a_terminal(it_only: IndexerCommand):
    outcome = it_only.run("sync")
    assert outcome.returncode == 0, outcome.stderr
    assert re.search(r"INFO +list Vejledninger \(IT\): (\d+)/\1 items\n", outcome.stderr)
    assert not CONTROL.search(outcome.stderr)


def test_progress_is_a_bar_on_a_terminal(it_only: IndexerCommand):
    output = _on_a_terminal(it_only, "sync")
    assert re.search(r"\rlist Vejledninger \(IT\): +\d+%\|", output)
    assert "sync finished" in output
    assert not re.search(r"list \w+ \(IT\): \d+/\d+ items\r?\n", output)


def _on_a_terminal(command: IndexerCommand, *args: str) -> str:
    """Run the command with stderr on a pseudo-terminal of 100 columns; what it showed."""
    main, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    try:
        process = command.start(*args, stderr=terminal)
    finally:
        os.close(terminal)
    shown = bytearray()
    try:
        deadline = time.monotonic() + RUN_TIMEOUT
        while time.monotonic() < deadline:
            if select.select([main], [], [], 1)[0]:
                try:
                    chunk = os.read(main, 65536)
                except OSError:  # every end of the terminal is closed: the command ended
                    break
                if not chunk:
                    break
                shown += chunk
        assert process.wait(timeout=WAIT) == 0, shown.decode(errors="replace")
    finally:
        stop(process)
        os.close(main)
    return shown.decode(errors="replace")
