"""Plain values from the library's objects: what the rest of the indexer works with.

The library turns SharePoint's JSON into typed objects, collections into index-keyed dicts (an
empty one into ``{}``) and some, not all, dates into datetimes. :func:`plain` turns all of that
back into dicts, lists and scalars, with every date as SharePoint writes it
(``2026-01-31T12:00:00Z``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any

from office365.runtime.client_object import ClientObject
from office365.runtime.client_object_collection import ClientObjectCollection
from office365.runtime.client_value import ClientValue


def plain(value: Any) -> Any:
    """``value`` as dicts, lists, strings, numbers, booleans and None."""
    if isinstance(value, ClientObjectCollection):
        return [plain(entry) for entry in value]
    if isinstance(value, ClientObject):
        return {name: plain(entry) for name, entry in value.properties.items()
                if not _unloaded(entry)}
    if isinstance(value, ClientValue):
        return plain(value.to_json())
    if isinstance(value, dict):
        if all(isinstance(key, int) for key in value):  # a collection; SharePoint has no {}
            return [plain(value[key]) for key in sorted(value)]
        return {str(key): plain(entry) for key, entry in value.items()}
    if isinstance(value, list | tuple):
        return [plain(entry) for entry in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value


def _unloaded(value: Any) -> bool:
    """A navigation stub the library adds (such as ``ParentList``), with nothing loaded."""
    return (isinstance(value, ClientObject) and not isinstance(value, ClientObjectCollection)
            and not value.properties)
