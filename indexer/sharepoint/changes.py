"""Change tracking: GetChanges from a token, looped to the end, and the current tokens."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from office365.sharepoint.changes.change import Change as LibraryChange
from office365.sharepoint.changes.query import ChangeQuery
from office365.sharepoint.changes.token import ChangeToken
from office365.sharepoint.client_context import ClientContext
from office365.sharepoint.lists.list import List
from office365.sharepoint.sites.site import Site

from indexer.sharepoint.constants import (
    CHANGE_FETCH_LIMIT,
    CHANGE_TYPES,
    ITEM_CHANGE_QUERY,
    MAX_PAGES,
    SITE_CHANGE_QUERY,
)
from indexer.sharepoint.errors import TooManyResults
from indexer.sharepoint.values import plain


@dataclass(frozen=True)
class Change:
    """One entry of SharePoint's change log.

    ``kind`` is the change class: ``item``, ``list``, ``web``, ``site``, ``group`` or
    ``user``; ``change_type`` the SP.ChangeType name (``add``, ``update``, ``delete``,
    ``rename``, ``move_into``, ``assignment_add``, ``member_add``…).
    """

    kind: str
    change_type: str
    token: str
    time: str
    list_id: str = ""
    item_id: int = 0
    unique_id: str = ""
    group_id: int = 0
    user_id: int = 0


def _change(entry: LibraryChange) -> Change:
    values = plain(entry)
    kind = type(entry).__name__.removeprefix("Change").lower() or "unknown"
    return Change(
        kind=kind, change_type=CHANGE_TYPES.get(int(values.get("ChangeType", 0)), "unknown"),
        token=(values.get("ChangeToken") or {}).get("StringValue", ""),
        time=values.get("Time", ""), list_id=values.get("ListId", ""),
        item_id=int(values.get("ItemId") or 0), unique_id=values.get("UniqueId", ""),
        group_id=int(values.get("GroupId") or 0), user_id=int(values.get("UserId") or 0))


def _all_changes(ctx: ClientContext, source: List | Site, query: Mapping[str, bool], token: str,
                 fetch_limit: int) -> list[Change]:
    """GetChanges from ``token`` on a site or list, again from the last token, to the end."""
    found: list[Change] = []
    for _ in range(MAX_PAGES):
        batch = source.get_changes(ChangeQuery(
            **query, FetchLimit=fetch_limit, ChangeTokenStart=ChangeToken(token)))
        ctx.execute_query()
        changes = [_change(entry) for entry in batch]
        found += changes
        if len(changes) < fetch_limit or not changes[-1].token:
            return found
        token = changes[-1].token
    raise TooManyResults(f"more than {MAX_PAGES * fetch_limit} changes after one token")


def list_changes(ctx: ClientContext, list_id: str, token: str,
                 fetch_limit: int = CHANGE_FETCH_LIMIT) -> list[Change]:
    """The item changes of a list after ``token`` (ChangeTokenExpired, via the client)."""
    source = ctx.web.lists.get_by_id(list_id)
    return _all_changes(ctx, source, ITEM_CHANGE_QUERY, token, fetch_limit)


def site_changes(ctx: ClientContext, token: str,
                 fetch_limit: int = CHANGE_FETCH_LIMIT) -> list[Change]:
    """Every change of the site collection after ``token``: items of every list, lists, the
    web, SharePoint groups, users and permissions (``Site.GetChanges``)."""
    return _all_changes(ctx, ctx.site, SITE_CHANGE_QUERY, token, fetch_limit)


def current_token(ctx: ClientContext, list_id: str | None = None) -> str:
    """The CurrentChangeToken of a list, or of the site when ``list_id`` is None."""
    source = ctx.web.lists.get_by_id(list_id) if list_id else ctx.site
    source.select(["CurrentChangeToken"]).get()
    ctx.execute_query()
    return plain(source)["CurrentChangeToken"]["StringValue"]
