"""The emulator's clock: real time plus an offset that tests may move forward."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time that can be advanced, so tests can age tokens and change logs."""

    def __init__(self) -> None:
        self._offset = timedelta()
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        """Pickle the offset, not the lock."""
        return {"offset": self._offset}

    def __setstate__(self, state: dict) -> None:
        """Restore a pickled clock with a fresh lock."""
        self._offset = state["offset"]
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The current emulated time, timezone-aware UTC."""
        with self._lock:
            return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> None:
        """Move emulated time forward by ``delta``."""
        with self._lock:
            self._offset += delta
