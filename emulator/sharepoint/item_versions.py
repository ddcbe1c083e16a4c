"""``items(<id>)/versions``: every version of an item with its field values."""

from __future__ import annotations

from typing import Any

from emulator.sharepoint import fields as f
from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import out_of_range
from emulator.sharepoint.resources import Collection, Node, Resource, list_path
from emulator.tenant import ListItem, Site, SPList, Version


class ItemVersionRes(Resource):
    """``SP.ListItemVersion``: one version's field values."""

    type_name = "SP.ListItemVersion"

    def __init__(self, site: Site, lst: SPList, item: ListItem, version: Version) -> None:
        self.site, self.lst, self.item, self.version = site, lst, item, version

    def path(self, ctx: Ctx) -> str:
        return f"{list_path(self.lst)}/Items({self.item.id})/Versions({self.version.version_id})"

    def properties(self, ctx: Ctx) -> dict:
        item, version = self.item, self.version
        props = {"VersionId": version.version_id, "VersionLabel": version.label,
                 "IsCurrentVersion": version is item.current, "Created": version.created,
                 "ID": item.id, "Title": version.fields.get("Title")}
        props |= f.custom_values(self.lst, version, ctx)
        return props | {"Modified": version.created,
                        "Author": f.user_value(self.site, item.author_id),
                        "Editor": f.user_value(self.site, version.editor_id),
                        "OData__UIVersionString": version.label,
                        "OData__ModerationStatus": version.moderation_status,
                        "FileLeafRef": item.name, "FileRef": item.file_ref,
                        "UniqueId": item.unique_id, "GUID": f.item_guid(item)}


class ItemVersions(Collection):
    """``items(<id>)/versions``: every version, newest first, the current one included."""

    def __init__(self, site: Site, lst: SPList, item: ListItem) -> None:
        self.site, self.lst, self.item = site, lst, item

    def members(self, ctx: Ctx) -> list[Resource]:
        return [ItemVersionRes(self.site, self.lst, self.item, v)
                for v in reversed(self.item.versions)]

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        for version in self.item.versions:
            if version.version_id == value:
                return ItemVersionRes(self.site, self.lst, self.item, version)
        raise out_of_range()
