"""Turning SharePoint list items into index documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlsplit

from indexer.document import Document, make_id
from indexer.extract import parse_canvas
from indexer.sharepoint.libraries import Library
from indexer.sharepoint.sites import SiteInfo

NEWS_PROMOTED_STATE = 2


@dataclass(frozen=True)
class Place:
    """Where items come from: the site and the library."""

    site: SiteInfo
    library: Library

    @property
    def origin(self) -> str:
        """``scheme://host`` of the site, for absolute links."""
        parts = urlsplit(self.site.url)
        return f"{parts.scheme}://{parts.netloc}"

    def doc_id(self, unique_id: str) -> str:
        """The stable document id of an item of this library."""
        return make_id(self.site.id, self.library.id, unique_id)

    def link(self, server_relative_url: str) -> str:
        """The absolute SharePoint URL of a server-relative path."""
        return self.origin + quote(server_relative_url, safe="/-_.~()'!*")


def version_of(item: dict) -> tuple[int, int]:
    """(major, minor) of an item's ``OData__UIVersionString``, (0, 0) if unreadable."""
    label = str(item.get("OData__UIVersionString") or "0.0")
    major, _, minor = label.partition(".")
    try:
        return int(major), int(minor or 0)
    except ValueError:
        return 0, 0


def is_folder(item: dict) -> bool:
    """Whether a list item is a folder."""
    return int(item.get("FSObjType") or 0) == 1


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _person(value: dict | None) -> str:
    """A person's display name from an expanded user or a version's user field value."""
    if not isinstance(value, dict):
        return ""
    return value.get("Title") or value.get("LookupValue") or ""


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _alt_text(banner: dict, banner_url: str) -> str:
    """The banner's alt text; SharePoint repeats the URL there when an editor gave none."""
    text = (banner.get("Description") or "") if banner_url else ""
    return "" if text.startswith(("/", "http:", "https:")) else text


def document_record(place: Place, item: dict, acl: frozenset[str], text: str,
                    extract_error: str | None) -> Document:
    """The record of a file in a document library."""
    name = item.get("FileLeafRef") or ""
    file_info = item.get("File") or {}
    return Document(
        id=place.doc_id(item["UniqueId"]), kind="document",
        title=item.get("Title") or name.rsplit(".", 1)[0], url=place.link(item["FileRef"]),
        site_id=place.site.id, list_id=place.library.id, item_id=int(item["Id"]),
        modified=_when(item.get("Modified")), created=_when(item.get("Created")),
        body=text, site_title=place.site.title, site_url=place.site.url,
        library=place.library.title, path=item.get("FileRef") or "",
        file_type=_extension(name), size=int(file_info.get("Length") or 0),
        author=_person(item.get("Author")), version=item.get("OData__UIVersionString") or "",
        acl=sorted(acl), extract_error=extract_error,
        unique_permissions=bool(item.get("HasUniqueRoleAssignments")))


def page_record(place: Place, item: dict, acl: frozenset[str]) -> Document:
    """The record of a modern page (news when promoted), from its published field values."""
    link = place.link(item["FileRef"])
    canvas = parse_canvas(item.get("CanvasContent1") or "", link)
    banner = item.get("BannerImageUrl") or {}
    news = int(float(item.get("PromotedState") or 0)) == NEWS_PROMOTED_STATE
    banner_url = banner.get("Url", "") if isinstance(banner, dict) else ""
    if banner_url.endswith("/_layouts/15/images/sitepagethumbnail.png"):
        banner_url = ""  # SharePoint's placeholder, not an image of the page
    audiences = item.get("OData__ModernAudienceAadObjectIds") or []
    return Document(
        id=place.doc_id(item["UniqueId"]), kind="news" if news else "page",
        title=item.get("Title") or item.get("FileLeafRef", ""), url=link,
        site_id=place.site.id, list_id=place.library.id, item_id=int(item["Id"]),
        modified=_when(item.get("Modified")), created=_when(item.get("Created")),
        published=_when(item.get("FirstPublishedDate")) if news else None,
        description=item.get("Description") or "", body=canvas.text, html=canvas.html,
        site_title=place.site.title, site_url=place.site.url, library=place.library.title,
        path=item.get("FileRef") or "", author=_person(item.get("Author")),
        banner=banner_url, banner_alt=_alt_text(banner, banner_url),
        version=item.get("OData__UIVersionString") or "", acl=sorted(acl),
        audiences=[a for a in audiences if isinstance(a, str)], extract_error=canvas.error,
        unique_permissions=bool(item.get("HasUniqueRoleAssignments")))
