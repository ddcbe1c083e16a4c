"""Entra ID's errors: an AADSTS code and message, answered as JSON, as a redirect or as a page."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from urllib.parse import urlencode

from flask import Response, has_request_context, jsonify, render_template, request

# Token endpoint responses must never be cached (RFC 6749 section 5.1).
NO_STORE = {"Cache-Control": "no-store, no-cache", "Pragma": "no-cache"}


class EntraError(Exception):
    """An error Entra ID reports: OAuth ``error``, AADSTS ``code``, message and HTTP status."""

    def __init__(self, error: str, code: int, message: str, status: int = 400) -> None:
        super().__init__(f"AADSTS{code}: {message}")
        self.error, self.code, self.message, self.status = error, code, message, status
        self.trace_id = str(uuid.uuid4())
        sent = request.headers.get("client-request-id") if has_request_context() else None
        self.correlation_id = sent or str(uuid.uuid4())
        self.timestamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")

    @property
    def description(self) -> str:
        """``error_description`` as Entra writes it, with trace, correlation id and time."""
        return (f"AADSTS{self.code}: {self.message}\r\nTrace ID: {self.trace_id}\r\n"
                f"Correlation ID: {self.correlation_id}\r\nTimestamp: {self.timestamp}")

    @property
    def error_uri(self) -> str:
        """Microsoft's page about this code."""
        return f"https://login.microsoftonline.com/error?code={self.code}"

    def body(self) -> dict:
        """The JSON error body of the token and discovery endpoints."""
        return {"error": self.error, "error_description": self.description,
                "error_codes": [self.code], "timestamp": self.timestamp,
                "trace_id": self.trace_id, "correlation_id": self.correlation_id,
                "error_uri": self.error_uri}


def json_error(error: EntraError) -> Response:
    """Answer a back-channel request (token, discovery) with Entra's JSON error."""
    response = jsonify(error.body())
    response.status_code = error.status
    response.headers.update(NO_STORE)
    return response


def error_page(error: EntraError) -> Response:
    """Show the error in the browser, for requests Entra cannot redirect back."""
    html = render_template("entra/message.html", title="Log ind",
                           heading="Beklager, men vi har problemer med at logge dig på.",
                           error=error)
    return Response(html, status=400, mimetype="text/html")


def respond_to_client(redirect_uri: str, response_mode: str, params: dict[str, str]) -> Response:
    """Send ``params`` to the app's redirect URI: query, fragment or an auto-submitted form."""
    if response_mode == "form_post":
        html = render_template("entra/form_post.html", action=redirect_uri, params=params)
        return Response(html, mimetype="text/html", headers={"Cache-Control": "no-store"})
    separator = "#" if response_mode == "fragment" else ("&" if "?" in redirect_uri else "?")
    return Response(status=302, headers={"Location": redirect_uri + separator + urlencode(params),
                                         "Cache-Control": "no-store"})


def redirect_error(error: EntraError, redirect_uri: str, response_mode: str,
                   state: str | None) -> Response:
    """Send an authorization error back to a redirect URI the app registered."""
    params = {"error": error.error, "error_description": error.description,
              "error_uri": error.error_uri}
    if state is not None:
        params["state"] = state
    return respond_to_client(redirect_uri, response_mode, params)
