"""The front page, news articles (and pages), and the news archive by site."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from portal import content, fragments
from portal.media import article_html

blueprint = Blueprint("home", __name__)
MAX_PAGE = 500


def page_number() -> int:
    """The ``page`` query parameter, 1 if it is missing or not a sensible number."""
    page = request.args.get("page", "1")
    return min(int(page), MAX_PAGE) if page.isascii() and page.isdigit() and int(page) > 0 else 1


@blueprint.get("/")
def index() -> str:
    """Latest news (pinned first), quick links, recent documents and the search box."""
    principals = current_user.principals
    config = current_app.config

    def render() -> str:
        return render_template("home/_front.html", quick_links=config["QUICK_LINKS"],
                               front=content.front_page(principals, config["PINNED_NEWS"]))

    main = fragments.cached(("front", principals, str(get_locale())), render)
    return render_template("home/index.html", main=main)


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
