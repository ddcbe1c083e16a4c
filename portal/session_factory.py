"""Which session store the portal uses (SESSION_DB), and the page when it cannot be reached."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, current_app, g
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from indexer.backend import is_postgres
from portal.errors import RETRY_AFTER_SECONDS, error_page
from portal.session_store_pg import PgSessionStore
from portal.sessions import Sessions, SessionStore, SessionStoreUnavailable

log = logging.getLogger(__name__)


def _unavailable(error: SessionStoreUnavailable) -> Response:
    log.error("session store unavailable: %s", error)
    # nobody counts as signed in on this page (and the page does not ask the store again)
    g._login_user = current_app.login_manager.anonymous_user()
    body, status = error_page(503, _("Sign-in is unavailable"),
                              _("Your sign-in cannot be checked right now. Try again in a few "
                                "minutes."))
    return Response(body, status, headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                    mimetype="text/html")


def open_store(app: Flask) -> Sessions:
    """The store SESSION_DB names: PostgreSQL for a ``postgresql://`` URL, else the SQLite
    file; an unreachable store answers 503."""
    target = str(app.config["SESSION_DB"])
    app.register_error_handler(SessionStoreUnavailable, _unavailable)
    if is_postgres(target):
        return PgSessionStore(target)
    return SessionStore(Path(target))
