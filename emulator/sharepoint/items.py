"""List items: ``items`` and ``items(<id>)`` with their fields, files and permissions.

Paging is SharePoint's: ``$top`` (100 by default) with ``$skiptoken=Paged=TRUE&p_ID=<n>`` and
an absolute ``__next``; ``$skip`` is ignored. Items are kept in id order, so a page start is
found by bisection and only one page is ever rendered. On a list over the view threshold,
``$filter`` and ``$orderby`` may name indexed columns only, or the query fails with
``SPQueryThrottledException``.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from flask import Response

from emulator.sharepoint import fields as f
from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import (
    item_not_found,
    no_such_column,
    no_such_field,
    throttled_query,
)
from emulator.sharepoint.files import FileRes, FolderRes
from emulator.sharepoint.filters import parse_datetime
from emulator.sharepoint.item_versions import ItemVersions
from emulator.sharepoint.lookup import effective_assignments, memo
from emulator.sharepoint.odata import collection_body, iso, json_response
from emulator.sharepoint.paths import Segment
from emulator.sharepoint.query import Options, Order
from emulator.sharepoint.resources import Collection, Nav, Node, Resource, list_path, render
from emulator.sharepoint.security import RoleAssignments, role_assignments
from emulator.sharepoint.userinfo import LookupUser
from emulator.tenant import ListItem, Site, SPList

VIEW_THRESHOLD = 5000
DEFAULT_PAGE_SIZE = 100
INDEXED = frozenset({"id", "modified", "created"})
_STANDARD: dict[str, Callable[[ListItem], Any]] = {
    "id": lambda i: i.id,
    "title": lambda i: i.fields.get("Title"),
    "modified": lambda i: i.modified,
    "created": lambda i: i.created,
    "authorid": lambda i: i.author_id,
    "editorid": lambda i: i.editor_id,
    "fsobjtype": lambda i: 1 if i.is_folder else 0,
    "filesystemobjecttype": lambda i: 1 if i.is_folder else 0,
    "fileref": lambda i: i.file_ref,
    "fileleafref": lambda i: i.name,
    "filedirref": lambda i: i.dir,
    "uniqueid": lambda i: i.unique_id,
    "guid": f.item_guid,
    "contenttypeid": lambda i: i.content_type_id,
    "file_x0020_type": f.file_type,
    "odata__uiversionstring": lambda i: i.current.label,
    "odata__uiversion": lambda i: i.current.version_id,
    "odata__moderationstatus": lambda i: i.current.moderation_status,
    "odata__level": lambda i: f.published_level(i.current),
    "hasuniqueroleassignments": lambda i: i.has_unique_role_assignments,
}


class ItemRes(Resource):
    """``SP.Data.<EntityTypeName>Item``: a file, folder or page with its current field values."""

    quiet = frozenset({"Author", "Editor"})

    def __init__(self, site: Site, lst: SPList, item: ListItem) -> None:
        self.site, self.lst, self.item = site, lst, item
        self.type_name = f"SP.Data.{lst.entity_type_name}Item"

    def path(self, ctx: Ctx) -> str:
        return f"{list_path(self.lst)}/Items({self.item.id})"

    def etag(self) -> str | None:
        return f'"{len(self.item.versions)}"'

    def properties(self, ctx: Ctx) -> dict:
        item, current = self.item, self.item.current
        embed = f.embed_uri(item, ctx)
        props = {"FileSystemObjectType": 1 if item.is_folder else 0, "Id": item.id,
                 "ServerRedirectedEmbedUri": embed, "ServerRedirectedEmbedUrl": embed or "",
                 "ContentTypeId": item.content_type_id, "Title": current.fields.get("Title"),
                 "ComplianceAssetId": None}
        props |= f.custom_values(self.lst, current, ctx)
        return props | {"ID": item.id, "Modified": item.modified, "Created": item.created,
                        "AuthorId": item.author_id, "EditorId": item.editor_id,
                        "OData__CopySource": None, "CheckoutUserId": None,
                        "OData__UIVersionString": current.label, "GUID": f.item_guid(item)}

    def hidden(self, ctx: Ctx) -> dict[str, Callable[[], Any]]:
        item = self.item
        return {"FileRef": lambda: item.file_ref, "FileLeafRef": lambda: item.name,
                "FileDirRef": lambda: item.dir, "FSObjType": lambda: 1 if item.is_folder else 0,
                "UniqueId": lambda: item.unique_id, "File_x0020_Type": lambda: f.file_type(item),
                "OData__ModerationStatus": lambda: item.current.moderation_status,
                "OData__UIVersion": lambda: item.current.version_id,
                "OData__Level": lambda: f.published_level(item.current),
                "EncodedAbsUrl": lambda: ctx.absolute(item.file_ref).replace(" ", "%20"),
                "ServerUrl": lambda: item.file_ref,
                "HasUniqueRoleAssignments": lambda: item.has_unique_role_assignments}

    def navigations(self, ctx: Ctx) -> dict[str, Nav]:
        site, lst, item = self.site, self.lst, self.item
        from emulator.sharepoint.lists import ListRes

        return {
            "RoleAssignments": role_assignments(site, self.path(ctx),
                                                effective_assignments(site, lst, item), ctx),
            "File": lambda: None if item.is_folder else FileRes(site, lst, item),
            "Folder": lambda: FolderRes(site, lst, item) if item.is_folder else None,
            "ParentList": lambda: ListRes(site, lst),
            "Versions": lambda: ItemVersions(site, lst, item).members(ctx),
            "Author": lambda: LookupUser(site, item.author_id),
            "Editor": lambda: LookupUser(site, item.editor_id),
        }

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        site, lst, item = self.site, self.lst, self.item

        def versions(seg: Segment) -> Node:
            collection = ItemVersions(site, lst, item)
            return collection.by_id(seg.arg("versionId"), ctx) if seg.called else collection

        return {"versions": versions,
                "roleassignments": lambda seg: RoleAssignments(
                    site, self.path(ctx), effective_assignments(site, lst, item))}

    def unknown(self, name: str) -> Exception | None:
        return no_such_field(name)


class Items(Collection):
    """``lists(…)/items``: paged by ``$skiptoken``, never by ``$skip``."""

    def __init__(self, site: Site, lst: SPList) -> None:
        self.site, self.lst = site, lst

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        item = self.lst.items.get(value) if isinstance(value, int) else None
        if item is None:
            raise item_not_found()
        return ItemRes(self.site, self.lst, item)

    def members(self, ctx: Ctx) -> list[Resource]:
        return [ItemRes(self.site, self.lst, i) for i in self.lst.items.values()]

    def get(self, ctx: Ctx) -> Response:
        options = ctx.options
        getter = self._check(options)
        size = DEFAULT_PAGE_SIZE if options.top is None else options.top
        rows = self._ordered(options, getter)
        if options.filter is not None:
            test = options.filter.matches
            rows = (i for i in rows if test(lambda name, i=i: getter(i, name)))
        page = list(itertools.islice(rows, size + 1))
        more, page = len(page) > size, page[:size]
        entities = [render(ItemRes(self.site, self.lst, i), ctx, options.select, options.expand)
                    for i in page]
        next_url = None
        if more and page:
            next_url = options.next_link(ctx.api(f"{list_path(self.lst)}/Items"),
                                         _skiptoken(page[-1], options.orderby, getter))
        return json_response(collection_body(entities, ctx.fmt, next_url, ctx.metadata_url),
                             ctx.fmt)

    def _check(self, options: Options) -> Callable[[ListItem, str], Any]:
        """Validate the columns named by $filter and $orderby; refuse unindexed ones if large.

        The getter reads times to the second, as SharePoint stores them."""
        names = list(options.filter.fields if options.filter else ())
        names += [o.field for o in options.orderby]
        internal = {f.odata_name(c).lower(): c for c in f.columns(self.lst)}
        for name in names:
            if name.lower() not in _STANDARD and name.lower() not in internal:
                raise no_such_column(name)
        if len(self.lst.items) > VIEW_THRESHOLD and any(n.lower() not in INDEXED for n in names):
            raise throttled_query()

        def getter(item: ListItem, name: str) -> Any:
            key = name.lower()
            value = _STANDARD[key](item) if key in _STANDARD else item.fields.get(internal[key])
            return value.replace(microsecond=0) if isinstance(value, datetime) else value

        return getter

    def _ordered(self, options: Options, getter: Callable) -> Iterator[ListItem]:
        items, orderby = self.lst.items, options.orderby
        after = _int(options.skiptoken.get("p_ID"))
        if not orderby or (len(orderby) == 1 and orderby[0].field.lower() == "id"):
            ids = _ids(self.lst)
            if orderby and orderby[0].descending:
                end = bisect.bisect_left(ids, after) if after is not None else len(ids)
                return (items[ids[k]] for k in range(end - 1, -1, -1))
            start = bisect.bisect_right(ids, after) if after is not None else 0
            return (items[ids[k]] for k in range(start, len(ids)))
        ordered = sorted(items.values(), key=lambda i: _sort_key(i, orderby, getter))
        if after is None:
            return iter(ordered)
        keys = [_sort_key(i, orderby, getter) for i in ordered]
        return iter(ordered[bisect.bisect_right(keys, _marker(options, after)):])


def _ids(lst: SPList) -> list[int]:
    return memo(lst, "ids", (len(lst.items), lst.next_item_id), lambda: sorted(lst.items))


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


class _Desc:
    """Inverts the order of a value inside a sort key."""

    def __init__(self, value: tuple) -> None:
        self.value = value

    def __lt__(self, other: _Desc) -> bool:
        return other.value < self.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and other.value == self.value


def _key_part(value: Any, descending: bool) -> Any:
    key = (value is not None, value.lower() if isinstance(value, str) else value)
    return _Desc(key) if descending else key


def _sort_key(item: ListItem, orderby: list[Order], getter: Callable) -> tuple:
    return (*(_key_part(getter(item, o.field), o.descending) for o in orderby), item.id)


def _marker(options: Options, after: int) -> tuple:
    """The sort key a ``$skiptoken`` points after, from its ``p_<Field>`` values."""
    token = {k.lower(): v for k, v in options.skiptoken.items()}
    parts = []
    for order in options.orderby:
        raw = token.get(f"p_{order.field.lower()}")
        value: Any = raw or None
        if raw and _int(raw) is not None:
            value = _int(raw)
        elif raw and "T" in raw and ":" in raw:
            value = parse_datetime(raw) or raw
        parts.append(_key_part(value, order.descending))
    return (*parts, after)


def _skiptoken(item: ListItem, orderby: list[Order], getter: Callable) -> str:
    token = "Paged=TRUE"
    for order in orderby:
        if order.field.lower() != "id":
            value = getter(item, order.field)
            text = iso(value) if hasattr(value, "astimezone") else value
            token += f"&p_{order.field}={'' if text is None else text}"
    return f"{token}&p_ID={item.id}"
