"""Sites: the site and web behind a URL, and the sites associated with a hub site."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from office365.sharepoint.client_context import ClientContext

from indexer.sharepoint.constants import (
    HUB_SEARCH_PROPERTIES,
    HUB_SEARCH_QUERY,
    MAX_PAGES,
    NO_HUB,
    SEARCH_ROW_LIMIT,
    SITE_FIELDS,
    WEB_FIELDS,
)
from indexer.sharepoint.values import plain


@dataclass(frozen=True)
class SiteInfo:
    """A site collection and its root web."""

    id: str
    web_id: str
    title: str
    url: str  # absolute
    server_relative_url: str
    hub_site_id: str | None  # the hub the site belongs to (its own id for a hub), or None
    is_hub_site: bool


@dataclass(frozen=True)
class SiteRef:
    """A site found by search."""

    id: str
    title: str
    url: str


def site_info(ctx: ClientContext) -> SiteInfo:
    """The site and web of ``ctx`` (two requests)."""
    site = ctx.site.select(list(SITE_FIELDS)).get()
    web = ctx.web.select(list(WEB_FIELDS)).get()
    ctx.execute_query()
    site_values, web_values = plain(site), plain(web)
    hub = site_values.get("HubSiteId") or NO_HUB
    return SiteInfo(
        id=site_values["Id"], web_id=web_values["Id"], title=web_values.get("Title", ""),
        url=web_values["Url"], server_relative_url=web_values["ServerRelativeUrl"],
        hub_site_id=None if hub == NO_HUB else hub,
        is_hub_site=bool(site_values.get("IsHubSite")))


def hub_sites(ctx: ClientContext, hub_site_id: str) -> list[SiteRef]:
    """Every site associated with the hub, the hub itself included, found by search."""
    sites: dict[str, SiteRef] = {}
    for page in range(MAX_PAGES):
        params = {
            "querytext": _quoted(HUB_SEARCH_QUERY.format(hub_id=hub_site_id)),
            "selectproperties": _quoted(",".join(HUB_SEARCH_PROPERTIES)),
            "rowlimit": SEARCH_ROW_LIMIT, "startrow": page * SEARCH_ROW_LIMIT,
            "trimduplicates": "false",
        }
        response = ctx.pending_request().execute_request(
            "search/query?" + urlencode(params, quote_via=quote))
        rows, total = _search_rows(response.json())
        for cells in rows:
            found = SiteRef(id=cells.get("SiteId", ""), title=cells.get("Title", ""),
                            url=cells.get("SPSiteUrl", ""))
            sites.setdefault(found.url.lower(), found)
        if not rows or (page + 1) * SEARCH_ROW_LIMIT >= total:
            break
    return sorted(sites.values(), key=lambda s: s.url.lower())


def _quoted(text: str) -> str:
    """A string literal of the search query string syntax."""
    return "'" + text.replace("'", "''") + "'"


def _results(value: Any) -> list:
    """A collection in either JSON form: ``{"results": [...]}`` (verbose) or a list."""
    if isinstance(value, dict):
        value = value.get("results", [])
    return value if isinstance(value, list) else []


def _search_rows(body: dict) -> tuple[list[dict[str, Any]], int]:
    """The cells of each row of a search answer, and the total row count."""
    root = body.get("d", body)
    query = root.get("query", root)
    relevant = (query.get("PrimaryQueryResult") or {}).get("RelevantResults") or {}
    rows = [{cell["Key"]: cell.get("Value") for cell in _results(row.get("Cells"))}
            for row in _results((relevant.get("Table") or {}).get("Rows"))]
    return rows, int(relevant.get("TotalRows") or len(rows))
