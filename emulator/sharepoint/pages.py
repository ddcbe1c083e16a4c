"""The Site Pages API: ``/_api/sitepages/pages`` and ``pages(<id>)`` (``SP.Publishing.SitePage``).

The collection carries page metadata; one page also carries ``CanvasJson1`` (the canvas as a
JSON array of controls) and ``LayoutWebpartsContent``. Like SharePoint, the collection never
sends ``__next``. The current version is served, drafts included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator.sharepoint.canvas import canvas_json
from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import item_not_found
from emulator.sharepoint.odata import Coll, Complex
from emulator.sharepoint.paths import Segment
from emulator.sharepoint.resources import Collection, Node, Resource
from emulator.tenant import SITE_PAGES, ListItem, Site, SPList

_CANVAS = ("CanvasContent1", "CanvasJson1", "LayoutWebpartsContent")


def _site_pages(site: Site) -> SPList | None:
    return next((x for x in site.lists.values() if x.base_template == SITE_PAGES), None)


class SitePageRes(Resource):
    """``SP.Publishing.SitePage``; with ``full`` false (in the collection) without the canvas."""

    type_name = "SP.Publishing.SitePage"

    def __init__(self, site: Site, lst: SPList, item: ListItem, full: bool) -> None:
        self.site, self.lst, self.item, self.full = site, lst, item, full

    def path(self, ctx: Ctx) -> str:
        return f"SitePages/Pages({self.item.id})"

    def _canvas(self, ctx: Ctx) -> dict:
        values = self.item.current.fields
        return {"CanvasContent1": None, "CanvasJson1": canvas_json(values.get("CanvasContent1")),
                "LayoutWebpartsContent": values.get("LayoutWebpartsContent")}

    def properties(self, ctx: Ctx) -> dict:
        item, current = self.item, self.item.current
        values = current.fields
        banner = values.get("BannerImageUrl") or {}
        web_relative = item.file_ref[len(self.site.url):].lstrip("/")
        editor = self.site.principals.get(current.editor_id)
        props = {
            "AbsoluteUrl": ctx.absolute(item.file_ref).replace(" ", "%20"),
            "AuthorByline": Coll(list(values.get("_AuthorByline") or []),
                                 "Collection(Edm.String)"),
            "BannerImageUrl": ctx.absolute(banner.get("Url") or ""),
            "BannerThumbnailUrl": ctx.absolute(banner.get("Url") or ""), "CallToAction": "",
            "Categories": None, "ContentTypeId": item.content_type_id,
            "Description": values.get("Description"), "DoesUserHaveEditPermission": True,
            "FileName": item.name, "FirstPublished": values.get("FirstPublishedDate"),
            "Id": item.id, "IsPageCheckedOutToCurrentUser": False, "IsWebWelcomePage": False,
            "Modified": item.modified, "PageLayoutType": values.get("PageLayoutType"),
            "Path": Complex("SP.ResourcePath", {"DecodedUrl": web_relative}),
            "PromotedState": values.get("PromotedState", 0),
            "Title": values.get("Title"), "TopicHeader": values.get("_TopicHeader"),
            "UniqueId": item.unique_id, "Url": web_relative, "Version": current.label,
            "VersionInfo": Complex("SP.Publishing.SitePageVersionInfo", {
                "LastVersionCreated": current.label,
                "LastVersionCreatedBy": editor.login_name if editor else ""}),
        }
        if self.full:
            props |= self._canvas(ctx) | {"IsTemplate": False, "SitePageFlags": ""}
        return props

    def hidden(self, ctx: Ctx) -> dict[str, Callable[[], Any]]:
        if self.full:
            return {}
        return {name: (lambda n=name: self._canvas(ctx)[n]) for name in _CANVAS}


class SitePages(Collection):
    """``sitepages/pages``."""

    def __init__(self, site: Site) -> None:
        self.site, self.lst = site, _site_pages(site)

    def members(self, ctx: Ctx) -> list[Resource]:
        if self.lst is None:
            return []
        return [SitePageRes(self.site, self.lst, i, False) for i in self.lst.items.values()
                if not i.is_folder]

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        item = self.lst.items.get(value) if self.lst and isinstance(value, int) else None
        if item is None or item.is_folder:
            raise item_not_found()
        return SitePageRes(self.site, self.lst, item, True)


class SitePageService(Node):
    """``/_api/sitepages``: the entry to the Site Pages API."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def child(self, seg: Segment, ctx: Ctx) -> Node:
        if seg.key != "pages":
            return super().child(seg, ctx)
        pages = SitePages(self.site)
        return pages.by_id(seg.arg("id"), ctx) if seg.called else pages

