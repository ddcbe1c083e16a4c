"""SharePoint Online REST (``/_api``) for the emulated site collections.

Paths are ``/sites/<name>/_api/…`` or, for the root site collection, ``/_api/…``, matched
case-insensitively as SharePoint does. Every request needs an app-only bearer token for the
SharePoint resource. Answers are OData v3 JSON, verbose or light as the ``Accept`` header asks.
Only reads are served, except webhook subscriptions (PATCH, MERGE and DELETE, or POST with
``X-HTTP-Method``); other writes are refused with 405.
"""

from __future__ import annotations

import time
import uuid

from flask import Blueprint, Response, abort, request

from emulator.bearer import BearerError, authenticate_sharepoint
from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import (
    SharePointError,
    method_not_allowed,
    not_found,
    unauthorized,
)
from emulator.sharepoint.odata import Format, json_response, negotiate
from emulator.sharepoint.paths import split
from emulator.sharepoint.query import parse_options
from emulator.sharepoint.resources import Node
from emulator.sharepoint.webs import Root
from emulator.state import current_state
from emulator.tenant import Site

blueprint = Blueprint("sharepoint", __name__)
SERVER_VERSION = "16.0.0.25919"
# What each method (or X-HTTP-Method) asks of a node; writes other than these are refused.
_HANDLERS = {"GET": "get", "POST": "post", "PATCH": "patch", "MERGE": "patch",
             "DELETE": "delete"}


def _locate(path: str) -> tuple[str, str] | None:
    """Split ``sites/x/_api/web/lists`` into the site path and the part after ``_api``."""
    head = path.split("'", 1)[0]
    parts = head.split("/")
    for index, part in enumerate(parts):
        if part.lower() == "_api":
            site_path = "/".join(parts[:index]).strip("/")
            rest = path[len("/".join(parts[:index + 1])):].lstrip("/")
            return ("/" + site_path if site_path else ""), rest
    return None


def _site(site_path: str) -> Site:
    site = current_state().tenant.site_by_url(site_path or "/")
    if site is None:
        raise not_found()
    return site


def _walk(root: Node, rest: str, ctx: Ctx) -> Node:
    node = root
    for segment in split(rest, ctx.request.args):
        node = node.child(segment, ctx)
    return node


def _answer(site_path: str, rest: str, fmt: Format) -> Response:
    state = current_state()
    site = _site(site_path)
    try:
        claims = authenticate_sharepoint(state, request.headers.get("Authorization"),
                                         site.url or "/")
    except BearerError as error:
        raise unauthorized(error.status, error.description, error.headers) from error
    with state.tenant.lock:
        ctx = Ctx(state, site, request.host_url.rstrip("/"), fmt, parse_options(request.args),
                  request, app_id=claims.get("appid", ""))
        handler = _HANDLERS.get(ctx.verb)
        if handler is None:
            raise method_not_allowed(ctx.verb, rest.rsplit("/", 1)[-1] or "_api")
        return getattr(_walk(Root(site), rest, ctx), handler)(ctx)


@blueprint.route("/<path:path>", methods=["GET", "POST", "PATCH", "MERGE", "DELETE"])
def dispatch(path: str) -> Response:
    """Answer any ``…/_api/…`` request; anything else is not SharePoint's."""
    located = _locate(path)
    if located is None:
        abort(404)
    started = time.monotonic()
    fmt = negotiate(request.headers.get("Accept"))
    try:
        response = _answer(*located, fmt)
    except SharePointError as error:
        response = json_response(error.body(fmt.light), fmt, error.status, error.headers)
    correlation = str(uuid.uuid4())
    response.headers.update({
        "SPRequestGuid": correlation, "request-id": correlation,
        "SPRequestDuration": str(int((time.monotonic() - started) * 1000)),
        "SPIisLatency": "0", "X-SharePointHealthScore": "0",
        "MicrosoftSharePointTeamServices": SERVER_VERSION,
        "X-MS-InvokeApp": "1; RequireReadOnly", "X-Content-Type-Options": "nosniff"})
    if response.mimetype == "application/json":
        response.headers["DataServiceVersion"] = "3.0"
    return response
