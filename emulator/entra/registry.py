"""Looking up what a request names: the tenant, the app registration and its redirect URIs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import abort, request

from emulator.directory import App
from emulator.entra.errors import EntraError
from emulator.state import EmulatorState

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def https_only(view: Callable) -> Callable:
    """Serve ``view`` on the https origin only, as Microsoft serves these endpoints."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.scheme != "https":
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def check_tenant(state: EmulatorState, tenant: str, error: str = "invalid_tenant") -> None:
    """Accept the tenant id or the tenant's domain in the path; raise AADSTS90002 otherwise."""
    directory = state.tenant.directory
    if tenant.lower() not in {directory.tenant_id.lower(), directory.domain.lower()}:
        raise EntraError(
            error, 90002,
            f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and "
            "are signing into the correct cloud. Check with your subscription administrator, "
            "this may happen if there are no active subscriptions for the tenant.")


def find_app(state: EmulatorState, client_id: str | None, error: str = "unauthorized_client",
             status: int = 400) -> App:
    """The app registration ``client_id`` names; raise AADSTS900144 or AADSTS700016."""
    if not client_id:
        raise EntraError("invalid_request", 900144,
                         "The request body must contain the following parameter: 'client_id'.")
    app = state.tenant.directory.apps.get(client_id)
    if app is None:
        raise EntraError(
            error, 700016,
            f"Application with identifier '{client_id}' was not found in the directory "
            f"'{state.tenant.name}'. This can happen if the application has not been installed "
            "by the administrator of the tenant or consented to by any user in the tenant. You "
            "may have sent your authentication request to the wrong tenant.", status)
    return app


def uri_matches(registered: str, requested: str) -> bool:
    """Exact match, except that the port of an http loopback redirect URI is ignored."""
    if registered == requested:
        return True
    mine, theirs = urlsplit(registered), urlsplit(requested)
    loopback = mine.scheme == theirs.scheme == "http" and mine.hostname in LOOPBACK_HOSTS
    return (loopback and mine.hostname == theirs.hostname and mine.path == theirs.path
            and mine.query == theirs.query and not theirs.fragment)


def check_redirect_uri(app: App, redirect_uri: str | None) -> str:
    """Return ``redirect_uri`` if the app registered it; raise AADSTS50011 otherwise."""
    if not redirect_uri:
        raise EntraError("invalid_request", 900144,
                         "The request body must contain the following parameter: "
                         "'redirect_uri'.")
    if not any(uri_matches(uri, redirect_uri) for uri in app.redirect_uris):
        raise EntraError(
            "invalid_request", 50011,
            f"The redirect URI '{redirect_uri}' specified in the request does not match the "
            f"redirect URIs configured for the application '{app.client_id}'. Make sure the "
            "redirect URI sent in the request matches one added to your application in the "
            "Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more "
            "about how to fix this.")
    return redirect_uri
