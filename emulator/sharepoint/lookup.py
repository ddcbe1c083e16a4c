"""Indexes over a site's items by URL, folder and unique id, so that addressing one file of a
100,000-item library does not scan the library. They are rebuilt when the site's change log
moves on (every add, rename, move and delete is logged)."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from emulator.tenant import ListItem, RoleAssignment, Site, SPList

T = TypeVar("T")
_memos: dict[tuple[int, str], tuple[weakref.ref, tuple, Any]] = {}


def memo(owner: object, name: str, key: tuple, build: Callable[[], T]) -> T:
    """``build()`` for ``owner``, kept until ``key`` changes or ``owner`` is gone."""
    slot = (id(owner), name)
    entry = _memos.get(slot)
    if entry is not None and entry[0]() is owner and entry[1] == key:
        return entry[2]
    value = build()
    _memos[slot] = (weakref.ref(owner, lambda _, s=slot: _memos.pop(s, None)), key, value)
    return value


@dataclass
class _Index:
    by_url: dict[str, int] = field(default_factory=dict)
    by_dir: dict[str, list[int]] = field(default_factory=dict)


def _build(lst: SPList) -> _Index:
    index = _Index()
    for item in lst.items.values():
        index.by_url[item.file_ref.lower()] = item.id
        index.by_dir.setdefault(item.dir.lower(), []).append(item.id)
    return index


def _index(site: Site, lst: SPList) -> _Index:
    key = (len(lst.items), lst.next_item_id, site.changes.last_number())
    return memo(lst, "index", key, lambda: _build(lst))


def list_for_url(site: Site, url: str) -> SPList | None:
    """The list whose root folder holds ``url`` (or is it)."""
    wanted = url.rstrip("/").lower()
    for lst in site.lists.values():
        root = lst.root_url.lower()
        if wanted == root or wanted.startswith(root + "/"):
            return lst
    return None


def item_at(site: Site, lst: SPList, url: str) -> ListItem | None:
    """The file or folder at a server-relative URL, case-insensitively."""
    item_id = _index(site, lst).by_url.get(url.rstrip("/").lower())
    return lst.items.get(item_id) if item_id is not None else None


def children(site: Site, lst: SPList, folder_url: str) -> list[ListItem]:
    """The files and folders directly inside a folder, in id order."""
    ids = _index(site, lst).by_dir.get(folder_url.rstrip("/").lower(), [])
    return [lst.items[i] for i in ids if i in lst.items]


def by_unique_id(site: Site, unique_id: str) -> tuple[SPList, ListItem] | None:
    """The list and item whose ``UniqueId`` is ``unique_id``."""
    key = (site.changes.last_number(), sum(len(x.items) for x in site.lists.values()))
    table = memo(site, "unique", key, lambda: {
        item.unique_id.lower(): (lst.id, item.id)
        for lst in site.lists.values() for item in lst.items.values()})
    found = table.get(unique_id.strip("{}").lower())
    if found is None:
        return None
    lst = site.lists.get(found[0])
    item = lst.items.get(found[1]) if lst else None
    return (lst, item) if lst and item else None


def effective_assignments(site: Site, lst: SPList | None,
                          item: ListItem | None) -> list[RoleAssignment]:
    """The role assignments in force on a web, list, folder or item, following inheritance."""
    node = item
    while node is not None and lst is not None:
        if node.role_assignments is not None:
            return node.role_assignments
        node = item_at(site, lst, node.dir) if node.dir.lower() != lst.root_url.lower() else None
    if lst is not None and lst.role_assignments is not None:
        return lst.role_assignments
    return site.role_assignments
