"""Lists: ``/_api/web/lists``, ``lists(guid'…')``, ``GetByTitle``, ``GetById`` and ``GetList``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from emulator.changelog import SCOPE_LIST
from emulator.sharepoint import lookup
from emulator.sharepoint.changes import Changes, current_token
from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import list_not_found, list_not_found_by_title, not_found
from emulator.sharepoint.files import FolderRes
from emulator.sharepoint.items import ItemRes, Items
from emulator.sharepoint.odata import Complex
from emulator.sharepoint.paths import Segment
from emulator.sharepoint.resources import Collection, Nav, Node, Resource, list_path
from emulator.sharepoint.security import RoleAssignments, role_assignments
from emulator.sharepoint.subscriptions import subscriptions
from emulator.tenant import DOCUMENT_LIBRARY, SITE_PAGES, Site, SPList

_ZERO = "00000000-0000-0000-0000-000000000000"
_FEATURES = {DOCUMENT_LIBRARY: "00bfea71-e717-4e80-aa17-d0c71b360101",
             SITE_PAGES: "b6917cb1-93a0-4b97-a84d-7cf49975d4ec"}


class ListRes(Resource):
    """``SP.List``: a document library or Site Pages."""

    type_name = "SP.List"

    def __init__(self, site: Site, lst: SPList) -> None:
        self.site, self.lst = site, lst

    def path(self, ctx: Ctx) -> str:
        return list_path(self.lst)

    def etag(self) -> str | None:
        return '"1"'

    def properties(self, ctx: Ctx) -> dict:
        lst, site = self.lst, self.site
        modified = lst.last_item_modified or lst.created
        library = lst.base_template == DOCUMENT_LIBRARY
        return {
            "AllowContentTypes": True, "BaseTemplate": lst.base_template, "BaseType": 1,
            "ContentTypesEnabled": not library, "CrawlNonDefaultViews": False,
            "Created": lst.created,
            "CurrentChangeToken": current_token(site, SCOPE_LIST, lst.id, ctx),
            "DefaultContentApprovalWorkflowId": _ZERO, "DefaultItemOpenUseListSetting": False,
            "Description": lst.description, "Direction": "none",
            "DisableGridEditing": False,
            "DocumentTemplateUrl": f"{lst.root_url}/Forms/template.dotx" if library else None,
            "DraftVersionVisibility": 0, "EnableAttachments": False,
            "EnableFolderCreation": library, "EnableMinorVersions": lst.enable_minor_versions,
            "EnableModeration": lst.enable_moderation, "EnableRequestSignOff": True,
            "EnableVersioning": True, "EntityTypeName": lst.entity_type_name,
            "ExemptFromBlockDownloadOfNonViewableFiles": False,
            "FileSavePostProcessingEnabled": False, "ForceCheckout": False,
            "HasExternalDataSource": False, "Hidden": lst.hidden, "Id": lst.id,
            "ImagePath": Complex("SP.ResourcePath",
                                 {"DecodedUrl": "/_layouts/15/images/itdl.png?rev=47"}),
            "ImageUrl": "/_layouts/15/images/itdl.png?rev=47", "IrmEnabled": False,
            "IsApplicationList": False, "IsCatalog": False, "IsPrivate": False,
            "ItemCount": len(lst.items), "LastItemDeletedDate": lst.created,
            "LastItemModifiedDate": modified, "LastItemUserModifiedDate": modified,
            "ListExperienceOptions": 0,
            "ListItemEntityTypeFullName": f"SP.Data.{lst.entity_type_name}Item",
            "MajorVersionLimit": 500,
            "MajorWithMinorVersionsLimit": 500 if lst.enable_minor_versions else 0,
            "MultipleDataList": False, "NoCrawl": False,
            "ParentWebPath": Complex("SP.ResourcePath", {"DecodedUrl": site.url or "/"}),
            "ParentWebUrl": site.url or "/", "ParserDisabled": False,
            "ServerTemplateCanCreateFolders": library,
            "TemplateFeatureId": _FEATURES.get(lst.base_template, _ZERO),
            "Title": lst.title}

    def hidden(self, ctx: Ctx) -> dict[str, Callable[[], Any]]:
        lst = self.lst
        return {"HasUniqueRoleAssignments": lambda: lst.has_unique_role_assignments,
                "DefaultViewUrl": lambda: f"{lst.root_url}/Forms/AllItems.aspx",
                "IsSiteAssetsLibrary": lambda: False, "IsSystemList": lambda: False}

    def navigations(self, ctx: Ctx) -> dict[str, Nav]:
        from emulator.sharepoint.webs import WebRes

        site, lst = self.site, self.lst
        return {"Items": lambda: Items(site, lst).members(ctx),
                "ParentWeb": lambda: WebRes(site),
                "RoleAssignments": role_assignments(
                    site, self.path(ctx), lookup.effective_assignments(site, lst, None), ctx),
                "RootFolder": lambda: FolderRes(site, lst, None)}

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        site, lst = self.site, self.lst

        def items(seg: Segment) -> Node:
            collection = Items(site, lst)
            return collection.by_id(seg.arg("id"), ctx) if seg.called else collection

        return {"items": items,
                "getitembyid": lambda seg: Items(site, lst).by_id(seg.arg("itemId"), ctx),
                "getitembyuniqueid": lambda seg: _by_unique_id(site, lst, seg),
                "roleassignments": lambda seg: RoleAssignments(
                    site, self.path(ctx), lookup.effective_assignments(site, lst, None)),
                "getchanges": lambda seg: Changes(site, SCOPE_LIST, lst.id, lst),
                "subscriptions": lambda seg: subscriptions(site, lst, seg, ctx)}


def _by_unique_id(site: Site, lst: SPList, seg: Segment) -> Node:
    found = lookup.by_unique_id(site, str(seg.arg("uniqueId")))
    if found is None or found[0] is not lst:
        raise not_found()
    return ItemRes(site, lst, found[1])


class Lists(Collection):
    """``/_api/web/lists``."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def members(self, ctx: Ctx) -> list[Resource]:
        return [ListRes(self.site, lst) for lst in self.site.lists.values()]

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        try:
            wanted = str(uuid.UUID(str(value)))
        except ValueError:
            raise list_not_found() from None
        lst = self.site.lists.get(wanted)
        if lst is None:
            raise list_not_found()
        return ListRes(self.site, lst)

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        def by_title(seg: Segment) -> Node:
            title = str(seg.arg("title"))
            lst = self.site.list_by_title(title)
            if lst is None:
                raise list_not_found_by_title(title, ctx.web_url)
            return ListRes(self.site, lst)

        return super().routes(ctx) | {"getbytitle": by_title}


def list_by_url(site: Site, url: str) -> ListRes:
    """``GetList('<server-relative or absolute url>')``: the list whose root folder it is."""
    path = urlsplit(url).path if "://" in url else url
    lst = site.list_by_url(path.rstrip("/"))
    if lst is None:
        raise not_found()
    return ListRes(site, lst)
