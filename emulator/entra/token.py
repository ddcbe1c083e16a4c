"""The token endpoint: authorization code (with PKCE), refresh token and client credentials."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

from flask import Response, jsonify, request
from werkzeug.datastructures import MultiDict

from emulator.directory import App, User
from emulator.entra.claims import (
    app_token_claims,
    client_info,
    id_token_claims,
    user_access_claims,
)
from emulator.entra.client_auth import authenticate_client
from emulator.entra.errors import NO_STORE, EntraError, json_error
from emulator.entra.registry import check_tenant, find_app, https_only
from emulator.entra.scopes import app_only_resource, delegated_scope
from emulator.entra.store import CODE_LIFETIME, AuthorizationCode, RefreshGrant, entra_store
from emulator.state import EmulatorState, current_state


def _missing(name: str) -> EntraError:
    return EntraError("invalid_request", 900144,
                      f"The request body must contain the following parameter: '{name}'.")


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _user(state: EmulatorState, oid: str) -> User:
    user = state.tenant.directory.users.get(oid)
    if user is None:
        raise EntraError("invalid_grant", 50034,
                         f"The user account {oid} does not exist in the "
                         f"{state.tenant.directory.domain} directory.")
    return user


def _user_tokens(state: EmulatorState, app: App, user: User, scope_text: str,
                 nonce: str | None, appidacr: str, form: MultiDict) -> dict:
    """Access token for Graph, plus id token, refresh token and client_info as requested."""
    scope = delegated_scope(scope_text)
    lifetime = state.token_lifetime
    body = {"token_type": "Bearer", "scope": scope.granted, "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": state.signer.sign(
                user_access_claims(state, app, user, scope, appidacr), lifetime)}
    if "offline_access" in scope.oidc:
        body["refresh_token"] = entra_store(state).add_refresh_token(
            RefreshGrant(app.client_id, user.oid, scope_text, datetime.now(UTC).timestamp()))
    if "openid" in scope.oidc:
        body["id_token"] = state.signer.sign(
            id_token_claims(state, app, user, scope, nonce), lifetime)
    if form.get("client_info") == "1":
        body["client_info"] = client_info(state, user)
    return body


def _authorization_code(state: EmulatorState, app: App, appidacr: str,
                        form: MultiDict) -> dict:
    value, redirect_uri = form.get("code"), form.get("redirect_uri")
    verifier = form.get("code_verifier")
    if not value:
        raise _missing("code")

    def check(code: AuthorizationCode) -> None:
        if code.redeemed:
            raise EntraError("invalid_grant", 54005, "OAuth2 Authorization code was already "
                             "redeemed, please retry with a new valid code or use an existing "
                             "refresh token.")
        if code.client_id != app.client_id:
            raise EntraError("invalid_grant", 70000, "Provided grant is invalid or malformed.")
        if state.tenant.clock.now() - code.issued > CODE_LIFETIME:
            raise EntraError("invalid_grant", 70008, "The provided authorization code or "
                             "refresh token has expired due to inactivity. Send a new "
                             "interactive authorization request for this user and resource.")
        if redirect_uri != code.redirect_uri:
            raise EntraError("invalid_grant", 500112,
                             f"The reply address '{redirect_uri}' does not match the reply "
                             f"address '{code.redirect_uri}' provided when requesting "
                             "Authorization code.")
        if not verifier:
            raise _missing("code_verifier")
        if not hmac.compare_digest(_s256(verifier), code.code_challenge):
            raise EntraError("invalid_grant", 50148, "The code_verifier does not match the "
                             "code_challenge supplied in the authorization request for PKCE.")

    code = entra_store(state).redeem_code(value, check)
    if code is None:
        raise EntraError("invalid_grant", 70000,
                         "The provided value for the 'code' parameter is not valid.")
    return _user_tokens(state, app, _user(state, code.user_oid),
                        form.get("scope") or code.scope, code.nonce, appidacr, form)


def _refresh_token(state: EmulatorState, app: App, appidacr: str, form: MultiDict) -> dict:
    value = form.get("refresh_token")
    if not value:
        raise _missing("refresh_token")
    grant = entra_store(state).refresh_grant(value)
    if grant is None or grant.client_id != app.client_id:
        raise EntraError("invalid_grant", 9002313,
                         "Invalid request. Request is malformed or invalid.")
    if grant.issued < state.tokens_revoked_before:
        issued = datetime.fromtimestamp(grant.issued, UTC).isoformat()
        valid_from = datetime.fromtimestamp(state.tokens_revoked_before, UTC).isoformat()
        raise EntraError("invalid_grant", 50173,
                         "The provided grant has expired due to it being revoked, a fresh auth "
                         "token is needed. The user might have changed or reset their password. "
                         f"The grant was issued on '{issued}' and the TokensValidFrom date "
                         f"(before which tokens are not valid) for this user is '{valid_from}'.")
    return _user_tokens(state, app, _user(state, grant.user_oid),
                        form.get("scope") or grant.scope, None, appidacr, form)


def _client_credentials(state: EmulatorState, app: App, appidacr: str,
                        form: MultiDict) -> dict:
    resource = app_only_resource(state, form.get("scope"))
    lifetime = state.token_lifetime
    claims = app_token_claims(state, app, resource, appidacr)
    return {"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime,
            "access_token": state.signer.sign(claims, lifetime)}


GRANTS = {"authorization_code": _authorization_code, "refresh_token": _refresh_token,
          "client_credentials": _client_credentials}


def _issue(state: EmulatorState, tenant: str) -> dict:
    check_tenant(state, tenant, "invalid_request")
    form = request.form
    grant_type = form.get("grant_type")
    if not grant_type:
        raise _missing("grant_type")
    grant = GRANTS.get(grant_type)
    if grant is None:
        raise EntraError("unsupported_grant_type", 70003,
                         f"The app requested an unsupported grant type '{grant_type}'.")
    auth = request.authorization
    basic = (auth.username, auth.password) if auth and auth.type == "basic" else None
    app = find_app(state, form.get("client_id") or (basic[0] if basic else None))
    appidacr = authenticate_client(state, app, form, basic, grant_type)
    return grant(state, app, appidacr, form)


@https_only
def token(tenant: str) -> Response:
    """``POST /<tenant>/oauth2/v2.0/token``."""
    try:
        body = _issue(current_state(), tenant)
    except EntraError as error:
        return json_error(error)
    response = jsonify(body)
    response.headers.update(NO_STORE)
    return response
