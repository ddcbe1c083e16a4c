"""The Extractor: files go through a worker process that bad files cannot crash or hang.

The hostile readers below are registered for made-up extensions; they run in the worker,
which imports this module by name to find them.
"""

import ctypes
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from indexer.extract import Extraction, Extractor

SURVEY = "medarbejdertilfredshedsundersøgelse"
CARE = "Ældrepleje på Østergården"


def hang(data: bytes) -> list[str]:
    """Never returns."""
    time.sleep(3600)
    return []


def exit_abruptly(data: bytes) -> list[str]:
    """Ends the process at once, as a crashing parser would."""
    os._exit(3)


def segfault(data: bytes) -> list[str]:
    """Dereferences a null pointer."""
    return [ctypes.string_at(0).decode()]


def hang_and_tell(data: bytes) -> list[str]:
    """Creates the file named by ``data``, then never returns."""
    Path(data.decode()).touch()
    return hang(data)


def bomb(data: bytes) -> list[str]:
    """Asks for far more memory than the worker may have."""
    return [b"\0".decode() * (4 * 1024**3)]


def wait_for_file(data: bytes) -> list[str]:
    """Creates the file named by ``data`` and returns once it is gone (a slow parser)."""
    path = Path(data.decode())
    path.touch()
    while path.exists():
        time.sleep(0.01)
    return ["read to the end"]


HOSTILE = {".slow": wait_for_file, ".hang": hang, ".crash": exit_abruptly, ".segv": segfault,
           ".bomb": bomb}


@pytest.fixture(scope="module")
def extractor():
    with Extractor(timeout=20) as shared:
        yield shared


@pytest.fixture(scope="module")
def hostile():
    with Extractor(timeout=1, readers=HOSTILE, memory_limit=512 * 1024**2) as extractor:
        yield extractor


def test_each_format_through_the_worker(extractor, docx_bytes, xlsx_bytes, pptx_bytes,
                                        pdf_bytes):
    for filename, data in [("a.docx", docx_bytes), ("b.xlsx", xlsx_bytes),
                           ("c.pptx", pptx_bytes), ("d.pdf", pdf_bytes)]:
        result = extractor.extract(filename, data)
        assert result.error is None, filename
        assert SURVEY in result.text, filename
    assert extractor.extract("e.csv", f"1;{CARE}".encode("cp1252")).text == f"1;{CARE}"


def test_a_corrupt_file_is_reported_and_the_next_file_works(extractor, docx_bytes):
    result = extractor.extract("ødelagt.docx", docx_bytes[: len(docx_bytes) // 2])
    assert result.text == ""
    assert result.error.startswith("could not read docx: ")
    assert SURVEY in extractor.extract("hel.docx", docx_bytes).text


@pytest.mark.parametrize(("filename", "data", "error"), [
    ("tom.pdf", b"", "file is empty"),
    ("arkiv.zip", b"PK", "unsupported file type .zip"),
    ("stor.txt", b"x" * 101, "file is larger than the 100 bytes limit"),
])
def test_files_refused_before_the_worker(filename, data, error):
    with Extractor(max_bytes=100) as extractor:
        assert extractor.extract(filename, data) == Extraction("", error)


def test_the_default_size_limit_is_named_in_megabytes(extractor):
    too_big = b"x" * (50 * 1024 * 1024 + 1)
    assert extractor.extract("stor.txt", too_big).error == "file is larger than the 50 MB limit"


def test_a_hang_times_out_and_the_next_file_works(hostile, docx_bytes):
    assert SURVEY in hostile.extract("før.docx", docx_bytes).text
    started = time.monotonic()
    result = hostile.extract("fil.hang", b"data")
    assert time.monotonic() - started < 3
    assert result == Extraction("", "extraction timed out after 1 s")
    assert SURVEY in hostile.extract("efter.docx", docx_bytes).text


@pytest.mark.parametrize(("filename", "reason"), [
    ("fil.crash", "exit code 3"),
    ("fil.segv", "signal SIGSEGV"),
])
def test_a_crash_is_reported_and_the_worker_replaced(hostile, docx_bytes, filename, reason):
    first = hostile._worker.process.pid
    assert hostile.extract(filename, b"data") == Extraction(
        "", f"extraction worker crashed ({reason})")
    assert SURVEY in hostile.extract("efter.docx", docx_bytes).text
    assert hostile._worker.process.pid != first


def test_the_memory_limit_stops_a_bomb_and_the_worker_goes_on(hostile, docx_bytes):
    pid = hostile._worker.process.pid
    assert hostile.extract("fil.bomb", b"data") == Extraction(
        "", "could not read bomb: it needs more memory than allowed")
    assert SURVEY in hostile.extract("efter.docx", docx_bytes).text
    assert hostile._worker.process.pid == pid


def test_sigterm_to_the_worker_does_not_cut_a_file_short(hostile, tmp_path):
    """systemd stops a service by signalling its whole group; the file in hand is finished."""
    busy = tmp_path / "busy"
    result: list[Extraction] = []
    reading = threading.Thread(
        target=lambda: result.append(hostile.extract("a.slow", str(busy).encode())))
    reading.start()
    while not busy.exists():
        time.sleep(0.01)
    os.kill(hostile._worker.process.pid, signal.SIGTERM)
    busy.unlink()
    reading.join()
    assert result == [Extraction("read to the end", None)]


def test_a_worker_that_died_while_idle_is_replaced(extractor, docx_bytes):
    assert SURVEY in extractor.extract("a.docx", docx_bytes).text
    extractor._worker.process.kill()
    extractor._worker.process.join()
    assert SURVEY in extractor.extract("b.docx", docx_bytes).text


def test_closing_leaves_no_process_behind(docx_bytes):
    with Extractor(readers=HOSTILE) as extractor:
        pids = [extractor._worker.process.pid]
        assert extractor.extract("fil.crash", b"data").error.startswith("extraction worker")
        pids.append(extractor._worker.process.pid)
        assert SURVEY in extractor.extract("a.docx", docx_bytes).text
    assert not set(pids) & {child.pid for child in multiprocessing.active_children()}
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # reaped, not a zombie
    extractor.close()  # closing twice is harmless
    with pytest.raises(RuntimeError, match="closed"):
        extractor.extract("a.docx", docx_bytes)


def test_threads_can_share_one_extractor(extractor, docx_bytes, pdf_bytes):
    results: list[Extraction] = []

    def work(filename: str, data: bytes) -> None:
        for _ in range(3):
            results.append(extractor.extract(filename, data))

    threads = [threading.Thread(target=work, args=args)
               for args in [("a.docx", docx_bytes), ("b.pdf", pdf_bytes)] * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 12
    assert all(SURVEY in result.text and result.error is None for result in results)


def test_readers_must_be_importable_functions():
    with pytest.raises(AttributeError):
        Extractor(readers={".x": lambda data: [data.decode()]})


def test_a_busy_worker_ends_when_its_parent_is_killed(tmp_path):
    signal_file = tmp_path / "hanging"
    parent = subprocess.Popen(
        [sys.executable, "-c", "import test_extract_worker as t\n"
         "e = t.Extractor(timeout=600, readers={'.hang': t.hang_and_tell})\n"
         "print(e._worker.process.pid, flush=True)\n"
         f"e.extract('x.hang', {str(signal_file).encode()!r})"],
        stdout=subprocess.PIPE, text=True,
        env=os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)})
    with parent:
        worker = int(parent.stdout.readline())
        _wait_for(signal_file.exists)
        parent.kill()
    _wait_for(lambda: not _running(worker))


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def _wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
