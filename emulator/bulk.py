"""Bulk uploads for large tenants, logged exactly as ``editing.add_file`` logs each file.

Calling ``editing.add_file`` once per file looks every URL up in the whole library, which is
quadratic; a migration-sized load looks the existing URLs up once instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from emulator import changelog as cl
from emulator.directory import User
from emulator.editing import DOCUMENT_CONTENT_TYPE, EditError, log, principal_for
from emulator.ids import new_id
from emulator.tenant import Content, ListItem, Site, SPList, Tenant, Version


@dataclass(frozen=True)
class NewFile:
    """One file of a bulk upload; ``folder`` is relative to the library root."""

    folder: str
    name: str
    content: Content
    author: User
    when: datetime
    size: int | None = None
    fields: dict | None = None


def add_files(tenant: Tenant, site: Site, lst: SPList, files: Iterable[NewFile]) -> list[ListItem]:
    """Upload many files as published 1.0 versions, refusing missing folders and name clashes."""
    taken = {item.file_ref.lower() for item in lst.items.values()}
    folders = {item.file_ref.lower() for item in lst.items.values() if item.is_folder}
    authors: dict[str, int] = {}
    added = []
    for new in files:
        directory = (f"{lst.root_url}/{new.folder.strip('/')}".rstrip("/") if new.folder
                     else lst.root_url)
        if directory != lst.root_url and directory.lower() not in folders:
            raise EditError(f"no folder {directory}")
        url = f"{directory}/{new.name}".lower()
        if url in taken:
            raise EditError(f"{directory}/{new.name} already exists")
        taken.add(url)
        if new.author.oid not in authors:
            authors[new.author.oid] = principal_for(site, new.author).id
        author_id = authors[new.author.oid]
        values = {"Title": new.name.rsplit(".", 1)[0]} | (new.fields or {})
        size = new.size if new.size is not None else len(_read(new.content))
        version = Version(1, 0, values, new.when, author_id, new.content, size)
        item = ListItem(id=lst.next_item_id, name=new.name, dir=directory, is_folder=False,
                        author_id=author_id, created=new.when, versions=[version],
                        unique_id=new_id(), content_type_id=DOCUMENT_CONTENT_TYPE)
        lst.next_item_id += 1
        lst.items[item.id] = item
        log(tenant, site, cl.ADD, "item", lst, item)
        added.append(item)
    return added


def _read(content: Content) -> bytes:
    return content() if callable(content) else content
