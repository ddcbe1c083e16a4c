"""Rendered pages and page parts kept per index generation, for users holding the same
principals.

What a page part shows is decided by the index and the user's principals alone (and the
language it is written in), so the key is the whole principal set: two users share an entry
only when the index would show them exactly the same. Every entry belongs to one index
generation; the first lookup after a commit empties the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import Flask, current_app

T = TypeVar("T")

MAX_ENTRIES = 512  # kept per process (a part about 12 KB, a whole page 20 KB: 10 MB at most)


class FragmentCache:
    """A bounded LRU of rendered parts (HTML, or a page cut at its slots) keyed by
    (generation, key)."""

    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self.size = size
        self._generation: int | None = None
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, generation: int, key: Hashable, render: Callable[[], T]) -> T:
        """The part ``key`` of index ``generation``, rendered by ``render`` when missing."""
        with self._lock:
            if generation != self._generation:
                self._entries.clear()
                self._generation = generation
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
                return value
        value = render()
        with self._lock:
            if generation == self._generation:
                self._entries[key] = value
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)


def cached(key: Hashable, render: Callable[[], T]) -> T:
    """This app's rendered part ``key`` for the index generation now being served.

    ``key`` must hold everything the part depends on besides the index and the app's
    settings: the principals it was trimmed to and the language it is written in.
    """
    generation = current_app.extensions["portal.content"].generation()
    return current_app.extensions["portal.fragments"].get(generation, key, render)


def init_app(app: Flask) -> None:
    """Give the app its cache."""
    app.extensions["portal.fragments"] = FragmentCache()
