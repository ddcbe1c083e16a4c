"""The change log over REST: ``CurrentChangeToken`` and ``POST …/GetChanges`` on a site, web
or list, with an ``SP.ChangeQuery`` body exactly as clients send it.

A token older than the tenant's retention (or expired by an ``expire_change_tokens`` fault),
or of another object, is refused with
``SPInvalidChangeTokenException`` when ``tenant.expired_token_behaviour`` is ``"error"`` (the
documented behaviour) and silently answered with no changes when it is ``"silent"`` (the
SharePoint Online bug, sp-dev-docs #10389). A malformed token is always refused.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Response

from emulator import changelog as cl
from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import invalid_change_token, invalid_query, method_not_allowed
from emulator.sharepoint.odata import Complex, Entity, collection_body, json_response
from emulator.sharepoint.resources import Node
from emulator.tenant import Site, SPList

DEFAULT_FETCH_LIMIT = 1000
_KIND_FLAGS = {"item": "item", "list": "list", "web": "web", "group": "group", "user": "user",
               "site": "site"}
_TYPE_FLAGS = {
    cl.ADD: ("add",), cl.UPDATE: ("update",), cl.DELETE_OBJECT: ("deleteobject",),
    cl.RENAME: ("rename",), cl.MOVE_AWAY: ("move",), cl.MOVE_INTO: ("move",),
    cl.RESTORE: ("restore",), cl.ASSIGNMENT_ADD: ("roleassignmentadd",),
    cl.ASSIGNMENT_DELETE: ("roleassignmentdelete",), cl.MEMBER_ADD: ("groupmembershipadd",),
    cl.MEMBER_DELETE: ("groupmembershipdelete",), cl.SYSTEM_UPDATE: ("systemupdate",),
    cl.SCOPE_ADD: ("securitypolicy", "roleassignmentadd"),
    cl.SCOPE_DELETE: ("securitypolicy", "roleassignmentdelete"),
}
_OBJECT_EXPECTED = ("An unexpected 'PrimitiveValue' node was found when reading from the JSON "
                    "reader. A 'StartObject' node was expected.")


def current_token(site: Site, scope: int, object_id: str, ctx: Ctx) -> Complex:
    """``CurrentChangeToken``: now, and the newest change number of the site's log."""
    value = cl.format_token(scope, object_id, ctx.tenant.clock.now(), site.changes.last_number())
    return Complex("SP.ChangeToken", {"StringValue": value})


class Changes(Node):
    """``GetChanges`` of a site (scope 1), web (2) or list (3); POST only."""

    def __init__(self, site: Site, scope: int, object_id: str, lst: SPList | None = None) -> None:
        self.site, self.scope, self.object_id, self.lst = site, scope, object_id, lst

    def get(self, ctx: Ctx) -> Response:
        raise method_not_allowed("GET", "GetChanges")

    def post(self, ctx: Ctx) -> Response:
        body = {k.lower(): v for k, v in ctx.body().items()}
        for name in body:
            if name != "query":
                raise invalid_query(f"The parameter {name} does not exist in method GetChanges.")
        query = body.get("query")
        if not isinstance(query, dict):
            raise invalid_query(_OBJECT_EXPECTED if query is not None
                                else "The parameter query does not exist in method GetChanges.")
        flags = {k.lower(): v for k, v in query.items()}
        changes = self._select(ctx, flags)
        entities = [self._entity(c, ctx) for c in changes]
        return json_response(collection_body(entities, ctx.fmt, None, ctx.metadata_url),
                             ctx.fmt)

    def _start(self, ctx: Ctx, flags: dict) -> int | None:
        """The change number to start after; None when the token must answer nothing."""
        token = _token_text(flags.get("changetokenstart"))
        if token is None:
            return 0
        try:
            scope, object_id, moment, number = cl.parse_token(token)
        except cl.InvalidChangeToken as exc:
            raise invalid_change_token("The change token is invalid.") from exc
        problem = None
        if (scope, object_id) != (self.scope, self.object_id.lower()):
            problem = "The change token refers to a different object."
        elif (moment < ctx.tenant.clock.now() - timedelta(days=ctx.tenant.change_retention_days)
              or ctx.state.faults.change_tokens_expired()):
            problem = "The changeToken refers to a time before the start of the current change log."
        if problem is None:
            return number
        if ctx.tenant.expired_token_behaviour == "silent":
            return None
        raise invalid_change_token(problem)

    def _select(self, ctx: Ctx, flags: dict) -> list[cl.Change]:
        start = self._start(ctx, flags)
        if start is None:
            return []
        end_text = _token_text(flags.get("changetokenend"))
        end = None
        if end_text is not None:
            try:
                end = cl.parse_token(end_text)[3]
            except cl.InvalidChangeToken as exc:
                raise invalid_change_token("The change token is invalid.") from exc
        oldest = ctx.tenant.clock.now() - timedelta(days=ctx.tenant.change_retention_days)
        limit = _int(flags.get("fetchlimit")) or DEFAULT_FETCH_LIMIT
        found = [c for c in self.site.changes.since(start)
                 if (end is None or c.number <= end) and c.time >= oldest
                 and self._in_scope(c) and _wanted(c, flags)]
        if flags.get("latestfirst") is True:
            found.reverse()
        return found[:limit]

    def _in_scope(self, change: cl.Change) -> bool:
        if self.scope == cl.SCOPE_LIST:
            return change.list_id == self.object_id and change.kind in ("item", "list")
        if self.scope == cl.SCOPE_WEB:
            return change.web_id == self.site.web_id
        return True

    def _entity(self, change: cl.Change, ctx: Ctx) -> Entity:
        token = Complex("SP.ChangeToken",
                        {"StringValue": change.token(self.scope, self.object_id)})
        base = {"ChangeToken": token, "ChangeType": change.change_type,
                "SiteId": change.site_id, "Time": change.time}
        type_name, extra = _details(self.site, change)
        uri = ctx.api(f"{type_name}{change.number}")
        return Entity(type_name, uri, base | extra)


def _details(site: Site, change: cl.Change) -> tuple[str, dict]:
    if change.kind == "item":
        return "SP.ChangeItem", {
            "Editor": "", "EditorEmailHint": None, "ItemId": change.item_id,
            "ListId": change.list_id, "ServerRelativeUrl": "", "SharedByUser": None,
            "SharedWithUsers": None, "UniqueId": change.unique_id, "WebId": change.web_id}
    if change.kind == "list":
        lst = site.lists.get(change.list_id)
        return "SP.ChangeList", {
            "BaseTemplate": lst.base_template if lst else 0, "Editor": "",
            "Hidden": lst.hidden if lst else False, "IsRecycleBinOperation": False,
            "ListId": change.list_id, "RootFolderUrl": lst.root_url if lst else "",
            "Title": lst.title if lst else "", "WebId": change.web_id}
    if change.kind == "group":
        return "SP.ChangeGroup", {"GroupId": change.group_id}
    if change.kind == "user":
        return "SP.ChangeUser", {"Activate": False, "UserId": change.user_id}
    if change.kind == "web":
        return "SP.ChangeWeb", {"WebId": change.web_id}
    return "SP.ChangeSite", {}


def _wanted(change: cl.Change, flags: dict) -> bool:
    kind = _KIND_FLAGS.get(change.kind)
    if kind is None or flags.get(kind) is not True:
        return False
    return any(flags.get(name) is True for name in _TYPE_FLAGS.get(change.change_type, ()))


def _token_text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid_query(_OBJECT_EXPECTED)
    text = {k.lower(): v for k, v in value.items()}.get("stringvalue")
    return text if isinstance(text, str) and text else None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
