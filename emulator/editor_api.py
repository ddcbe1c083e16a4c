"""The editor API: change the emulated tenant over HTTP, as editors would in SharePoint.

Every route is under ``/_emulator/``, takes and returns JSON, and needs
``Authorization: Bearer <editor key>`` (``state.editor_key``, also written to
``<data dir>/credentials/editor-key.txt``). Items are addressed by ``site`` (name or
``/sites/<name>``), ``list`` (title or server-relative URL) and ``item`` (id), or by ``url``
(server-relative URL of a file, folder or page; it implies site and list). Mutations hold
``tenant.lock`` and go through :mod:`emulator.editing`, so each is in the site's change log;
Entra group membership changes only the directory, as in Microsoft 365.
"""

from __future__ import annotations

import base64
import functools
import hmac
import html
import re
from collections.abc import Callable
from datetime import timedelta

from flask import Blueprint, Response, abort, jsonify, request
from werkzeug.exceptions import HTTPException

from emulator import editing
from emulator.editor_targets import (
    Target,
    editor,
    entra_group,
    item_json,
    login,
    resolve,
    user,
)
from emulator.sample.canvas import page, rich_text
from emulator.state import current_state
from emulator.tenant import DOCUMENT_LIBRARY, ROLE_BY_NAME, SITE_PAGES, SPList, Tenant

blueprint = Blueprint("editor_api", __name__, url_prefix="/_emulator")

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


@blueprint.before_request
def _authenticate() -> Response | None:
    expected = f"Bearer {current_state().editor_key}".encode()
    given = request.headers.get("Authorization", "").encode()
    if current_state().editor_key and hmac.compare_digest(given, expected):
        return None
    response = jsonify(error="the editor API needs 'Authorization: Bearer <editor key>'")
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="emulator editor API"'
    return response


@blueprint.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> tuple[Response, int]:
    return jsonify(error=exc.description), exc.code


@blueprint.errorhandler(ValueError)
def _refused(exc: ValueError) -> tuple[Response, int]:
    return jsonify(error=str(exc)), 400


def _body() -> dict:
    body = request.get_json(silent=True) if request.data else {}
    if not isinstance(body, dict):
        abort(400, "the body must be a JSON object")
    return body


def _field(body: dict, name: str):
    if body.get(name) in (None, ""):
        abort(400, f"missing field {name!r}")
    return body[name]


def mutation(view: Callable[[Tenant, dict], tuple[dict, int] | dict]) -> Callable:
    """Run ``view(tenant, body)`` under the tenant lock and answer its result as JSON."""

    @functools.wraps(view)
    def wrapper(**kwargs) -> tuple[Response, int]:
        tenant = current_state().tenant
        with tenant.lock:
            result = view(tenant, _body(), **kwargs)
        payload, status = result if isinstance(result, tuple) else (result, 200)
        return jsonify(payload), status

    return wrapper


# --- news ------------------------------------------------------------------------------

def _canvas(body: dict) -> str | None:
    if body.get("html") is not None:
        return page([rich_text(body["html"])])
    if body.get("text") is not None:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body["text"]) if p.strip()]
        return page([rich_text("".join(f"<p>{html.escape(p)}</p>" for p in paragraphs))])
    return None


