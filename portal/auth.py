"""Sign-in with Entra ID (auth code + PKCE through msal), sign-out, and the idle expiry page.

Flask-Login holds the signed-in user; its user id is the session id of the session store.
Every endpoint needs a signed-in user except those in :data:`PUBLIC_ENDPOINTS`.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from portal.entra import Entra
from portal.errors import error_page
from portal.identity import AnswerRejected, SignInError
from portal.session_factory import open_store
from portal.sessions import SessionRecord, Sessions, idle_limit, is_kiosk_address

log = logging.getLogger(__name__)
blueprint = Blueprint("auth", __name__, url_prefix="/auth")

PUBLIC_ENDPOINTS = frozenset({"auth.signin", "auth.callback", "auth.expired", "status.live",
                              "status.ready", "metrics.scrape", "assets.static",
                              "i18n.set_language", "webhooks.sharepoint"})


class User(UserMixin):
    """The signed-in user of one request."""

    def __init__(self, session_id: str, record: SessionRecord, idle_seconds: float) -> None:
        self.session_id = session_id
        self.oid = record.identity.oid
        self.name = record.identity.name
        self.username = record.identity.username
        self.principals = record.identity.principals
        self.kiosk = record.kiosk
        self.idle_seconds = idle_seconds
        self.expires_at = record.last_seen + idle_seconds

    def seconds_left(self) -> int:
        """Seconds until the session ends unless the user makes another request."""
        return max(0, int(self.expires_at - store().clock()))

    def get_id(self) -> str:
        """Flask-Login's user id: the session id."""
        return self.session_id


def entra() -> Entra:
    """This app's Entra ID client."""
    return current_app.extensions["portal.entra"]


def store() -> Sessions:
    """This app's session store."""
    return current_app.extensions["portal.sessions"]


def safe_next(target: str | None) -> str:
    """``target`` if it is a path in the portal, else ``/``: never another host."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if any(c == "\\" or c.isspace() or ord(c) < 32 or ord(c) == 127 for c in target):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL of the portal: on PORTAL_URL if set, else on the request's host."""
    base = current_app.config["PORTAL_URL"]
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def _load_user(session_id: str) -> User | None:
    record = store().get(session_id)
    if record is None:
        return None
    limit = idle_limit(record.kiosk, current_app.config)
    if store().clock() - record.last_seen > limit:
        return None
    return User(session_id, store().touch(session_id, record), limit)


def _unauthorized() -> Response:
    if session.get("_user_id"):
        return redirect(url_for("auth.expired"))
    target = request.full_path.rstrip("?") if request.method == "GET" else "/"
    return redirect(url_for("auth.signin", next=safe_next(target)))


def _require_sign_in() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    return _unauthorized()


def init_app(app: Flask) -> None:
    """Set up Flask-Login, the Entra client and the session store, and guard every page."""
    app.extensions["portal.entra"] = Entra(app.config)
    app.extensions["portal.sessions"] = open_store(app)
    manager = LoginManager(app)
    manager.user_loader(_load_user)
    manager.unauthorized_handler(_unauthorized)
    app.before_request(_require_sign_in)
    app.register_blueprint(blueprint)


def _forced_kiosk() -> bool:
    return is_kiosk_address(request.remote_addr, current_app.config["KIOSK_IP_RANGES"])


@blueprint.route("/signin", methods=["GET", "POST"])
def signin() -> Response | str:
    """The sign-in page ("Is this a shared computer?"); its form starts the Entra flow."""
    target = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(target)
    forced = _forced_kiosk()
    if request.method == "GET":
        shared = forced or current_app.config["KIOSK_DEFAULT"]
        return render_template("auth/signin.html", next=target, shared=shared, forced=forced)
    shared = forced or request.form.get("shared") == "yes"
    try:
        flow = entra().start(external_url("auth.callback"), shared_computer=shared)
    except SignInError as error:
        log.error("sign-in could not start: %s", error)
        return error_page(503, _("Sign-in is unavailable"),
                          _("Microsoft sign-in cannot be reached. Try again in a few minutes."))
    session.update(auth_flow=flow, auth_next=target, auth_shared=shared)
    return redirect(flow["auth_uri"], 303)


@blueprint.get("/callback")
def callback() -> Response | tuple[str, int]:
    """Where Entra sends the browser back: redeem the code, check the token, sign in."""
    flow = session.pop("auth_flow", None)
    if flow is None or "error" in request.args:
        log.info("sign-in callback without a flow or with an error: %s",
                 request.args.get("error", "no flow in the session"))
        return error_page(400, _("Sign-in was not completed"),
                          _("The sign-in was cancelled or took too long. Please sign in again."))
    try:
        identity = entra().finish(flow, request.args.to_dict())
    except AnswerRejected as error:
        log.warning("rejected a sign-in answer: %s", error)
        return error_page(400, _("Sign-in was not completed"),
                          _("The answer from Microsoft could not be trusted. Please sign in "
                            "again."))
    except SignInError as error:
        log.error("sign-in failed: %s", error)
        return error_page(502, _("Sign-in was not completed"),
                          _("Microsoft sign-in did not answer as expected. Try again in a few "
                            "minutes."))
    target, shared = session.get("auth_next", "/"), bool(session.get("auth_shared"))
    session.clear()  # a new session for the signed-in user: no fixation
    config = current_app.config
    longest = max(idle_limit(True, config), idle_limit(False, config))
    session_id = store().create(identity, shared, oldest_allowed=longest)
    session.permanent = not shared  # a shared computer gets no persistent cookie
    session["kiosk"] = shared
    login_user(User(session_id, store().get(session_id), idle_limit(shared, config)))
    log.info("signed in %s (%s session)", identity.oid, "shared" if shared else "personal")
    return redirect(safe_next(target))


def _end_session() -> bool:
    """Forget the session here (store and cookie); whether it was a shared-computer one."""
    session_id, kiosk = session.get("_user_id"), bool(session.get("kiosk"))
    if session_id:
        store().delete(session_id)
    logout_user()
    session.clear()
    return kiosk


@blueprint.post("/signout")
def signout() -> Response:
    """Sign out (CSRF-protected POST): clear everything, then end the Entra session too."""
    _end_session()
    flash(_("You are signed out."))
    target = entra().logout_url(external_url("home.index")) or url_for("auth.signin")
    response = redirect(target, 303)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@blueprint.get("/expired")
def expired() -> Response:
    """Where an idle session lands: end it, and on a shared computer end Entra's session too."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    if not session.get("_user_id"):
        return redirect(url_for("auth.signin"))
    kiosk = _end_session()
    flash(_("You were signed out because the intranet was not used for a while."))
    target = entra().logout_url(external_url("home.index")) if kiosk else None
    response = redirect(target or url_for("auth.signin"), 303)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
