"""What every template may use: links to items and images, localised dates and sizes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from indexer.document import Document
from portal.composed import marker

_UNITS = ("B", "KB", "MB", "GB")


def item_url(doc: Document) -> str:
    """The portal page of an item."""
    if doc.kind == "document":
        return url_for("documents.document", doc_id=doc.id)
    return url_for("home.article", doc_id=doc.id)


def banner_url(doc: Document, size: str = "card") -> str | None:
    """The proxied, sized banner of a news item, or None if it has none we may serve."""
    files = current_app.extensions["portal.files"]
    if not doc.banner or files.server_path(doc.banner) is None:
        return None
    return url_for("media.news_image", doc_id=doc.id, src=doc.banner, size=size)


def long_date(value: datetime | None) -> str:
    """``12. marts 2025`` / ``March 12, 2025``."""
    return format_date(value, "long") if value else ""


def date_time(value: datetime | None) -> str:
    """A date with the time, in the portal's time zone."""
    return format_datetime(value, "medium") if value else ""


def file_size(size: int) -> str:
    """``1,5 MB`` / ``1.5 MB``."""
    value, unit = float(size), 0
    while value >= 1024 and unit < len(_UNITS) - 1:
        value, unit = value / 1024, unit + 1
    return f"{format_decimal(value, '#,##0' if unit == 0 else '#,##0.#')} {_UNITS[unit]}"


def page_url(page: int) -> str:
    """This page's URL with its query, on another page of results."""
    args = {k: v for k, v in request.args.items() if k != "page"}
    return url_for(request.endpoint, **(request.view_args or {}), **args, page=page)


def here() -> str:
    """Where the language form sends the browser back to: this page, if it was a GET."""
    return request.full_path.rstrip("?") if request.method == "GET" else "/"


def username() -> str:
    """The signed-in user's name in the sign-out button ("" when nobody is signed in)."""
    return current_user.username if current_user.is_authenticated else ""


FRAME_SLOTS = {"csrf_token": lambda: marker("csrf_token"), "here": marker("here"),
               "username": marker("username")}  # what differs between requests in base.html


def frame_values() -> dict[str, str]:
    """This request's values of :data:`FRAME_SLOTS`, escaped as the template escapes them."""
    return {"csrf_token": escape(generate_csrf()), "here": escape(here()),
            "username": escape(username())}


def _globals() -> dict[str, Any]:
    kiosk = current_user.is_authenticated and current_user.kiosk
    return {"lang": str(get_locale() or current_app.config["DEFAULT_LANGUAGE"]),
            "kiosk": kiosk, "idle_minutes": current_user.idle_seconds / 60 if kiosk else 0,
            "seconds_left": current_user.seconds_left() if kiosk else 0,
            "here": here(), "username": username()}


def init_templates(app: Flask) -> None:
    """Register the template helpers, and drop the whitespace of block tags from the output."""
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(item_url=item_url, banner_url=banner_url,
                            page_url=page_url)
    app.jinja_env.filters.update(long_date=long_date, date_time=date_time, file_size=file_size,
                                 format_decimal=format_decimal)
    app.context_processor(_globals)
