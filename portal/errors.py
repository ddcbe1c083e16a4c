"""Error pages that look like the portal and say what to do, in the user's language."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from indexer.index import IndexUnavailable

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 60


def error_page(status: int, title: str, message: str) -> tuple[str, int]:
    """A rendered error page with ``status``."""
    return render_template("errors/error.html", title=title, message=message,
                           status=status), status


def _http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
    if error.code is None:
        return error
    messages = {
        403: (_("Access denied"), _("You do not have access to this page. If you think you "
                                    "should, ask the person who shared the link.")),
        404: (_("Page not found"), _("The page may have been moved or deleted, or you may not "
                                     "have access to it. Try the search or the front page.")),
    }
    generic = (_("Something went wrong"), _("The request could not be handled. Go back to the "
                                            "front page and try again."))
    return error_page(error.code, *messages.get(error.code, generic))


def _csrf_error(error: CSRFError) -> tuple[str, int]:
    log.info("CSRF check failed: %s", error.description)
    return error_page(400, _("The form has expired"),
                      _("For your safety the form could not be sent. Reload the page and try "
                        "again."))


def _index_unavailable(error: IndexUnavailable) -> Response:
    log.warning("index unavailable: %s", error)
    body, status = error_page(503, _("The intranet is being prepared"),
                              _("The content is being loaded. Try again in a few minutes."))
    return Response(body, status, headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                    mimetype="text/html")


def _server_error(error: Exception) -> tuple[str, int]:
    log.exception("unhandled error", exc_info=error)
    return error_page(500, _("Something went wrong"),
                      _("The error has been logged. Try again, or go back to the front page."))


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(IndexUnavailable, _index_unavailable)
    app.register_error_handler(500, _server_error)
