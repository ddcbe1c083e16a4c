"""List item field values as REST writes them.

Internal names starting with ``_`` become ``OData_<name>`` (``_UIVersionString`` is
``OData__UIVersionString``); URL fields become ``SP.FieldUrlValue`` with absolute URLs; lists
become ``Collection(Edm.String)``. A list's columns are those of its template plus every
field any of its items has; an item without a value for a column shows ``null``.
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

from emulator.sharepoint.context import Ctx
from emulator.sharepoint.lookup import memo
from emulator.sharepoint.odata import Coll, Complex
from emulator.tenant import SITE_PAGES, ListItem, Site, SPList, Version

SITE_PAGES_FIELDS = ("Title", "Description", "CanvasContent1", "BannerImageUrl", "PromotedState",
                     "FirstPublishedDate", "LayoutWebpartsContent", "PageLayoutType",
                     "_AuthorByline", "_TopicHeader", "_ModernAudienceTargetUserField",
                     "_ModernAudienceAadObjectIds")
LIBRARY_FIELDS = ("Title",)
OFFICE_TYPES = {"docx", "doc", "xlsx", "xls", "pptx", "ppt"}


def odata_name(internal: str) -> str:
    """The REST property name of a field's internal name."""
    return f"OData_{internal}" if internal.startswith("_") else internal


def columns(lst: SPList) -> tuple[str, ...]:
    """The internal names of the list's columns beyond the built-in ones, in schema order."""
    key = (len(lst.items), lst.next_item_id, lst.last_item_modified)
    return memo(lst, "columns", key, lambda: _scan(lst))


def _scan(lst: SPList) -> tuple[str, ...]:
    names = dict.fromkeys(SITE_PAGES_FIELDS if lst.base_template == SITE_PAGES
                          else LIBRARY_FIELDS)
    for item in lst.items.values():
        for version in item.versions:
            names.update(dict.fromkeys(version.fields))
    return tuple(names)


def convert(value: Any, ctx: Ctx) -> Any:
    """A stored field value in its REST form."""
    if isinstance(value, dict) and "Url" in value:
        return Complex("SP.FieldUrlValue", {"Description": value.get("Description"),
                                            "Url": ctx.absolute(value.get("Url") or "")})
    if isinstance(value, list | tuple):
        return Coll([convert(v, ctx) for v in value], "Collection(Edm.String)")
    return value


def user_value(site: Site, principal_id: int) -> Complex:
    """An ``SP.FieldUserValue`` (as version entries carry their Author and Editor)."""
    principal = site.principals.get(principal_id)
    return Complex("SP.FieldUserValue", {
        "LookupId": principal_id, "LookupValue": principal.title if principal else "",
        "Email": principal.email if principal else ""})


def custom_values(lst: SPList, version: Version, ctx: Ctx) -> dict:
    """The version's values of the list's own columns (Title excluded), null when unset."""
    values = {}
    for name in columns(lst):
        if name != "Title":
            values[odata_name(name)] = convert(version.fields.get(name), ctx)
    return values


def file_type(item: ListItem) -> str | None:
    """``File_x0020_Type``: the extension, lower-cased (None for folders and bare names)."""
    if item.is_folder or "." not in item.name:
        return None
    return item.name.rsplit(".", 1)[1].lower()


def item_guid(item: ListItem) -> str:
    """The item's ``GUID`` field, stable and distinct from the file's ``UniqueId``."""
    return _guid_for(item.unique_id)


@functools.lru_cache(maxsize=1 << 18)
def _guid_for(unique_id: str) -> str:
    return str(uuid.uuid5(uuid.UUID(unique_id), "GUID"))


def published_level(version: Version) -> int:
    """``_Level`` / ``File.Level``: 1 published, 2 draft."""
    return 1 if version.minor == 0 and version.major > 0 else 2


def embed_uri(item: ListItem, ctx: Ctx) -> str | None:
    """``ServerRedirectedEmbedUri``: the Office preview of Office documents."""
    if file_type(item) not in OFFICE_TYPES:
        return None
    return ctx.absolute(f"{ctx.site.url}/_layouts/15/Doc.aspx?sourcedoc=%7B{item.unique_id}%7D"
                        "&action=interactivepreview")
