"""Files and folders: ``SP.File`` with its bytes (``$value``, HTTP ranges) and previous
versions, ``SP.Folder`` with its ``Files`` and ``Folders``."""

from __future__ import annotations

import functools
import io
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Response, send_file

from emulator.sharepoint import fields as f
from emulator.sharepoint import lookup
from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import file_not_found, not_found, out_of_range
from emulator.sharepoint.odata import Complex, Int64
from emulator.sharepoint.paths import Segment
from emulator.sharepoint.resources import Collection, Nav, Node, Resource
from emulator.sharepoint.security import UserRes
from emulator.tenant import ListItem, Site, SPList, Version


@functools.lru_cache(maxsize=1 << 16)
def _path_of(kind: str, url: str) -> str:
    escaped = quote(url.replace("'", "''"), safe="/'")
    return f"Web/Get{kind}ByServerRelativePath(decodedurl='{escaped}')"


class Content(Node):
    """``$value``: the bytes of a file version, with ``Range`` support."""

    def __init__(self, item: ListItem, version: Version) -> None:
        self.item, self.version = item, version

    def get(self, ctx: Ctx) -> Response:
        response = send_file(io.BytesIO(self.version.read()), mimetype="application/octet-stream",
                             conditional=True, etag=False, last_modified=self.version.created,
                             max_age=0)
        response.headers["ETag"] = f'"{{{self.item.unique_id.upper()}}},{len(self.item.versions)}"'
        return response


def _user(site: Site, principal_id: int) -> Resource | None:
    principal = site.principals.get(principal_id)
    return UserRes(site, principal) if principal else None


class FileRes(Resource):
    """``SP.File``: the current version of a file."""

    type_name = "SP.File"

    def __init__(self, site: Site, lst: SPList, item: ListItem) -> None:
        self.site, self.lst, self.item = site, lst, item

    def path(self, ctx: Ctx) -> str:
        return _path_of("File", self.item.file_ref)

    def properties(self, ctx: Ctx) -> dict:
        item, current = self.item, self.item.current
        tag = f"{{{item.unique_id.upper()}}},{len(item.versions)}"
        return {"CheckInComment": "", "CheckOutType": 2, "ContentTag": f"{tag},1",
                "CustomizedPageStatus": 0, "ETag": f'"{tag}"', "Exists": True,
                "ExistsAllowThrowForPolicyFailures": True, "ExistsWithException": True,
                "IrmEnabled": False, "Length": Int64(current.size),
                "Level": f.published_level(current), "LinkingUri": None, "LinkingUrl": "",
                "MajorVersion": current.major, "MinorVersion": current.minor, "Name": item.name,
                "ServerRelativeUrl": item.file_ref, "TimeCreated": item.created,
                "TimeLastModified": item.modified, "Title": current.fields.get("Title"),
                "UIVersion": current.version_id, "UIVersionLabel": current.label,
                "UniqueId": item.unique_id}

    def hidden(self, ctx: Ctx) -> dict[str, Callable[[], Any]]:
        return {"ServerRelativePath": lambda: Complex(
                    "SP.ResourcePath", {"DecodedUrl": self.item.file_ref}),
                "ListId": lambda: self.lst.id, "SiteId": lambda: self.site.id,
                "WebId": lambda: self.site.web_id}

    def navigations(self, ctx: Ctx) -> dict[str, Nav]:
        from emulator.sharepoint.items import ItemRes

        site, item = self.site, self.item
        return {"Author": lambda: _user(site, item.author_id),
                "ListItemAllFields": lambda: ItemRes(site, self.lst, item),
                "ModifiedBy": lambda: _user(site, item.editor_id),
                "Versions": lambda: FileVersions(site, self.lst, item).members(ctx)}

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        def versions(seg: Segment) -> Node:
            collection = FileVersions(self.site, self.lst, self.item)
            return collection.by_id(seg.arg("versionId"), ctx) if seg.called else collection

        content = Content(self.item, self.item.current)
        return {"$value": lambda seg: content, "openbinarystream": lambda seg: content,
                "versions": versions}


class FileVersionRes(Resource):
    """``SP.FileVersion``: a previous version of a file."""

    type_name = "SP.FileVersion"

    def __init__(self, site: Site, lst: SPList, item: ListItem, version: Version) -> None:
        self.site, self.lst, self.item, self.version = site, lst, item, version

    def path(self, ctx: Ctx) -> str:
        return f"{_path_of('File', self.item.file_ref)}/Versions({self.version.version_id})"

    def properties(self, ctx: Ctx) -> dict:
        v, web_relative = self.version, self.item.file_ref[len(self.site.url):].lstrip("/")
        return {"CheckInComment": "", "Created": v.created, "ID": v.version_id,
                "IsCurrentVersion": v is self.item.current, "Length": Int64(v.size),
                "Size": v.size, "Url": f"_vti_history/{v.version_id}/{web_relative}",
                "VersionLabel": v.label}

    def navigations(self, ctx: Ctx) -> dict[str, Nav]:
        return {"CreatedBy": lambda: _user(self.site, self.version.editor_id)}

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        content = Content(self.item, self.version)
        return {"$value": lambda seg: content, "openbinarystream": lambda seg: content}


