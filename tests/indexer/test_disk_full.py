"""Disk full during a commit: the old index stays readable, the error says what happened, and
the next pass succeeds once there is space again.

The index lives on a small tmpfs mounted for the test (the tests run as root; elsewhere they
are skipped with the reason), filled up with a ballast file before the commit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from chaos_support import small_tenant, syncer
from indexer_runs import IndexerCommand, stop

from emulator import editing
from emulator.server import Emulator
from emulator.tenant import Tenant
from indexer.extract import Extractor
from indexer.index import IndexWriteFailed, SearchIndex
from indexer.sync import OK

DISK_SIZE = "8m"
HEADROOM = 16 * 1024  # bytes left free: enough to open the index, not to commit to it


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A mounted tmpfs of DISK_SIZE, unmounted after the test."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs",
                           str(mount)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def _fill(disk: Path, headroom: int = HEADROOM) -> Path:
    """Fill ``disk`` up to ``headroom`` free bytes with a ballast file, and return it."""
    ballast = disk / "ballast"
    with ballast.open("wb") as out:
        block = b"\0" * 65536
        try:
            while True:
                out.write(block)
                out.flush()
        except OSError:
            pass
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    os.truncate(ballast, ballast.stat().st_size + free - headroom)
    return ballast


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"no {what} after {seconds} s"
        time.sleep(0.2)


def test_a_commit_on_a_full_disk_fails_clearly_and_keeps_the_old_index(
        small_disk: Path, make_doc):
    index = SearchIndex.create(small_disk / "index")
    with index.batch() as batch:
        for number in range(1, 11):
            batch.upsert(make_doc(number, f"Referat {number}", "budget og ferie"))
    ballast = _fill(small_disk)
    text = " ".join(f"ord{n}" for n in range(3000))
    with pytest.raises(IndexWriteFailed, match="no space left") as failure:
        with index.batch() as batch:
            for number in range(11, 31):
                batch.upsert(make_doc(number, f"Rapport {number}", text))
    assert "unchanged" in str(failure.value)
    assert SearchIndex.open(small_disk / "index").doc_count() == 10
    assert index.doc_count() == 10

    ballast.unlink()
    with index.batch() as batch:
        for number in range(11, 31):
            batch.upsert(make_doc(number, f"Rapport {number}", text))
    assert SearchIndex.open(small_disk / "index").doc_count() == 30


def test_indexer_watch_on_a_full_disk_logs_it_clearly_and_catches_up_once_there_is_space(
        small_disk: Path, serve: Callable[[Tenant], Emulator], extractor: Extractor):
    emulator = serve(small_tenant())
    index_dir = small_disk / "index"
    assert syncer(emulator, index_dir, extractor).run().exit_code == OK
    before = list(SearchIndex.open(index_dir).all_documents())
    tenant = emulator.tenant
    with tenant.lock:
        site = next(iter(tenant.sites.values()))
        documents = site.list_by_title("Dokumenter")
        author = next(iter(tenant.directory.users.values()))
        for number in range(40):
            words = " ".join(f"vejledning{number}x{n}" for n in range(300))
            editing.add_file(tenant, site, documents, "", f"Vejledning {number}.txt",
                             words.encode(), author)
    ballast = _fill(small_disk)

    log = small_disk.parent / "watch.log"  # off the full disk
    with log.open("wb") as stderr:
        watch = IndexerCommand(emulator, index_dir, POLL_INTERVAL="1").start("watch",
                                                                           stderr=stderr)
    try:
        _wait_for(lambda: "no space left" in log.read_text(), "the disk-full error")
        assert ("ERROR   no space left on the disk of the search index at "
                f"{index_dir}: the commit failed and the index is unchanged") in log.read_text()
        assert list(SearchIndex.open(index_dir).all_documents()) == before

        ballast.unlink()
        _wait_for(lambda: SearchIndex.open(index_dir).doc_count() == len(before) + 40,
                  "the next pass")
        watch.send_signal(signal.SIGTERM)
        assert watch.wait(timeout=60) == OK
    finally:
        stop(watch)
    assert "Traceback" not in log.read_text()
    after = list(SearchIndex.open(index_dir).all_documents())
    added = {doc.title for doc in after} - {doc.title for doc in before}
    assert added == {f"Vejledning {number}" for number in range(40)}
    assert len(after) == len(before) + 40
