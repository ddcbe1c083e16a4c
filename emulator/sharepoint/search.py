"""Tenant-wide services: the hub-site search the indexer uses, and ``SP.HubSites``.

Search answers the one query form that finds the sites of a hub,
``querytext='DepartmentId:{<hub id>} contentclass:STS_Site'``, in SharePoint search's real
result shape (``PrimaryQueryResult.RelevantResults.Table.Rows[].Cells[]``). Any other query
text matches nothing. Both ``/_api/search/query?querytext=…`` and the library's
``/_api/Microsoft.Office.Server.Search.REST.SearchService/query(querytext=…)`` are served.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from flask import Response

from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import invalid_query, not_found
from emulator.sharepoint.odata import Coll, Complex, json_response, value_body
from emulator.sharepoint.paths import Segment, literal
from emulator.sharepoint.resources import Collection, Node, Resource
from emulator.tenant import Site

_ZERO = "00000000-0000-0000-0000-000000000000"
_SOURCE_ID = "8413cd39-2156-4e00-b54d-11efd9abdb89"
_SITE_TEMPLATE = "~sitecollection/_catalogs/masterpage/Display Templates/Search/Item_Site.js"
_TERM = re.compile(r"(\w+):(\S+)")


def _kv(key: str, value: Any, value_type: str) -> Complex:
    return Complex("SP.KeyValue", {"Key": key, "Value": value, "ValueType": value_type})


def _keyvalues(values: list[Complex]) -> Coll:
    return Coll(values, "Collection(SP.KeyValue)")


def matching_sites(sites: list[Site], query_text: str) -> list[Site]:
    """The sites a ``DepartmentId:{…} contentclass:STS_Site`` query finds."""
    terms = {k.lower(): v.strip("{}\"'").lower() for k, v in _TERM.findall(query_text)}
    leftover = _TERM.sub("", query_text).strip()
    hub = terms.pop("departmentid", None)
    kind = terms.pop("contentclass", "sts_site")
    if leftover or terms or kind != "sts_site" or hub is None:
        return []
    return [s for s in sites if (s.hub_site_id or "").lower() == hub
            or (s.is_hub_site and s.id.lower() == hub)]


def _cells(site: Site, ctx: Ctx, selected: list[str], rank: int) -> Coll:
    url = ctx.absolute(site.url) if site.url else ctx.origin
    known = {"spsiteurl": (url, "Edm.String"), "title": (site.title, "Edm.String"),
             "siteid": (site.id, "Edm.String"), "webid": (site.web_id, "Edm.String"),
             "path": (url, "Edm.String"), "sitename": (url, "Edm.String"),
             "description": (site.description, "Edm.String"),
             "departmentid": (f"{{{site.hub_site_id or site.id}}}", "Edm.String"),
             "contentclass": ("STS_Site", "Edm.String")}
    cells = [_kv("Rank", f"{100 - rank * 0.5:.4f}", "Edm.Double"),
             _kv("DocId", str(17000 + rank), "Edm.Int64")]
    for name in selected:
        value, value_type = known.get(name.lower(), (None, "Null"))
        cells.append(_kv(name, value, value_type))
    cells += [_kv("OriginalPath", url, "Edm.String"), _kv("PartitionId", _ZERO, "Edm.Guid"),
              _kv("UrlZone", "0", "Edm.Int32"), _kv("Culture", "da-DK", "Edm.String"),
              _kv("ResultTypeId", "0", "Edm.Int32"),
              _kv("RenderTemplateId", _SITE_TEMPLATE, "Edm.String")]
    return _keyvalues(cells)


def search_result(ctx: Ctx, params: dict[str, Any]) -> Complex:
    """The ``SearchResult`` of a query whose parameters (lower-cased names) are ``params``."""
    query_text = str(params.get("querytext") or "")
    selected = [p.strip() for p in str(params.get("selectproperties") or "").split(",")
                if p.strip()]
    row_limit = int(params.get("rowlimit") or 10)
    start = int(params.get("startrow") or 0)
    found = matching_sites(list(ctx.tenant.sites.values()), query_text)
    page = found[start:start + row_limit]
    rows = [Complex("SP.SimpleDataRow", {"Cells": _cells(s, ctx, selected, start + i)})
            for i, s in enumerate(page)]
    relevant = Complex("Microsoft.Office.Server.Search.REST.RelevantResults", {
        "GroupTemplateId": None, "ItemTemplateId": None,
        "Properties": _keyvalues([_kv("GenerationId", "9223372036854775806", "Edm.Int64"),
                                  _kv("indexSystem", "", "Edm.String"),
                                  _kv("ExecutionTimeMs", "12", "Edm.Int32")]),
        "ResultTitle": None, "ResultTitleUrl": None, "RowCount": len(rows),
        "Table": Complex("SP.SimpleDataTable",
                         {"Rows": Coll(rows, "Collection(SP.SimpleDataRow)")}),
        "TotalRows": len(found), "TotalRowsIncludingDuplicates": len(found)})
    primary = Complex("Microsoft.Office.Server.Search.REST.QueryResult", {
        "CustomResults": Coll([], "Collection(Microsoft.Office.Server.Search.REST.CustomResult)"),
        "QueryId": str(uuid.uuid4()), "QueryRuleId": _ZERO, "RefinementResults": None,
        "RelevantResults": relevant, "SpecialTermResults": None})
    return Complex("Microsoft.Office.Server.Search.REST.SearchResult", {
        "ElapsedTime": 12, "PrimaryQueryResult": primary,
        "Properties": _keyvalues([_kv("RowLimit", str(row_limit), "Edm.Int32"),
                                  _kv("SourceId", _SOURCE_ID, "Edm.Guid"),
                                  _kv("WasGroupRestricted", "False", "Edm.Boolean")]),
        "SecondaryQueryResults": Coll(
            [], "Collection(Microsoft.Office.Server.Search.REST.QueryResult)"),
        "SpellingSuggestion": "", "TriggeredRules": Coll([], "Collection(Edm.Guid)")})


class Query(Node):
    """``search/query``: parameters from the query string or from the call's arguments."""

    def __init__(self, arguments: dict[str, Any]) -> None:
        self.arguments = arguments

    def get(self, ctx: Ctx) -> Response:
        params = dict(self.arguments)
        for name, value in ctx.request.args.items():
            if not name.startswith("$"):
                params[name.lower()] = literal(value, ctx.request.args)
        if "querytext" not in params:
            raise invalid_query("The parameter querytext does not exist in method query.")
        result = search_result(ctx, params)
        return json_response(value_body("query", result, ctx.fmt, ctx.metadata_url), ctx.fmt)


