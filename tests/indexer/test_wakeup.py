"""Waking ``indexer watch`` for a pass now: requests, the waiter, and the real command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from emulator import editing
from emulator.announce import tenant_settings
from emulator.sample import catalogue, people
from emulator.server import Emulator
from emulator.tenant import Site, SPList
from indexer import wakeup
from indexer.status import load_record
from indexer.wakeup import Waiter, Wakeup, pending, request_pass

LIST_A = "{6F1D2C1E-0B8A-4C7E-9E55-3A1B2C3D4E5F}"
LIST_B = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def _wait_in_thread(waiter: Waiter, timeout: float) -> tuple[threading.Thread, list]:
    result: list = []
    thread = threading.Thread(target=lambda: result.append(waiter.wait(timeout)))
    thread.start()
    return thread, result


def test_a_request_wakes_a_waiting_indexer(tmp_path: Path):
    waiter = Waiter(tmp_path / "index", threading.Event())
    thread, result = _wait_in_thread(waiter, timeout=120)
    request_pass(tmp_path / "index")
    thread.join(timeout=180)
    assert result == [Wakeup(everything=True, list_ids=frozenset())]
    assert pending(tmp_path / "index") == []


def test_waiting_without_a_request_runs_out_and_stop_ends_it(tmp_path: Path):
    stop = threading.Event()
    waiter = Waiter(tmp_path / "index", stop, tick=0.01)
    assert waiter.wait(0.05) is None
    stop.set()
    assert waiter.wait(3600) is None


def test_requests_for_lists_are_coalesced_and_taken_once(tmp_path: Path):
    index_dir = tmp_path / "index"
    waiter = Waiter(index_dir, threading.Event())
    for list_id in (LIST_A, LIST_A.lower(), LIST_B, LIST_A):
        request_pass(index_dir, list_id)
    assert len(pending(index_dir)) == 2
    assert waiter.take() == Wakeup(everything=False, list_ids=frozenset(
        {LIST_A.strip("{}").lower(), LIST_B}))
    assert waiter.take() is None


def test_requests_made_before_the_watch_starts_are_covered_by_its_first_pass(tmp_path: Path):
    request_pass(tmp_path / "index")
    request_pass(tmp_path / "index", LIST_B)
    waiter = Waiter(tmp_path / "index", threading.Event())
    assert waiter.take() is None


@pytest.mark.parametrize("bad", ["../../etc/passwd", "all", "", "a b", "x" * 65, "abc/def"])
def test_a_list_id_that_is_not_one_is_refused(tmp_path: Path, bad: str):
    with pytest.raises(ValueError, match="not a list id"):
        request_pass(tmp_path / "index", bad)
    assert not any(tmp_path.rglob("*.request"))


def test_a_flood_of_list_requests_folds_into_one_pass_of_everything(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(wakeup, "MAX_PENDING", 3)
    waiter = Waiter(tmp_path / "index", threading.Event())
    for number in range(10):
        request_pass(tmp_path / "index", f"00000000-0000-0000-0000-{number:012d}")
    assert len(pending(tmp_path / "index")) == 4  # three lists, then one for everything
    assert waiter.take().everything


def _passes(index_dir: Path) -> int:
    return int(load_record(index_dir).get("totals", {}).get("passes", 0))


def _until(condition, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@contextmanager
def _watching(emulator: Emulator, index_dir: Path, poll_interval: int) -> Iterator[None]:
    """``indexer watch`` running on ``index_dir`` until its first pass is done; stopped with
    SIGTERM afterwards, which it must answer with exit code 0."""
    env = os.environ | tenant_settings(emulator) | {"INDEX_DIR": str(index_dir),
                                                    "POLL_INTERVAL": str(poll_interval)}
    watch = subprocess.Popen([sys.executable, "-m", "indexer.cli", "watch"], env=env,
                             cwd=index_dir.parent, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    try:
        assert _until(lambda: _passes(index_dir) == 1), "the first pass never finished"
        yield
    finally:
        watch.send_signal(signal.SIGTERM)
        _, errors = watch.communicate(timeout=120)
    assert watch.returncode == 0, errors.decode()


def _it_documents(emulator: Emulator) -> tuple[Site, SPList]:
    site = emulator.tenant.site_by_url(catalogue.IT_SITE)
    return site, site.list_by_title(catalogue.DOCUMENTS)


def test_indexer_watch_runs_a_pass_when_asked(emulator: Emulator, tmp_path: Path):
    index_dir = tmp_path / "index"
    with _watching(emulator, index_dir, poll_interval=3600):
        request_pass(index_dir)
        assert _until(lambda: _passes(index_dir) == 2), "the requested pass never ran"
        assert pending(index_dir) == []


def test_a_notified_list_gets_a_pass_of_its_own_between_regular_passes(
        emulator: Emulator, tmp_path: Path):
    index_dir = tmp_path / "index"
    with _watching(emulator, index_dir, poll_interval=3600):
        site, library = _it_documents(emulator)
        with emulator.tenant.lock:
            editing.add_file(emulator.tenant, site, library, "", "Notified.txt", b"Ny note.",
                             emulator.tenant.directory.user_by_upn(people.TECHNICIAN))
        emulator.state.requests.clear()
        request_pass(index_dir, library.id)
        assert _until(lambda: _passes(index_dir) == 2), "the notified pass never ran"
        paths = [r.path.lower() for r in emulator.state.requests.matching("/_api/")]
        assert any(p.endswith("/notified.txt')/$value") for p in paths), paths
        assert not any("/_api/site/" in p for p in paths), paths  # no other site was polled


def test_notifications_that_keep_coming_do_not_hold_back_the_regular_pass(
        emulator: Emulator, tmp_path: Path):
    index_dir = tmp_path / "index"
    with _watching(emulator, index_dir, poll_interval=2):
        _, library = _it_documents(emulator)
        emulator.state.requests.clear()

        def whole_pass_ran() -> bool:
            request_pass(index_dir, library.id)  # a notification every tenth of a second
            return any("/_api/site/getchanges" in r.path.lower()
                       for r in emulator.state.requests.matching("/_api/"))

        assert _until(whole_pass_ran), "no pass of every site while notifications came"
