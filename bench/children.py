"""Child processes of the benchmark: run one to its end with its peak memory, or read RSS."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path


def run_measured(argv: list[str], env: dict[str, str], log: Path) -> tuple[float, int]:
    """Run ``argv`` to its end: its seconds and peak RSS in bytes (the largest process of its
    tree that it waited for). A non-zero exit fails the benchmark, naming the log."""
    with log.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(argv, env=env, cwd=log.parent, stdout=out,
                                 stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {child.returncode}; see {log}")
    return seconds, usage.ru_maxrss * 1024


def rss(pid: int) -> int:
    """The resident set size of process ``pid`` in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def children_of(pid: int) -> list[int]:
    """The ids of the direct children of process ``pid``."""
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def stop(child: subprocess.Popen, seconds: float = 60) -> int:
    """SIGTERM ``child`` and wait for it; its exit code."""
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return child.returncode

