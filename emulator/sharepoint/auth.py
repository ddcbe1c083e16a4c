"""SharePoint's check of the bearer token: an app-only token of this tenant's Entra ID for the
SharePoint resource, and the app's right to the site (``Sites.*.All`` or ``Sites.Selected``).

Failures answer as SharePoint Online does: 401 with a ``WWW-Authenticate: Bearer realm=…``
challenge and ``x-ms-diagnostics``, or 403 ``System.UnauthorizedAccessException``.
"""

from __future__ import annotations

from dataclasses import dataclass

import jwt

from emulator.sharepoint.errors import ACCESS_DENIED_MESSAGE, SharePointError, access_denied
from emulator.state import EmulatorState

SHAREPOINT_APP_ID = "00000003-0000-0ff1-ce00-000000000000"
_TRUSTED_ISSUERS = ("00000001-0000-0000-c000-000000000000@*,"
                    "D3776938-3DBA-481F-A652-4BEDFCAB7CD8@*,https://sts.windows.net/*/,"
                    "https://login.microsoftonline.com/*/v2.0,"
                    "00000003-0000-0ff1-ce00-000000000000@90140122-8516-11e1-8eff-49304924019b")
FULL_CONTROL_ROLES = {"Sites.FullControl.All"}
READ_ROLES = {"Sites.Read.All", "Sites.ReadWrite.All", "Sites.Manage.All"}


@dataclass(frozen=True)
class Grant:
    """Who called and what they may do on the site."""

    claims: dict
    full_control: bool


def _challenge(state: EmulatorState, diagnostics: str | None, payload: dict) -> SharePointError:
    headers = {"WWW-Authenticate": (
        f'Bearer realm="{state.tenant_id}",client_id="{SHAREPOINT_APP_ID}",'
        f'trusted_issuers="{_TRUSTED_ISSUERS}",'
        f'authorization_uri="{state.login_url}/common/oauth2/authorize"')}
    if diagnostics:
        headers["x-ms-diagnostics"] = diagnostics
    return SharePointError(401, "-2147024891, System.UnauthorizedAccessException",
                           ACCESS_DENIED_MESSAGE, headers, payload)


def _invalid(state: EmulatorState, code: str, reason: str, description: str) -> SharePointError:
    return _challenge(state, f'{code};reason="{reason}";category="invalid_client"',
                      {"error_description": description})


def _claims(state: EmulatorState, authorization: str | None) -> dict:
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        denied = {"error": {"code": "-2147024891, System.UnauthorizedAccessException",
                            "message": {"lang": "en-US", "value": ACCESS_DENIED_MESSAGE}}}
        raise _challenge(state, None, denied)
    audiences = [state.sharepoint_url, state.sharepoint_url + "/"]
    try:
        claims = state.signer.verify(token.strip(), audience=audiences)
    except jwt.ExpiredSignatureError as exc:
        raise _invalid(state, "3000003", "Invalid JWT token. The token is expired.",
                       "Invalid JWT token. The token is expired.") from exc
    except jwt.InvalidAudienceError as exc:
        audience = jwt.decode(token.strip(), options={"verify_signature": False}).get("aud")
        raise _invalid(state, "3000003", f"Invalid audience Uri '{audience}'.",
                       "Exception of type 'Microsoft.IdentityModel.Tokens."
                       "AudienceUriValidationFailedException' was thrown.") from exc
    except jwt.PyJWTError as exc:
        raise _invalid(state, "3000006", "Token contains invalid signature.",
                       "Invalid issuer or signature.") from exc
    if claims.get("tid", state.tenant_id) != state.tenant_id:
        raise _invalid(state, "3000006", "Token contains invalid signature.",
                       "Invalid issuer or signature.")
    if claims["iat"] < state.tokens_revoked_before:
        raise _invalid(state, "3000003", "Invalid JWT token. The token is expired.",
                       "Invalid JWT token. The token is expired.")
    return claims


def authenticate(state: EmulatorState, authorization: str | None, site_path: str) -> Grant:
    """Check the ``Authorization`` header for a request to the site at ``site_path``."""
    claims = _claims(state, authorization)
    roles = set(claims.get("roles") or [])
    if roles & FULL_CONTROL_ROLES:
        return Grant(claims, True)
    if "Sites.Selected" in roles:
        app = state.tenant.directory.apps.get(claims.get("appid") or claims.get("azp") or "")
        granted = {s.rstrip("/").lower() for s in (app.granted_sites if app else ())}
        if site_path.rstrip("/").lower() in granted:
            return Grant(claims, True)
        raise access_denied()
    if roles & READ_ROLES:
        return Grant(claims, False)
    raise access_denied()
