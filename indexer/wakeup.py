"""Asking ``indexer watch`` for a pass now: request files in a folder beside the index.

The portal (the admin's "sync now", later the webhook endpoint) calls :func:`request_pass`;
it writes one small file and returns, with no SharePoint call. ``indexer watch`` waits with a
:class:`Waiter` instead of a plain sleep: it wakes within a fraction of a second of a request
and takes every request waiting, so a burst of requests makes one pass.

A request is named after what it asks for (one list, or everything), so asking again before
the indexer wakes replaces the file instead of adding one: the folder holds at most one file per
list. A request that is taken is covered by the pass that starts right after.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

SUFFIX = ".request"
EVERYTHING = "all"
MAX_PENDING = 1000  # more list requests than this are folded into one request for everything
TICK_SECONDS = 0.2  # how often a waiting indexer looks for requests
_LIST_ID = re.compile(r"^[0-9a-z-]{1,64}$")


def wakeup_dir(index_dir: str | os.PathLike) -> Path:
    """The request folder of an index: ``<index dir>.wakeup`` beside it."""
    index_dir = Path(index_dir)
    return index_dir.with_name(index_dir.name + ".wakeup")


def _name(list_id: str | None) -> str:
    if list_id is None:
        return EVERYTHING
    name = list_id.strip().strip("{}").lower()
    if not _LIST_ID.match(name) or name == EVERYTHING:
        raise ValueError(f"not a list id: {list_id!r}")
    return name


def _requests(folder: Path) -> list[Path]:
    try:
        return [Path(entry.path) for entry in os.scandir(folder)
                if entry.name.endswith(SUFFIX) and not entry.name.startswith(".")]
    except (FileNotFoundError, NotADirectoryError):
        return []


def request_pass(index_dir: str | os.PathLike, list_id: str | None = None) -> None:
    """Ask the indexer for an incremental pass (of one list, if given) as soon as it can.

    Raises ValueError for a list id that is not a SharePoint list id (a GUID).
    """
    name = _name(list_id)
    folder = wakeup_dir(index_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if name != EVERYTHING and len(_requests(folder)) >= MAX_PENDING:
        name = EVERYTHING
    body = json.dumps({"list_id": list_id, "requested": datetime.now(UTC).isoformat()})
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(body)
        os.replace(temporary, folder / f"{name}{SUFFIX}")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def pending(index_dir: str | os.PathLike) -> list[datetime]:
    """When each waiting request was made, oldest first (for the status page)."""
    stamps = []
    for path in _requests(wakeup_dir(index_dir)):
        try:
            stamps.append(datetime.fromisoformat(json.loads(path.read_text())["requested"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # taken meanwhile, or not a request
    return sorted(stamps)


@dataclass(frozen=True)
class Wakeup:
    """The requests taken at one wake-up: some lists, or everything."""

    everything: bool
    list_ids: frozenset[str]


class Waiter:
    """What ``indexer watch`` waits with between passes.

    Requests already waiting when it is made are taken at once: the first pass, which starts
    right after, covers them.
    """

    def __init__(self, index_dir: str | os.PathLike, stop: threading.Event,
                 tick: float = TICK_SECONDS) -> None:
        self.folder = wakeup_dir(index_dir)
        self.stop = stop
        self.tick = tick
        self.take()

    def take(self) -> Wakeup | None:
        """Take every waiting request (None if there is none)."""
        names = set()
        for path in _requests(self.folder):
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            names.add(path.name.removesuffix(SUFFIX))
        if not names:
            return None
        return Wakeup(EVERYTHING in names, frozenset(names - {EVERYTHING}))

    def wait(self, timeout: float) -> Wakeup | None:
        """Sleep up to ``timeout`` seconds; return early with the requests when one comes.

        None when the time ran out or ``stop`` was set.
        """
        deadline = time.monotonic() + timeout
        while not self.stop.is_set():
            wakeup = self.take()
            if wakeup is not None:
                log.info("woken up: a pass was requested")
                return wakeup
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.stop.wait(min(self.tick, remaining))
        return None