class SearchService(Node):
    """``/_api/search`` (or ``Microsoft.Office.Server.Search.REST.SearchService``)."""

    def child(self, seg: Segment, ctx: Ctx) -> Node:
        if seg.key == "query":
            return Query(dict(seg.kwargs))
        return super().child(seg, ctx)


class HubSiteRes(Resource):
    """``SP.HubSite``: a site registered as a hub."""

    type_name = "SP.HubSite"

    def __init__(self, site: Site) -> None:
        self.site = site

    def path(self, ctx: Ctx) -> str:
        return f"SP.HubSites/GetById('{self.site.id}')"

    def properties(self, ctx: Ctx) -> dict:
        site = self.site
        return {"Description": site.description, "ID": site.id, "LogoUrl": "",
                "ParentHubSiteId": _ZERO, "RequiresJoinApproval": False,
                "SiteDesignId": _ZERO, "SiteId": site.id,
                "SiteUrl": ctx.absolute(site.url) if site.url else ctx.origin, "Targets": None,
                "TenantInstanceId": _ZERO, "Title": site.title}


class HubSites(Collection):
    """``/_api/SP.HubSites``: every hub site of the tenant."""

    def members(self, ctx: Ctx) -> list[Resource]:
        return [HubSiteRes(s) for s in ctx.tenant.sites.values() if s.is_hub_site]

    def by_id(self, value: Any, ctx: Ctx) -> Node:
        for site in ctx.tenant.sites.values():
            if site.is_hub_site and site.id.lower() == str(value).lower():
                return HubSiteRes(site)
        raise not_found()

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        return {"getbyid": lambda seg: self.by_id(seg.arg("hubSiteId"), ctx)}
