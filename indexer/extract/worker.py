"""A worker process that parses files, so that a bad file cannot crash or hang the indexer.

The parent keeps one worker for many files. When a file takes longer than the time limit, or
the worker dies on it (a segfault in a parser, the memory limit, ``os._exit``), the parent
kills the worker, reports the file, and starts a fresh worker for the next file.
"""

import logging
import multiprocessing
import os
import pickle
import resource
import signal
import threading
import time
import warnings
from collections.abc import Mapping
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Self

from indexer.extract import files
from indexer.extract.files import MAX_CHARS, Extraction, Reader

MB = 1024 * 1024
MAX_BYTES = 50 * MB
TIMEOUT = 60.0
MEMORY_LIMIT = 1024 * MB
START_TIMEOUT = 60.0
"""Seconds a new worker may take to import its parsers and say it is ready."""

# spawn: the parent is multi-threaded, and a forked copy of it could inherit held locks.
_CONTEXT = multiprocessing.get_context("spawn")
_READY = "ready"


class Extractor:
    """Extracts text from files in a worker process, one file at a time.

    Files over ``max_bytes`` are refused; a file may take ``timeout`` seconds; at most
    ``max_chars`` of text is kept; the worker's address space is capped at ``memory_limit``
    bytes (``None``: no cap). ``readers`` adds readers by lower-case extension (".log"); they
    are sent to the worker by reference, so they must be importable module-level functions.

    Use it as a context manager, or call :meth:`close`. It is safe to share between threads
    (calls are serialised); use several for parallel extraction.
    """

    def __init__(self, *, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT,
                 max_chars: int = MAX_CHARS, memory_limit: int | None = MEMORY_LIMIT,
                 readers: Mapping[str, Reader] | None = None) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._readers = dict(readers or {})
        self._worker_args = (memory_limit, max_chars, self._readers)
        pickle.dumps(self._readers)  # fail here, not in the worker, if one cannot be sent
        self._lock = threading.Lock()
        self._worker: _Worker | None = _Worker(self._worker_args)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def extract(self, filename: str, data: bytes) -> Extraction:
        """The text of one file, or an :class:`Extraction` with the reason there is none."""
        problem = files.check(filename, data, self._readers)
        if problem is None and len(data) > self.max_bytes:
            problem = f"file is larger than the {_size(self.max_bytes)} limit"
        if problem:
            return Extraction("", problem)
        with self._lock:
            worker = self._worker
            if worker is None:
                raise RuntimeError("the extractor is closed")
            if not worker.process.is_alive():
                worker = self._replace(worker)
            problem = worker.wait_ready()
            if problem:
                self._replace(worker)
                return Extraction("", problem)
            return self._run(worker, filename, data)

    def close(self) -> None:
        """Stop the worker. The extractor cannot be used afterwards."""
        with self._lock:
            if self._worker is not None:
                self._worker.stop()
                self._worker = None

    def _run(self, worker: "_Worker", filename: str, data: bytes) -> Extraction:
        try:
            worker.conn.send(filename)
            worker.conn.send_bytes(data)
            if not worker.conn.poll(self.timeout):
                self._replace(worker)
                return Extraction("", f"extraction timed out after {self.timeout:g} s")
            text, error = worker.conn.recv()
        except (EOFError, OSError):
            reason = worker.death()
            self._replace(worker)
            return Extraction("", f"extraction worker crashed ({reason})")
        return Extraction(text, error)

    def _replace(self, worker: "_Worker") -> "_Worker":
        """Stop ``worker`` and start a fresh one, which loads while the caller goes on."""
        worker.stop()
        self._worker = _Worker(self._worker_args)
        return self._worker


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, args: tuple) -> None:
        self.conn, child_conn = _CONTEXT.Pipe()
        self.process = _CONTEXT.Process(target=_serve, args=(child_conn, *args),
                                        name="extract-worker", daemon=True)
        try:
            self.process.start()
        finally:
            child_conn.close()  # so that the parent sees EOF when the worker dies
        self.ready = False

    def wait_ready(self) -> str | None:
        """Wait until the worker has loaded its parsers; the problem if it does not."""
        if self.ready:
            return None
        try:
            if self.conn.poll(START_TIMEOUT) and self.conn.recv() == _READY:
                self.ready = True
                return None
        except (EOFError, OSError):
            return f"extraction worker failed to start ({self.death()})"
        return f"extraction worker did not start within {START_TIMEOUT:g} s"

    def death(self) -> str:
        """How the worker ended (after waiting up to 5 s for it to end)."""
        self.process.join(5)
        code = self.process.exitcode
        if code is None:
            return "it stopped answering"
        if code < 0:
            return f"signal {signal.Signals(-code).name}"
        return f"exit code {code}"

    def stop(self) -> None:
        """Kill the process, reap it and release the pipe."""
        self.conn.close()
        self.process.kill()
        self.process.join()
        self.process.close()


def _serve(conn: Connection, memory_limit: int | None, max_chars: int,
           readers: Mapping[str, Reader]) -> None:
    """The worker's main loop: read a file name and its bytes, answer (text, error)."""
    # Ctrl-C and SIGTERM (systemd signals the whole group) are the parent's to handle: the
    # worker ends when the parent kills it or exits, never in the middle of a file.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)  # parsers log every oddity of a file
    files.preload()
    if memory_limit:
        _limit_memory(memory_limit)
    try:
        conn.send(_READY)
        while True:
            filename = conn.recv()
            data = conn.recv_bytes()
            result = files.extract_text(filename, data, max_chars, readers)
            del data
            conn.send((result.text, result.error))
    except (EOFError, OSError):
        pass  # the parent has gone or closed the pipe
    finally:
        conn.close()


def _exit_with_parent(parent: int) -> None:
    """End the worker if the parent dies while it is busy with a file (when idle, it sees
    the pipe close)."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _limit_memory(limit: int) -> None:
    """Cap the worker's address space, so that a zip bomb fails with MemoryError."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} bytes"
