"""A basic search results page (facets, did-you-mean and type-ahead come later)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from portal import content
from portal.home import page_number

blueprint = Blueprint("search", __name__)
MAX_QUERY_CHARS = 200


@blueprint.get("/search")
def results() -> str:
    """Visible items matching ``q``, a page at a time."""
    query = request.args.get("q", "").strip()[:MAX_QUERY_CHARS]
    results = content.search(query, current_user.principals, page_number()) if query else None
    pages = max(1, -(-results.total // results.page_size)) if results else 1
    return render_template("search/results.html", query=query, results=results, pages=pages)
