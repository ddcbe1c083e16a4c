"""Microsoft Graph, the part the intranet uses: ``/me``, ``getMemberObjects`` and userinfo.

Served on the https origin, with Graph's error shape. ``getMemberObjects`` is how a portal reads
the groups of a user whose id token carries the group overage claims instead of ``groups``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from flask import Blueprint, Response, jsonify, request

from emulator.bearer import BearerError, authenticate_graph
from emulator.directory import User
from emulator.entra.claims import pairwise_sub
from emulator.entra.registry import https_only
from emulator.state import EmulatorState, current_state

blueprint = Blueprint("graph", __name__)

# Permissions that let a caller read another user's group memberships.
DIRECTORY_READ = {"GroupMember.Read.All", "Directory.Read.All"}


class GraphError(Exception):
    """An error Graph answers with ``{"error": {"code", "message", "innerError"}}``."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


@blueprint.errorhandler(GraphError)
def _graph_error(error: GraphError) -> Response:
    request_id = str(uuid.uuid4())
    client_request_id = request.headers.get("client-request-id") or request_id
    response = jsonify({"error": {"code": error.code, "message": error.message, "innerError": {
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "request-id": request_id, "client-request-id": client_request_id}}})
    response.status_code = error.status
    response.headers.update(error.headers)
    response.headers.update({"request-id": request_id, "client-request-id": client_request_id})
    return response


def _caller(state: EmulatorState) -> dict:
    """The claims of the request's Graph token; GraphError 401 without a valid one."""
    try:
        return authenticate_graph(state, request.headers.get("Authorization"))
    except BearerError as error:
        raise GraphError(401, "InvalidAuthenticationToken", error.description,
                         error.headers) from error


def _signed_in_user(state: EmulatorState, claims: dict) -> User:
    if claims.get("idtyp") != "user":
        raise GraphError(400, "BadRequest",
                         "/me request is only valid with delegated authentication flow.")
    return _user(state, claims["oid"])


def _user(state: EmulatorState, user_id: str) -> User:
    directory = state.tenant.directory
    user = directory.users.get(user_id) or directory.user_by_upn(user_id)
    if user is None:
        raise GraphError(404, "Request_ResourceNotFound",
                         f"Resource '{user_id}' does not exist or one of its queried "
                         "reference-property objects are not present.")
    return user


def _member_objects(state: EmulatorState, user: User) -> Response:
    body = request.get_json(silent=True)
    security_only = body.get("securityEnabledOnly") if isinstance(body, dict) else None
    if not isinstance(security_only, bool):
        raise GraphError(400, "Request_BadRequest",
                         "The request body must give 'securityEnabledOnly' as true or false.")
    groups = [g for g in state.tenant.directory.groups_of(user.oid)
              if not (security_only and g.microsoft365)]
    return jsonify({"@odata.context": f"{state.graph_url}/v1.0/$metadata#Collection(Edm.String)",
                    "value": sorted(g.id for g in groups)})


@blueprint.get("/v1.0/me")
@https_only
def me() -> Response:
    """``GET /v1.0/me``: the signed-in user's profile."""
    state = current_state()
    user = _signed_in_user(state, _caller(state))
    given, _, family = user.name.partition(" ")
    return jsonify({"@odata.context": f"{state.graph_url}/v1.0/$metadata#users/$entity",
                    "businessPhones": [], "displayName": user.name, "givenName": given,
                    "jobTitle": user.job_title or None, "mail": user.upn, "mobilePhone": None,
                    "officeLocation": None, "preferredLanguage": None, "surname": family or None,
                    "userPrincipalName": user.upn, "id": user.oid})


@blueprint.post("/v1.0/me/getMemberObjects")
@https_only
def my_member_objects() -> Response:
    """``POST /v1.0/me/getMemberObjects``: the signed-in user's group ids."""
    state = current_state()
    return _member_objects(state, _signed_in_user(state, _caller(state)))


@blueprint.post("/v1.0/users/<user_id>/getMemberObjects")
@https_only
def member_objects(user_id: str) -> Response:
    """``POST /v1.0/users/{id|upn}/getMemberObjects``: oneself, or anyone with directory read."""
    state = current_state()
    claims = _caller(state)
    user = _user(state, user_id)
    own = claims.get("idtyp") == "user" and claims.get("oid") == user.oid
    granted = set(claims.get("scp", "").split()) | set(claims.get("roles", []))
    if not own and not granted & DIRECTORY_READ:
        raise GraphError(403, "Authorization_RequestDenied",
                         "Insufficient privileges to complete the operation.")
    return _member_objects(state, user)


@blueprint.route("/oidc/userinfo", methods=["GET", "POST"])
@https_only
def userinfo() -> Response:
    """``GET /oidc/userinfo``: OpenID Connect claims of the signed-in user."""
    state = current_state()
    claims = _caller(state)
    user = _signed_in_user(state, claims)
    if "openid" not in claims.get("scp", "").split():
        raise GraphError(403, "Authorization_RequestDenied",
                         "Insufficient privileges to complete the operation.")
    given, _, family = user.name.partition(" ")
    return jsonify({"sub": pairwise_sub(state, claims["appid"], user.oid), "name": user.name,
                    "family_name": family, "given_name": given, "email": user.upn})