def _page_name(lst: SPList, title: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", title.lower().translate(_DANISH)).strip("-") or "nyhed"
    name, number = f"{stem}.aspx", 1
    while lst.item_by_url(f"{lst.root_url}/{name}") is not None:
        number += 1
        name = f"{stem}-{number}.aspx"
    return name


def _audiences(tenant: Tenant, body: dict) -> list[str]:
    return [entra_group(tenant, ref).id for ref in body.get("audiences") or []]


@blueprint.post("/news")
@mutation
def create_news(tenant: Tenant, body: dict) -> tuple[dict, int]:
    """Create a news page (published unless ``publish`` is false) with a rich-text canvas."""
    t = resolve(tenant, {"site": _field(body, "site")})
    title = _field(body, "title")
    lst = editing.site_pages(t.site)
    item = editing.add_page(
        tenant, t.site, body.get("name") or _page_name(lst, title), title,
        _canvas(body) or page([]), editor(tenant, body), body.get("description", ""),
        body.get("banner", ""), body.get("banner_alt", ""), body.get("news", True),
        _audiences(tenant, body), publish=body.get("publish", True))
    return item_json(Target(t.site, lst, item)), 201


@blueprint.post("/news/edit")
@mutation
def edit_news(tenant: Tenant, body: dict) -> dict:
    """Save a new version of a page: a draft, or published if ``publish`` (the default)."""
    t = resolve(tenant, body, SITE_PAGES)
    fields = {k: body[v] for k, v in (("Title", "title"), ("Description", "description"))
              if v in body}
    if (canvas := _canvas(body)) is not None:
        fields["CanvasContent1"] = canvas
    if "audiences" in body:
        fields["_ModernAudienceAadObjectIds"] = _audiences(tenant, body)
    if "banner" in body:
        fields["BannerImageUrl"] = {"Url": body["banner"], "Description": body.get(
            "banner_alt") or body["banner"]} if body["banner"] else None
    editing.save_version(tenant, t.site, t.lst, t.item, editor(tenant, body), fields,
                         publish=body.get("publish", True))
    return item_json(t)


# --- documents and items ---------------------------------------------------------------

def _content(body: dict) -> bytes | None:
    if body.get("content_base64") is not None:
        return base64.b64decode(body["content_base64"], validate=True)
    if body.get("text") is not None:
        return body["text"].encode()
    return None


@blueprint.post("/documents")
@mutation
def upload_document(tenant: Tenant, body: dict) -> tuple[dict, int]:
    """Upload a file (bytes as base64, or text; generated text if neither) to a library."""
    t = resolve(tenant, body, DOCUMENT_LIBRARY, need_item=False)
    name = _field(body, "name")
    content = _content(body)
    if content is None:
        content = f"{name}\n\nUploaded through the emulator's editor API.\n".encode()
    item = editing.add_file(tenant, t.site, t.lst, body.get("folder", ""), name, content,
                            editor(tenant, body), fields=body.get("fields"),
                            publish=body.get("publish", True))
    return item_json(Target(t.site, t.lst, item)), 201


@blueprint.post("/documents/edit")
@mutation
def edit_document(tenant: Tenant, body: dict) -> dict:
    """Save a new version of a file with new bytes and/or field values."""
    t = resolve(tenant, body, DOCUMENT_LIBRARY)
    editing.save_version(tenant, t.site, t.lst, t.item, editor(tenant, body),
                         body.get("fields"), _content(body), publish=body.get("publish", True))
    return item_json(t)


@blueprint.post("/folders")
@mutation
def add_folder(tenant: Tenant, body: dict) -> tuple[dict, int]:
    """Create a folder; ``path`` is relative to the library root."""
    t = resolve(tenant, body, DOCUMENT_LIBRARY, need_item=False)
    item = editing.add_folder(tenant, t.site, t.lst, _field(body, "path"), editor(tenant, body))
    return item_json(Target(t.site, t.lst, item)), 201


@blueprint.post("/items/<action>")
@mutation
def change_item(tenant: Tenant, body: dict, action: str) -> dict:
    """Publish, unpublish, delete, rename or move a file, folder or page."""
    t = resolve(tenant, body)
    if action == "publish":
        editing.publish(tenant, t.site, t.lst, t.item, editor(tenant, body))
    elif action == "unpublish":
        editing.unpublish(tenant, t.site, t.lst, t.item, editor(tenant, body))
    elif action == "delete":
        editing.delete_item(tenant, t.site, t.lst, t.item)
        return {"deleted": t.item.id, "url": t.item.file_ref,
                "change": t.site.changes.last_number()}
    elif action == "rename":
        editing.rename_item(tenant, t.site, t.lst, t.item, _field(body, "name"))
    elif action == "move":
        return _move(tenant, body, t)
    else:
        abort(404, f"no item action {action!r}")
    return item_json(t)


def _move(tenant: Tenant, body: dict, t: Target) -> dict:
    if body.get("library"):
        other = resolve(tenant, {"site": t.site.url, "list": body["library"]}, need_item=False)
        if other.lst is not t.lst:
            moved = editing.move_to_library(tenant, t.site, t.lst, t.item, other.lst,
                                            editor(tenant, body))
            t = Target(t.site, other.lst, moved)
    folder = body.get("folder")
    if folder is not None and f"{t.lst.root_url}/{folder.strip('/')}".rstrip("/") != t.item.dir:
        editing.move_item(tenant, t.site, t.lst, t.item, folder)
    return item_json(t)


# --- permissions and groups ------------------------------------------------------------

@blueprint.post("/permissions/<action>")
@mutation
def change_permissions(tenant: Tenant, body: dict, action: str) -> dict:
    """Break or reset inheritance, grant or revoke, on a web, list or item."""
    t = resolve(tenant, body, need_item=False)
    if action in ("break", "reset") and t.lst is None:
        abort(400, "inheritance is broken or reset on a list or an item")
    if action == "break":
        editing.break_inheritance(tenant, t.site, t.lst, t.item, body.get("copy", True))
    elif action == "reset":
        editing.reset_inheritance(tenant, t.site, t.lst, t.item)
    elif action == "grant":
        role = body.get("role", "Read")
        if role not in ROLE_BY_NAME:
            abort(400, f"no role {role!r}; one of {', '.join(ROLE_BY_NAME)}")
        editing.grant(tenant, t.site, t.lst, t.item, login(tenant, body), role)
    elif action == "revoke":
        editing.revoke(tenant, t.site, t.lst, t.item, login(tenant, body))
    else:
        abort(404, f"no permission action {action!r}")
    scope = t.item or t.lst or t.site
    return {"site": t.site.url, "unique": scope.role_assignments is not None,
            "role_assignments": [{"principal_id": a.principal_id, "role_ids": a.role_ids}
                                 for a in scope.role_assignments or []],
            "change": t.site.changes.last_number()}


@blueprint.route("/sharepoint-groups/members", methods=["POST", "DELETE"])
@mutation
def sharepoint_group_member(tenant: Tenant, body: dict) -> dict:
    """Add (POST) or remove (DELETE) a user or Entra group in ``sharepoint_group``."""
    t = resolve(tenant, {"site": _field(body, "site")})
    change = (editing.add_group_member if request.method == "POST"
              else editing.remove_group_member)
    change(tenant, t.site, _field(body, "sharepoint_group"), login(tenant, body))
    group = t.site.group_by_title(body["sharepoint_group"])
    return {"site": t.site.url, "sharepoint_group": group.title, "group_id": group.id,
            "members": [t.site.principals[m].login_name for m in group.members],
            "change": t.site.changes.last_number()}


@blueprint.route("/entra-groups/members", methods=["POST", "DELETE"])
@mutation
def entra_group_member(tenant: Tenant, body: dict) -> dict:
    """Add (POST) or remove (DELETE) a user in an Entra group: the directory only."""
    group = entra_group(tenant, _field(body, "group"))
    member = user(tenant, _field(body, "user"))
    if request.method == "POST":
        group.members.add(member.oid)
    else:
        group.members.discard(member.oid)
    return {"group": group.id, "name": group.name, "members": sorted(group.members)}


# --- clock, settings and faults --------------------------------------------------------

@blueprint.get("/clock")
def clock() -> Response:
    """The emulated time."""
    return jsonify(now=current_state().tenant.clock.now().isoformat())


@blueprint.post("/clock/advance")
@mutation
def advance_clock(tenant: Tenant, body: dict) -> dict:
    """Move emulated time forward (``days``, ``hours``, ``minutes``, ``seconds``)."""
    delta = timedelta(**{k: float(body.get(k, 0)) for k in ("days", "hours", "minutes",
                                                              "seconds")})
    if delta < timedelta():
        abort(400, "the clock only moves forward")
    tenant.clock.advance(delta)
    return {"now": tenant.clock.now().isoformat()}


@blueprint.route("/settings", methods=["GET", "PUT"])
@mutation
def settings(tenant: Tenant, body: dict) -> dict:
    """Read or set ``expired_token_behaviour`` ("error"/"silent") and change retention."""
    behaviour = body.get("expired_token_behaviour", tenant.expired_token_behaviour)
    if behaviour not in ("error", "silent"):
        abort(400, "expired_token_behaviour is 'error' or 'silent'")
    retention = int(body.get("change_retention_days", tenant.change_retention_days))
    if retention < 1:
        abort(400, "change_retention_days must be at least 1")
    tenant.expired_token_behaviour, tenant.change_retention_days = behaviour, retention
    return {"expired_token_behaviour": behaviour, "change_retention_days": retention}


@blueprint.route("/faults", methods=["GET", "POST", "DELETE"])
def faults() -> tuple[Response, int]:
    """List the rules and counts (GET), add a rule (POST), or clear them (DELETE)."""
    state = current_state().faults
    if request.method == "POST":
        body = _body()
        try:
            rule = state.add(_field(body, "kind"), **{k: v for k, v in body.items()
                                                      if k != "kind"})
        except TypeError as exc:
            abort(400, str(exc))
        return jsonify(rule.to_dict()), 201
    if request.method == "DELETE":
        state.clear(reset_counts=request.args.get("counts") == "1")
    return jsonify(rules=[r.to_dict() for r in state.rules], injected=state.injected()), 200


@blueprint.delete("/faults/<int:rule_id>")
def remove_fault(rule_id: int) -> tuple[Response, int]:
    """Remove one fault rule."""
    if not current_state().faults.remove(rule_id):
        abort(404, f"no fault rule {rule_id}")
    return jsonify(removed=rule_id), 200
