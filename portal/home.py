"""The front page, news articles (and pages), and the news archive by site."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, session
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from portal import content, fragments
from portal.composed import ComposedResponse, render_slotted
from portal.i18n import select_language
from portal.media import article_html
from portal.views import FRAME_SLOTS, frame_values

blueprint = Blueprint("home", __name__)
MAX_PAGE = 500


def page_number() -> int:
    """The ``page`` query parameter, 1 if it is missing or not a sensible number."""
    page = request.args.get("page", "1")
    return min(int(page), MAX_PAGE) if page.isascii() and page.isdigit() and int(page) > 0 else 1


@blueprint.get("/")
def index() -> str | Response:
    """Latest news (pinned first), quick links, recent documents and the search box.

    The page is rendered once per principal set and language with slots for what differs
    between requests (portal.composed); a shared-computer session or a pending message gets
    a frame rendered for this request.
    """
    principals, language = current_user.principals, select_language()  # Babel's locale, not parsed
    config = current_app.config

    def main() -> Markup:
        return fragments.cached(("front", principals, language), lambda: Markup(render_template(
            "home/_front.html", quick_links=config["QUICK_LINKS"],
            front=content.front_page(principals, config["PINNED_NEWS"]))))

    if current_user.kiosk or "_flashes" in session:  # the frame shows per-request notes
        return render_template("home/index.html", main=main())
    page = fragments.cached(("front page", principals, language, request.script_root),
                            lambda: render_slotted("home/index.html", FRAME_SLOTS, main=main()))
    return ComposedResponse(page, frame_values())


@blueprint.get("/news/<doc_id>")
def article(doc_id: str) -> str:
    """One news item or page: its HTML, author, date, SharePoint link and earlier news."""
    doc = content.item(doc_id, current_user.principals, ("news", "page"))
    if doc is None:
        abort(404)
    earlier = content.earlier_news(doc, current_user.principals) if doc.kind == "news" else []
    return render_template("home/article.html", doc=doc, body=article_html(doc),
                           earlier=earlier)


@blueprint.get("/news")
@blueprint.get("/sites/<site_id>")
def archive(site_id: str | None = None) -> str:
    """A paged list of all the news the user may see, filterable by site."""
    site_id = site_id or request.args.get("site") or None
    sites = content.news_sites(current_user.principals)
    if site_id is not None and site_id not in dict(sites):
        abort(404)
    page = page_number()
    listing = content.news_archive(current_user.principals, site_id, page)
    pages = max(1, -(-listing.total // content.PAGE_SIZE))
    if page > pages:
        abort(404)
    return render_template("home/archive.html", listing=listing, sites=sites, site_id=site_id,
                           site_title=dict(sites).get(site_id), page=page, pages=pages)
