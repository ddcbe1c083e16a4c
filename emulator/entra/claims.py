"""The claims of the tokens Entra ID issues: app-only and delegated access tokens, id tokens."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import uuid

from emulator.directory import App, User
from emulator.entra.scopes import GRAPH_APP_ID, SHAREPOINT_ROLES, DelegatedScope, Resource
from emulator.state import EmulatorState

# Above this many groups a JWT carries the overage claims instead of ``groups``.
GROUP_CLAIM_LIMIT = 200


def b64url(data: bytes) -> str:
    """Base64url without padding, as JWTs and ``client_info`` use."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def v1_issuer(state: EmulatorState) -> str:
    """The issuer of v1.0 access tokens (SharePoint, Graph)."""
    return f"https://sts.windows.net/{state.tenant_id}/"


def v2_issuer(state: EmulatorState) -> str:
    """The issuer of v2.0 id tokens, as discovery announces it."""
    return f"{state.login_url}/{state.tenant_id}/v2.0"


def pairwise_sub(state: EmulatorState, client_id: str, oid: str) -> str:
    """The ``sub`` of a user: stable per user and app, different across apps."""
    digest = hashlib.sha256(f"{state.tenant_id}|{client_id}|{oid}".encode()).digest()
    return b64url(digest)


def service_principal_id(state: EmulatorState, client_id: str) -> str:
    """The object id of the app's service principal in this tenant (``oid`` of app tokens)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{state.tenant_id}/servicePrincipals/{client_id}"))


def client_info(state: EmulatorState, user: User) -> str:
    """msal's ``client_info``: base64url JSON of the user's and the tenant's ids."""
    return b64url(json.dumps({"uid": user.oid, "utid": state.tenant_id}).encode())


def _unique_token_id() -> str:
    return b64url(secrets.token_bytes(16))


def app_token_claims(state: EmulatorState, app: App, resource: Resource,
                     appidacr: str) -> dict:
    """An app-only v1.0 access token; roles from ``app.sharepoint_access`` for SharePoint.

    ``appidacr`` is how the app proved itself: "1" client secret, "2" certificate.
    """
    oid = service_principal_id(state, app.client_id)
    claims = {"aud": resource.audience, "iss": v1_issuer(state),
              "app_displayname": app.name, "appid": app.client_id, "appidacr": appidacr,
              "idp": v1_issuer(state), "idtyp": "app", "oid": oid, "sub": oid,
              "tid": state.tenant_id, "uti": _unique_token_id(), "ver": "1.0"}
    roles = SHAREPOINT_ROLES.get(app.sharepoint_access, []) if resource.kind == "sharepoint" else []
    if roles:
        claims["roles"] = roles
    return claims


def user_access_claims(state: EmulatorState, app: App, user: User, scope: DelegatedScope,
                       appidacr: str) -> dict:
    """A delegated v1.0 access token for Microsoft Graph."""
    given, _, family = user.name.partition(" ")
    return {"aud": GRAPH_APP_ID, "iss": v1_issuer(state), "acct": 0, "acr": "1",
            "amr": ["pwd"], "app_displayname": app.name, "appid": app.client_id,
            "appidacr": appidacr, "family_name": family, "given_name": given, "idtyp": "user",
            "name": user.name, "oid": user.oid, "scp": scope.granted,
            "sub": pairwise_sub(state, GRAPH_APP_ID, user.oid), "tid": state.tenant_id,
            "unique_name": user.upn, "upn": user.upn, "uti": _unique_token_id(), "ver": "1.0"}


def group_claims(state: EmulatorState, user: User) -> dict:
    """``groups``, or for more than 200 groups the overage claims that point to Graph."""
    groups = sorted(g.id for g in state.tenant.directory.groups_of(user.oid))
    if len(groups) <= GROUP_CLAIM_LIMIT:
        return {"groups": groups}
    endpoint = f"{state.graph_url}/v1.0/users/{user.oid}/getMemberObjects"
    return {"_claim_names": {"groups": "src1"},
            "_claim_sources": {"src1": {"endpoint": endpoint}}}


def id_token_claims(state: EmulatorState, app: App, user: User, scope: DelegatedScope,
                    nonce: str | None) -> dict:
    """A v2.0 id token for the app that signed the user in."""
    claims = {"aud": app.client_id, "iss": v2_issuer(state), "name": user.name,
              "oid": user.oid, "preferred_username": user.upn,
              "sub": pairwise_sub(state, app.client_id, user.oid), "tid": state.tenant_id,
              "uti": _unique_token_id(), "ver": "2.0"}
    if nonce:
        claims["nonce"] = nonce
    if "email" in scope.oidc:
        claims["email"] = user.upn
    return claims | group_claims(state, user)
