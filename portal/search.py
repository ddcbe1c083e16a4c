"""The search page (results, filters with counts, sort, pages, "did you mean") and the
type-ahead endpoint. Everything shown is trimmed by the index to what the user may see."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal import content
from portal.content import MODIFIED_DAYS, SearchPage, SearchRequest
from portal.home import page_number

blueprint = Blueprint("search", __name__)
MAX_QUERY_CHARS = 200
MAX_SUGGEST_CHARS = 100
MAX_FILTER_CHARS = 200
SORTS = ("relevance", "newest")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_PLAIN_WORDS = re.compile(r"[^\W_]+(?:[-.][^\W_]+)*")


@dataclass(frozen=True)
class Option:
    """One value of a filter: its label, its count, and the link that sets (or removes) it."""

    label: str
    count: int | None
    url: str
    selected: bool


@dataclass(frozen=True)
class Facet:
    """One filter (site, type or modified) with its values."""

    name: str
    title: str
    options: list[Option]


def clean_text(text: str, limit: int) -> str:
    """``text`` without control characters or runs of spaces, cut to ``limit`` characters."""
    return " ".join(_CONTROL.sub(" ", text[:limit * 4]).split())[:limit]


def read_request() -> SearchRequest:
    """The search request of the query string; anything odd is dropped, never an error."""
    args = request.args
    modified = args.get("modified", "")
    sort = args.get("sort", "")
    return SearchRequest(
        query=clean_text(args.get("q", ""), MAX_QUERY_CHARS),
        site=clean_text(args.get("site", ""), MAX_FILTER_CHARS),
        type=clean_text(args.get("type", ""), MAX_FILTER_CHARS).lower(),
        modified=modified if modified in MODIFIED_DAYS else "",
        sort=sort if sort in SORTS else SORTS[0], page=page_number())


def search_url(search: SearchRequest, **changes: str) -> str:
    """The search page for ``search`` with some parameters changed (always its first page)."""
    values = {"q": search.query, "site": search.site, "type": search.type,
              "modified": search.modified, "sort": "" if search.sort == SORTS[0] else search.sort}
    return url_for("search.results", **{k: v for k, v in (values | changes).items() if v})


_BRANDS = {"docx": "Word", "doc": "Word", "xlsx": "Excel", "xls": "Excel", "csv": "CSV",
           "pptx": "PowerPoint", "ppt": "PowerPoint", "pdf": "PDF"}
_NAMED = {"md": lambda: _("Text"), "txt": lambda: _("Text"), "html": lambda: _("Web page"),
          "news": lambda: _("News item"), "page": lambda: _("Page"),
          "document": lambda: _("Document")}  # translated only when shown


def type_label(file_type: str) -> str:
    """A file type as people call it: ``docx`` → Word, ``news`` → News."""
    if file_type in _BRANDS:
        return _BRANDS[file_type]
    named = _NAMED.get(file_type)
    return named() if named else file_type.upper()


def _modified_label(key: str) -> str:
    return {"week": _("Past week"), "month": _("Past month"), "year": _("Past year")}[key]


def facets(search: SearchRequest, found: SearchPage) -> list[Facet]:
    """The filters to show, each value linking to the search with that value set or removed."""
    counts = found.results.facets
    shown = []
    for name, title, label in (("site", _("Site"), None), ("type", _("Type"), type_label),
                               ("modified", _("Modified"), _modified_label)):
        chosen = getattr(search, name)
        options = []
        for value in counts.get(name, []):
            selected = value.key == chosen
            if value.count or selected:
                options.append(Option(label(value.key) if label else value.label, value.count,
                                      search_url(search, **{name: "" if selected else value.key}),
                                      selected))
        if chosen and not any(option.selected for option in options):
            options.append(Option(label(chosen) if label else chosen, 0,
                                  search_url(search, **{name: ""}), True))
        if options:
            shown.append(Facet(name, title, options))
    return shown


def any_of_the_words(query: str) -> str | None:
    """``a OR b`` for a query of two or more plain words (a wider search to suggest)."""
    words = query.split()
    if len(words) < 2 or not all(_PLAIN_WORDS.fullmatch(w) and w != "OR" for w in words):
        return None
    return " OR ".join(words)


@blueprint.get("/search")
def results() -> str:
    """Visible items matching ``q``: a page of hits, filters with counts, sort and pages."""
    search = read_request()
    if not search.query:
        return render_template("search/results.html", query="", found=None)
    found = content.search(search, current_user.principals)
    if search.page > found.pages:
        abort(404)
    return render_template("search/results.html", query=search.query, search=search,
                           found=found, facets=facets(search, found), search_url=search_url,
                           type_label=type_label, wider=any_of_the_words(search.query),
                           filtered=bool(search.site or search.type or search.modified))


@blueprint.get("/search/suggest")
def suggest() -> Response:
    """Type-ahead: up to a few titles of visible items whose words start with ``q``, as JSON."""
    prefix = clean_text(request.args.get("q", ""), MAX_SUGGEST_CHARS)
    found = content.suggest(prefix, current_user.principals) if prefix else []
    url = {"document": "documents.document"}
    response = jsonify(suggestions=[
        {"title": s.title, "type": type_label(s.kind),
         "url": url_for(url.get(s.kind, "home.article"), doc_id=s.id)} for s in found])
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Cookie")
    return response
