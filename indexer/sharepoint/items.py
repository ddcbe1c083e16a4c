"""List items: every item of a list page by page, one item, and an item's versions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from office365.runtime.paths.v3.entity import EntityPath
from office365.sharepoint.client_context import ClientContext
from office365.sharepoint.listitems.listitem import ListItem

from indexer.sharepoint.constants import MAX_PAGES, PAGE_SIZE
from indexer.sharepoint.errors import TooManyResults
from indexer.sharepoint.values import plain


def list_items(ctx: ClientContext, list_id: str, fields: Sequence[str], expand: Sequence[str],
               page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES) -> Iterator[dict]:
    """Every item of a list, oldest id first, fetched ``page_size`` at a time.

    The library follows ``__next`` (``$skiptoken``). When a full page comes without it, the
    library falls back to ``$skip``, which SharePoint ignores on list items: the first page
    comes back, and the first repeated id ends the listing.
    """
    collection = (ctx.web.lists.get_by_id(list_id).items
                  .select(list(fields)).expand(list(expand)).paged(page_size).get())
    ctx.execute_query()
    seen: set[int] = set()
    for item in collection:
        values = plain(item)
        if values["Id"] in seen:
            return
        seen.add(values["Id"])
        if len(seen) > page_size * max_pages:
            raise TooManyResults(f"list {list_id} has more than {page_size * max_pages} items")
        yield values


def item_object(ctx: ClientContext, list_id: str, item_id: int) -> ListItem:
    """The item addressed as ``…/items(<id>)``."""
    items = ctx.web.lists.get_by_id(list_id).items
    return ListItem(ctx, EntityPath(int(item_id), items.resource_path))


def get_item(ctx: ClientContext, list_id: str, item_id: int, fields: Sequence[str],
             expand: Sequence[str]) -> dict:
    """One item with the given fields (NotFound, via the client, when it is gone)."""
    item = item_object(ctx, list_id, item_id).select(list(fields)).expand(list(expand)).get()
    ctx.execute_query()
    return plain(item)


def item_versions(ctx: ClientContext, list_id: str, item_id: int) -> list[dict]:
    """Every version of an item (``items(<id>)/versions``), newest first, with its fields."""
    versions = item_object(ctx, list_id, item_id).versions.get()
    ctx.execute_query()
    return sorted(plain(versions), key=lambda v: int(v.get("VersionId") or 0), reverse=True)


def is_published(version: dict) -> bool:
    """Whether a version is one readers see: a major version, approved if moderated."""
    label = str(version.get("VersionLabel") or version.get("OData__UIVersionString") or "")
    moderation = version.get("OData__ModerationStatus")
    return label.endswith(".0") and label != "0.0" and moderation in (None, 0)


def last_published(versions: Sequence[dict]) -> dict | None:
    """The newest published version of ``item_versions``' answer, or None if there is none."""
    return next((v for v in versions if is_published(v)), None)
