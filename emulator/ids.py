"""Ids of new SharePoint objects: random GUIDs, or a repeatable sequence while a sample is built."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_sequence: ContextVar[tuple[uuid.UUID, Iterator[int]] | None] = ContextVar("id_sequence",
                                                                           default=None)


def new_id() -> str:
    """A GUID in SharePoint's lower-case form: random, or the next of a repeatable sequence."""
    sequence = _sequence.get()
    if sequence is None:
        return str(uuid.uuid4())
    namespace, counter = sequence
    return str(uuid.uuid5(namespace, str(next(counter))))


@contextmanager
def repeatable_ids(name: str) -> Iterator[None]:
    """Within the block, ``new_id`` gives uuid5(name, 1), uuid5(name, 2), … so builds repeat."""
    token = _sequence.set((uuid.uuid5(uuid.NAMESPACE_URL, name), itertools.count(1)))
    try:
        yield
    finally:
        _sequence.reset(token)
