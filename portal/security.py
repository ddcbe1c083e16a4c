"""Security on every response: CSRF on every POST, the headers, no-store, secure cookies.

Also gzip for text responses (the pages are small; on a weak connection every byte counts).
"""

from __future__ import annotations

import gzip
import time

from flask import Flask, current_app, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from portal.composed import ComposedResponse

csrf = CSRFProtect()

COMPRESSIBLE = frozenset({"text/html", "text/css", "text/plain", "application/javascript",
                          "text/javascript", "application/json", "image/svg+xml"})
MIN_COMPRESS_BYTES = 500
RENEW_EVERY = 60  # seconds between renewals of a persistent session cookie
RENEWALS_KEPT = 10_000  # sessions whose last renewal a process remembers
HSTS = "max-age=31536000; includeSubDomains"


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, Secure whenever the request came over https.

    A persistent cookie is renewed (re-signed, its expiry moved on) when the session changed
    or at most every RENEW_EVERY seconds, not on every request: the idle limit itself is kept
    by the session store on the server. The time of the last renewal is in the cookie, and
    each process also remembers it per session (by a hash of the session id), so a client
    that keeps sending the cookie it had is not sent a new one on every request either.
    """

    def __init__(self) -> None:
        self._renewed: dict[int, int] = {}

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """Whether to send the cookie again on this response."""
        if not session.permanent:
            return session.modified
        now = int(time.time())
        user = session.get("_user_id")
        key = hash(user) if user else None
        last = max(int(session.get("_renewed", 0)), self._renewed.get(key, 0))
        if session.modified or now - last >= RENEW_EVERY:
            session["_renewed"] = now
            if key is not None:
                self._remember(key, now)
            return True
        return False

    def _remember(self, key: int, now: int) -> None:
        if len(self._renewed) >= RENEWALS_KEPT:  # forget renewals too old to matter
            self._renewed = {k: t for k, t in self._renewed.items() if now - t < RENEW_EVERY}
            if len(self._renewed) >= RENEWALS_KEPT:
                self._renewed = {}
        self._renewed[key] = now

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure over https (also behind a trusted proxy), and when configured."""
        return request.is_secure or super().get_cookie_secure(app)


def content_security_policy() -> str:
    """No inline script or style, no framing; forms may go to us and to Entra ID only."""
    entra = current_app.extensions["portal.entra"]
    form_targets = " ".join(["'self'", *sorted(entra.form_targets())])
    return ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; manifest-src 'self'; base-uri 'none'; object-src 'none'; "
            f"form-action {form_targets}; frame-ancestors 'none'")


def _security_headers(response: Response) -> Response:
    headers = response.headers
    if response.mimetype == "text/html":
        headers["Content-Security-Policy"] = content_security_policy()
    else:
        headers.setdefault("Content-Security-Policy",
                           "default-src 'none'; frame-ancestors 'none'; sandbox")
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = HSTS
    if "Cache-Control" not in headers:  # static files and images set their own
        headers["Cache-Control"] = "no-store"
        headers.add("Vary", "Cookie")
    return response


def _compress(response: Response) -> Response:
    if (response.direct_passthrough or response.is_streamed or response.status_code < 200
            or response.status_code in (204, 304) or "Content-Encoding" in response.headers
            or response.mimetype not in COMPRESSIBLE
            or "gzip" not in request.headers.get("Accept-Encoding", "")):
        return response
    body = response.get_data()
    if len(body) < MIN_COMPRESS_BYTES:
        return response
    composed = response.gzipped() if isinstance(response, ComposedResponse) else None
    response.set_data(composed or gzip.compress(body, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def init_app(app: Flask) -> None:
    """CSRF protection, the session cookie, proxy headers, security headers and gzip."""
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the token lives as long as the session
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    csrf.init_app(app)
    app.session_interface = SessionInterface()
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.after_request(_compress)
    app.after_request(_security_headers)  # runs first: after_request runs in reverse order
