"""The browser side of sign-in: the authorize endpoint with its account picker, and sign-out.

There are no passwords: the picker lists the tenant's users and the tester picks one. The last
pick is remembered in the emulator's session cookie, so an authorize request without
``prompt`` signs that user in silently, which is what makes a shared kiosk dangerous.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Response, render_template, request

from emulator.directory import App, User
from emulator.entra.claims import client_info
from emulator.entra.errors import EntraError, error_page, redirect_error, respond_to_client
from emulator.entra.registry import check_redirect_uri, check_tenant, find_app, uri_matches
from emulator.entra.scopes import delegated_scope
from emulator.entra.store import AuthorizationCode, entra_store
from emulator.state import EmulatorState, current_state

SESSION_COOKIE = "ESTSAUTH"
RESPONSE_MODES = ("query", "fragment", "form_post")
PROMPTS = ("login", "select_account", "consent", "none")


@dataclass(frozen=True)
class Client:
    """The app an authorize request comes from, and where its answer goes."""

    app: App
    redirect_uri: str
    response_mode: str


def _client(state: EmulatorState, tenant: str, params: dict[str, str]) -> Client:
    """Check what decides where errors can go; errors here are shown, not redirected."""
    check_tenant(state, tenant)
    app = find_app(state, params.get("client_id"))
    redirect_uri = check_redirect_uri(app, params.get("redirect_uri"))
    mode = params.get("response_mode") or "query"
    if mode not in RESPONSE_MODES:
        raise EntraError("invalid_request", 70007,
                         f"The value '{mode}' is not a supported response_mode. Supported "
                         "values are: 'query', 'fragment', 'form_post'.")
    return Client(app, redirect_uri, mode)


def _check_request(params: dict[str, str]) -> None:
    """Check the protocol parameters: response type, scope, PKCE (required) and prompt."""
    response_type = params.get("response_type")
    if not response_type:
        raise EntraError("invalid_request", 900144, "The request body must contain the "
                         "following parameter: 'response_type'.")
    if response_type != "code":
        code = 700054 if "id_token" in response_type.split() else 700051
        raise EntraError("unsupported_response_type", code,
                         f"response_type '{response_type}' is not enabled for the application.")
    delegated_scope(params.get("scope"))
    challenge = params.get("code_challenge")
    if not challenge or params.get("code_challenge_method") != "S256":
        raise EntraError("invalid_request", 50147,
                         "This application requires Proof Key for Code Exchange: send "
                         "'code_challenge' with 'code_challenge_method' = 'S256'.")
    if len(challenge) != 43:
        raise EntraError("invalid_request", 501491, "Invalid size of Code_Challenge parameter.")
    if params.get("prompt") and params["prompt"] not in PROMPTS:
        raise EntraError("invalid_request", 90023,
                         f"Invalid request. The value '{params['prompt']}' of the 'prompt' "
                         "parameter is not supported.")


def _signed_in_user(state: EmulatorState, params: dict[str, str],
                    chosen: str | None) -> User | None:
    """The user to sign in now, or None to show the picker."""
    users = state.tenant.directory.users
    if chosen is not None:
        return users.get(chosen)
    if params.get("prompt") in ("login", "select_account", "consent"):
        return None
    remembered = entra_store(state).session_user(request.cookies.get(SESSION_COOKIE))
    user = users.get(remembered or "")
    hint = (params.get("login_hint") or "").lower()
    if user is not None and hint and user.upn.lower() != hint:
        user = None
    if user is None and params.get("prompt") == "none":
        raise EntraError("login_required", 50058,
                         "A silent sign-in request was sent but no user is signed in.")
    return user


def _picker(state: EmulatorState, client: Client, params: dict[str, str]) -> Response:
    hint = (params.get("login_hint") or "").lower()
    users = sorted(state.tenant.directory.users.values(),
                   key=lambda u: (u.upn.lower() != hint, u.name.lower()))
    html = render_template("entra/signin.html", app=client.app, tenant=state.tenant.name,
                           users=users, params=params, action=request.path, hint=hint)
    return Response(html, mimetype="text/html", headers={"Cache-Control": "no-store"})


def _issue_code(state: EmulatorState, client: Client, params: dict[str, str],
                user: User) -> Response:
    store = entra_store(state)
    session = request.cookies.get(SESSION_COOKIE)
    new_session = store.session_user(session) != user.oid
    if new_session:
        store.end_session(session)
        session = store.start_session(user.oid)
    code = store.add_code(AuthorizationCode(
        client.app.client_id, client.redirect_uri, user.oid, params["scope"],
        params.get("nonce"), params["code_challenge"], state.tenant.clock.now()))
    answer = {"code": code}
    if params.get("client_info") == "1":
        answer["client_info"] = client_info(state, user)
    if "state" in params:
        answer["state"] = params["state"]
    answer["session_state"] = str(uuid.uuid5(uuid.NAMESPACE_OID, session))
    response = respond_to_client(client.redirect_uri, client.response_mode, answer)
    if new_session:
        response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="Lax", path="/")
    return response


def authorize(tenant: str) -> Response:
    """``GET|POST /<tenant>/oauth2/v2.0/authorize``: sign a user in and send a code."""
    state = current_state()
    params = request.values.to_dict()
    chosen = params.pop("user", None) if request.method == "POST" else None
    try:
        client = _client(state, tenant, params)
    except EntraError as error:
        return error_page(error)
    try:
        _check_request(params)
        user = _signed_in_user(state, params, chosen)
    except EntraError as error:
        return redirect_error(error, client.redirect_uri, client.response_mode,
                              params.get("state"))
    if user is None:
        return _picker(state, client, params)
    return _issue_code(state, client, params, user)


def _logout_target_allowed(state: EmulatorState, uri: str, client_id: str | None) -> bool:
    """Whether an app (``client_id``'s, or any) registered ``uri`` for after sign-out."""
    apps = [a for a in state.tenant.directory.apps.values()
            if client_id is None or a.client_id == client_id]
    return any(uri_matches(registered, uri) for app in apps
               for registered in app.post_logout_redirect_uris + app.redirect_uris)


def logout(tenant: str) -> Response:
    """``GET|POST /<tenant>/oauth2/v2.0/logout``: forget the sign-in, then go back or say so.

    Only a URI an app registered is followed (a redirect URI or a post-logout one, with the
    loopback port ignored); otherwise the "signed out" page is shown, as Entra does.
    """
    state = current_state()
    try:
        check_tenant(state, tenant)
    except EntraError as error:
        return error_page(error)
    entra_store(state).end_session(request.cookies.get(SESSION_COOKIE))
    target = request.values.get("post_logout_redirect_uri")
    if target and _logout_target_allowed(state, target, request.values.get("client_id")):
        if "state" in request.values:
            separator = "&" if "?" in target else "?"
            target += separator + urlencode({"state": request.values["state"]})
        response = Response(status=302, headers={"Location": target})
    else:
        html = render_template("entra/message.html", title="Log ud",
                               heading="Du er logget ud af din konto",
                               text="Det er en god idé at lukke alle browservinduer.")
        response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="Lax")
    return response
