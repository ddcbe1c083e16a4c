"""Libraries: the visible document libraries of a web, and its Site Pages library."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from office365.sharepoint.client_context import ClientContext

from indexer.sharepoint.constants import (
    DOCUMENT_LIBRARY,
    LIBRARY_EXPAND,
    LIBRARY_FIELDS,
    SITE_PAGES_URL,
)
from indexer.sharepoint.values import plain


@dataclass(frozen=True)
class Library:
    """A document library or Site Pages."""

    id: str
    title: str
    url: str  # server-relative URL of the root folder, e.g. /sites/intranet/Shared Documents
    base_template: int
    item_count: int
    last_item_modified: str | None

    @property
    def url_name(self) -> str:
        """The last segment of the URL, which, unlike the title, is not localised."""
        return self.url.rstrip("/").rsplit("/", 1)[-1]


def _library(values: dict) -> Library:
    return Library(
        id=values["Id"], title=values.get("Title", ""),
        url=(values.get("RootFolder") or {}).get("ServerRelativeUrl", ""),
        base_template=int(values.get("BaseTemplate", 0)),
        item_count=int(values.get("ItemCount") or 0),
        last_item_modified=values.get("LastItemModifiedDate"))


def document_libraries(ctx: ClientContext, names: Collection[str] = ()) -> list[Library]:
    """The web's document libraries that are not hidden, or only those whose title or URL name
    is in ``names`` (compared case-insensitively)."""
    lists = (ctx.web.lists.filter(f"BaseTemplate eq {DOCUMENT_LIBRARY} and Hidden eq false")
             .select(list(LIBRARY_FIELDS)).expand(list(LIBRARY_EXPAND)).get())
    ctx.execute_query()
    found = [_library(values) for values in plain(lists)
             if values.get("BaseTemplate") == DOCUMENT_LIBRARY and not values.get("Hidden")]
    wanted = {name.lower() for name in names}
    if wanted:
        found = [lib for lib in found
                 if lib.title.lower() in wanted or lib.url_name.lower() in wanted]
    return found


def site_pages(ctx: ClientContext, web_path: str) -> Library:
    """The Site Pages library, found by its URL under ``web_path`` (e.g. ``/sites/intranet``)."""
    lst = (ctx.web.get_list(f"{web_path.rstrip('/')}/{SITE_PAGES_URL}")
           .select(list(LIBRARY_FIELDS)).expand(list(LIBRARY_EXPAND)).get())
    ctx.execute_query()
    return _library(plain(lst))
