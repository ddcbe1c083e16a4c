"""Checking the bearer tokens that SharePoint and Graph receive, as those services do."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import jwt

from emulator.entra.claims import v1_issuer
from emulator.entra.client_auth import SECRET
from emulator.entra.scopes import GRAPH_APP_ID, GRAPH_URIS, SHAREPOINT_APP_ID
from emulator.state import EmulatorState

SHAREPOINT_FORBIDDEN = "Attempted to perform an unauthorized operation."
GRAPH_MESSAGES = {
    "missing": "Access token is empty.",
    "invalid": "Access token validation failure.",
    "audience": "Access token validation failure. Invalid audience.",
    "expired": "Lifetime validation failed, the token is expired.",
    "revoked": "Continuous access evaluation resulted in challenge with result: "
               "InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp",
}


class BearerError(Exception):
    """A request the service refuses: HTTP ``status`` (401 or 403) and why.

    ``reason`` is one of "missing", "invalid", "audience", "expired", "revoked",
    "unsupported" (401) or "forbidden" (403). ``description`` is the service's wording and
    ``headers`` the response headers it sends with it (``WWW-Authenticate``, and SharePoint's
    ``x-ms-diagnostics``).
    """

    def __init__(self, status: int, reason: str, description: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(description)
        self.status, self.reason, self.description = status, reason, description
        self.headers = headers or {}


def _when(epoch: float) -> str:
    moment = datetime.fromtimestamp(epoch, UTC)
    return f"{moment.month}/{moment.day}/{moment.year} {moment.strftime('%I:%M:%S %p')}"


def _claims(state: EmulatorState, header: str | None, audiences: list[str]) -> dict:
    """Verify a bearer token's signature, issuer, tenant, audience and lifetime."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise BearerError(401, "missing", "The request has no bearer token.")
    try:
        claims = state.signer.verify(token.strip())
    except jwt.ExpiredSignatureError as exc:  # raised only once the signature checked out
        claims = jwt.decode(token.strip(), options={"verify_signature": False})
        raise BearerError(401, "expired", "The access token has expired. It's valid from "
                          f"'{_when(claims['nbf'])}' and to '{_when(claims['exp'])}'.") from exc
    except jwt.InvalidTokenError as exc:
        raise BearerError(401, "invalid", "Invalid issuer or signature.") from exc
    if claims.get("iss") != v1_issuer(state) or claims.get("tid") != state.tenant_id:
        raise BearerError(401, "invalid", "Invalid issuer or signature.")
    if claims.get("aud") not in audiences:
        raise BearerError(401, "audience", f"Invalid audience Uri '{claims.get('aud')}'.")
    if claims["iat"] < state.tokens_revoked_before:
        raise BearerError(401, "revoked", "The access token was issued before the user's or "
                          "app's tokens were revoked.")
    return claims


def _site_key(site: str) -> str:
    """``/sites/intranet`` for that path or the site's absolute URL, in any case."""
    return urlsplit(site).path.rstrip("/").lower()


def _sharepoint_headers(state: EmulatorState, error: BearerError) -> dict[str, str]:
    challenge = (f'Bearer realm="{state.tenant_id}",client_id="{SHAREPOINT_APP_ID}",'
                 f'trusted_issuers="00000001-0000-0000-c000-000000000000@*,'
                 f'https://sts.windows.net/*/,https://login.microsoftonline.com/*/v2.0",'
                 f'authorization_uri="{state.login_url}/common/oauth2/authorize"')
    headers = {"WWW-Authenticate": challenge}
    codes = {"expired": 3000002, "revoked": 3000002, "audience": 3000003, "invalid": 3000006,
             "unsupported": 3001000}
    if error.reason in codes:
        headers["x-ms-diagnostics"] = (f'{codes[error.reason]};reason="{error.description}";'
                                       'category="invalid_client"')
    return headers


def authenticate_sharepoint(state: EmulatorState, authorization_header: str | None,
                            site_path: str | None = None) -> dict:
    """Check the ``Authorization`` header of a SharePoint REST request; return the claims.

    ``site_path`` is the server-relative URL of the site the request acts on, such as
    ``/sites/intranet`` (None for a tenant-wide call); it is compared with the app's
    ``granted_sites`` without regard to case or a trailing slash, and absolute URLs work too.
    Raises :class:`BearerError`:

    * 401 "missing": no ``Bearer`` token; "invalid": malformed, badly signed, or another
      issuer or tenant; "audience": not issued for ``state.sharepoint_url``; "expired":
      past ``exp``; "revoked": ``iat`` before ``state.tokens_revoked_before``;
      "unsupported": an app-only token got with a client secret (``appidacr`` "1"), which
      SharePoint Online refuses with "Unsupported app only token." although Entra issues it;
    * 403 "forbidden": the app holds no SharePoint role, or only ``Sites.Selected`` and
      ``site_path`` is not in its ``granted_sites`` (checked live, as SharePoint does).

    The caller decides what to do with an expired token (``tenant.expired_token_behaviour``)
    and writes the response: ``error.status``, ``error.description``, ``error.headers``.
    """
    try:
        claims = _claims(state, authorization_header, [state.sharepoint_url])
        if claims.get("idtyp") == "app" and claims.get("appidacr") == SECRET:
            raise BearerError(401, "unsupported", "Unsupported app only token.")
    except BearerError as error:
        error.headers = _sharepoint_headers(state, error)
        raise
    roles = claims.get("roles", [])
    app = state.tenant.directory.apps.get(claims.get("appid", ""))
    granted = {_site_key(site) for site in app.granted_sites} if app else set()
    site_granted = site_path is not None and _site_key(site_path) in granted
    if "Sites.FullControl.All" in roles or ("Sites.Selected" in roles and site_granted):
        return claims
    raise BearerError(403, "forbidden", SHAREPOINT_FORBIDDEN)


def authenticate_graph(state: EmulatorState, authorization_header: str | None) -> dict:
    """Check a Microsoft Graph request's bearer token; raise :class:`BearerError` (401)."""
    try:
        return _claims(state, authorization_header, list(GRAPH_URIS))
    except BearerError as error:
        error.description = GRAPH_MESSAGES.get(error.reason, GRAPH_MESSAGES["invalid"])
        error.headers = {"WWW-Authenticate": (
            f'Bearer realm="", authorization_uri="{state.login_url}/common/oauth2/authorize", '
            f'client_id="{GRAPH_APP_ID}"')}
        raise