class FileVersions(Collection):
    """``File/versions``: the previous versions, oldest first (the current one is the file)."""

    def __init__(self, site: Site, lst: SPList, item: ListItem) -> None:
        self.site, self.lst, self.item = site, lst, item

    def members(self, ctx: Ctx) -> list[Resource]:
        return [FileVersionRes(self.site, self.lst, self.item, v)
                for v in self.item.versions[:-1]]

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        for version in self.item.versions[:-1]:
            if version.version_id == value:
                return FileVersionRes(self.site, self.lst, self.item, version)
        raise out_of_range()


class FolderRes(Resource):
    """``SP.Folder``: a folder item, or a library's root folder (``item`` None)."""

    type_name = "SP.Folder"

    def __init__(self, site: Site, lst: SPList, item: ListItem | None) -> None:
        self.site, self.lst, self.item = site, lst, item

    @property
    def url(self) -> str:
        """The folder's server-relative URL."""
        return self.item.file_ref if self.item else self.lst.root_url

    def path(self, ctx: Ctx) -> str:
        return _path_of("Folder", self.url)

    def properties(self, ctx: Ctx) -> dict:
        item = self.item
        unique = item.unique_id if item else str(uuid.uuid5(uuid.UUID(self.lst.id), "RootFolder"))
        created = item.created if item else self.lst.created
        modified = item.modified if item else (self.lst.last_item_modified or self.lst.created)
        return {"Exists": True, "ExistsAllowThrowForPolicyFailures": True,
                "ExistsWithException": True, "IsWOPIEnabled": False,
                "ItemCount": len(lookup.children(self.site, self.lst, self.url)),
                "Name": self.url.rsplit("/", 1)[-1], "ProgID": None,
                "ServerRelativeUrl": self.url, "TimeCreated": created,
                "TimeLastModified": modified, "UniqueId": unique, "WelcomePage": ""}

    def hidden(self, ctx: Ctx) -> dict[str, Callable[[], Any]]:
        return {"ServerRelativePath": lambda: Complex("SP.ResourcePath", {"DecodedUrl": self.url})}

    def _files(self) -> FolderFiles:
        return FolderFiles(self.site, self.lst, self.url)

    def _folders(self) -> SubFolders:
        return SubFolders(self.site, self.lst, self.url)

    def navigations(self, ctx: Ctx) -> dict[str, Nav]:
        from emulator.sharepoint.items import ItemRes

        def parent() -> Resource | None:
            if self.item is None:
                return None
            above = lookup.item_at(self.site, self.lst, self.item.dir)
            return FolderRes(self.site, self.lst, above)

        return {"Files": lambda: self._files().members(ctx),
                "ListItemAllFields": lambda: ItemRes(self.site, self.lst, self.item)
                if self.item else None,
                "ParentFolder": parent, "Folders": lambda: self._folders().members(ctx)}

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        return {"files": lambda seg: self._files(), "folders": lambda seg: self._folders()}


class FolderFiles(Collection):
    """A folder's ``Files``."""

    def __init__(self, site: Site, lst: SPList, url: str) -> None:
        self.site, self.lst, self.url = site, lst, url

    def members(self, ctx: Ctx) -> list[Resource]:
        return [FileRes(self.site, self.lst, i)
                for i in lookup.children(self.site, self.lst, self.url) if not i.is_folder]

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        def by_url(seg: Segment) -> Node:
            name = str(seg.arg("urlOfFile"))
            url = name if name.startswith("/") else f"{self.url}/{name}"
            return file_at(self.site, url)

        return {"getbyurl": by_url}


class SubFolders(Collection):
    """A folder's ``Folders``."""

    def __init__(self, site: Site, lst: SPList, url: str) -> None:
        self.site, self.lst, self.url = site, lst, url

    def members(self, ctx: Ctx) -> list[Resource]:
        return [FolderRes(self.site, self.lst, i)
                for i in lookup.children(self.site, self.lst, self.url) if i.is_folder]

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        def by_url(seg: Segment) -> Node:
            name = str(seg.arg("url"))
            return folder_at(self.site, name if name.startswith("/") else f"{self.url}/{name}")

        return {"getbyurl": by_url}


def file_at(site: Site, url: str) -> FileRes:
    """The file at a server-relative URL, or SharePoint's 404."""
    lst = lookup.list_for_url(site, url)
    item = lookup.item_at(site, lst, url) if lst else None
    if item is None or item.is_folder:
        raise file_not_found(url)
    return FileRes(site, lst, item)


def file_by_id(site: Site, unique_id: str) -> FileRes:
    """The file whose ``UniqueId`` is ``unique_id``."""
    found = lookup.by_unique_id(site, unique_id)
    if found is None or found[1].is_folder:
        raise not_found()
    return FileRes(site, *found)


def folder_at(site: Site, url: str) -> FolderRes:
    """The folder (or library root folder) at a server-relative URL."""
    lst = lookup.list_for_url(site, url)
    if lst is None:
        raise not_found()
    if url.rstrip("/").lower() == lst.root_url.lower():
        return FolderRes(site, lst, None)
    item = lookup.item_at(site, lst, url)
    if item is None or not item.is_folder:
        raise not_found()
    return FolderRes(site, lst, item)
