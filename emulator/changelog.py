"""SharePoint's change log: numbered changes, change tokens, and their expiry."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

# SP.ChangeType values.
ADD, UPDATE, DELETE_OBJECT, RENAME, MOVE_AWAY, MOVE_INTO, RESTORE = 1, 2, 3, 4, 5, 6, 7
ASSIGNMENT_ADD, ASSIGNMENT_DELETE, MEMBER_ADD, MEMBER_DELETE = 11, 12, 13, 14
SYSTEM_UPDATE, SCOPE_ADD, SCOPE_DELETE = 15, 17, 18

# Change token scopes: "1;<scope>;<object id>;<ticks>;<change number>".
SCOPE_SITE, SCOPE_WEB, SCOPE_LIST = 1, 2, 3

_DOTNET_EPOCH = datetime(1, 1, 1, tzinfo=UTC)
_numbers = itertools.count(1)
_numbers_lock = threading.Lock()


def next_change_number() -> int:
    """A process-wide increasing change number, as a content database has."""
    with _numbers_lock:
        return next(_numbers)


def reserve_change_numbers(up_to: int) -> None:
    """Make every later change number greater than ``up_to`` (after loading a saved log)."""
    global _numbers
    with _numbers_lock:
        _numbers = itertools.count(max(next(_numbers), up_to + 1))


def ticks(moment: datetime) -> int:
    """.NET ticks (100 ns since 0001-01-01) of an aware datetime."""
    delta = moment - _DOTNET_EPOCH
    return (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


def from_ticks(value: int) -> datetime:
    """The aware datetime of a .NET ticks value."""
    from datetime import timedelta

    return _DOTNET_EPOCH + timedelta(microseconds=value // 10)


@dataclass(frozen=True)
class Change:
    """One entry of the change log.

    ``kind`` names the SharePoint change class: ``item``, ``list``, ``web``, ``group``,
    ``user`` or ``site``.
    """

    number: int
    time: datetime
    change_type: int
    kind: str
    site_id: str
    web_id: str
    list_id: str = ""
    item_id: int = 0
    unique_id: str = ""
    group_id: int = 0
    user_id: int = 0

    def token(self, scope: int, object_id: str) -> str:
        """This change's token as seen from a site, web or list scope."""
        return format_token(scope, object_id, self.time, self.number)


def format_token(scope: int, object_id: str, moment: datetime, number: int) -> str:
    """A change token string in SharePoint's format."""
    return f"1;{scope};{object_id};{ticks(moment)};{number}"


class InvalidChangeToken(ValueError):
    """The token is malformed, of another object, or older than the retained log."""


def parse_token(token: str) -> tuple[int, str, datetime, int]:
    """Split a token into (scope, object id, time, change number)."""
    parts = token.split(";")
    if len(parts) != 5 or parts[0] != "1":
        raise InvalidChangeToken(token)
    try:
        return int(parts[1]), parts[2].lower(), from_ticks(int(parts[3])), int(parts[4])
    except (ValueError, OverflowError) as exc:
        raise InvalidChangeToken(token) from exc


class ChangeLog:
    """The changes of one site collection, oldest first."""

    def __init__(self) -> None:
        self._changes: list[Change] = []
        self._lock = threading.Lock()

    def __getstate__(self) -> dict:
        """Pickle the changes, not the lock."""
        return {"changes": self._changes}

    def __setstate__(self, state: dict) -> None:
        """Restore a pickled log; changes made after the load get higher numbers."""
        self._changes = state["changes"]
        self._lock = threading.Lock()
        reserve_change_numbers(self.last_number())

    def append(self, change: Change) -> None:
        """Record a change."""
        with self._lock:
            self._changes.append(change)

    def since(self, number: int) -> list[Change]:
        """Every change after change number ``number``."""
        with self._lock:
            if not self._changes or self._changes[-1].number <= number:
                return []
            lo, hi = 0, len(self._changes)
            while lo < hi:
                mid = (lo + hi) // 2
                if self._changes[mid].number <= number:
                    lo = mid + 1
                else:
                    hi = mid
            return self._changes[lo:]

    def last_number(self) -> int:
        """The newest change number, or 0 for an empty log."""
        with self._lock:
            return self._changes[-1].number if self._changes else 0

    def __len__(self) -> int:
        return len(self._changes)
