"""The admin status page: per site and list, what the indexer did; and "sync now".

Only members of the Entra group ``ADMIN_GROUP`` see it; to everyone else it does not exist
(404). "Sync now" asks the indexer for a pass through the wake-up folder and returns at once.
"""

from __future__ import annotations

import logging
from contextlib import closing
from dataclasses import dataclass
from itertools import groupby

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from indexer.backend import open_index
from indexer.document import group_principal
from indexer.index import IndexUnavailable
from indexer.status import ListStatus, SiteThrottling, SyncStatus, sync_status
from indexer.wakeup import pending, request_pass
from indexer.webhook_status import load_webhooks

log = logging.getLogger(__name__)
blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@dataclass(frozen=True)
class Site:
    """The lists of one site, for one table."""

    title: str
    url: str
    lists: list[ListStatus]
    throttling: SiteThrottling | None  # None: no throttling met since the totals started


def is_admin() -> bool:
    """Whether the signed-in user is in the configured admin group."""
    group = current_app.config["ADMIN_GROUP"]
    return bool(group) and current_user.is_authenticated and \
        group_principal(group) in current_user.principals


@blueprint.before_request
def _only_admins() -> None:
    if not is_admin():
        abort(404)


def _sites(status: SyncStatus) -> list[Site]:
    grouped = groupby(status.lists, key=lambda s: (s.site_title, s.site_url))
    return [Site(title or url, url, list(lists), status.throttling.get(url.rstrip("/")))
            for (title, url), lists in grouped]


@blueprint.get("")
def status_page() -> str:
    """The sync status of every site and list (webhooks included), the last pass, and the
    "sync now" form."""
    index_dir = current_app.config["INDEX_DIR"]
    try:
        with closing(open_index(current_app.config["INDEX_URL"], index_dir)) as index:
            status, problem = sync_status(index), ""
    except IndexUnavailable as error:
        status, problem = None, str(error)
    return render_template("admin/status.html", status=status, problem=problem,
                           sites=_sites(status) if status else [],
                           waiting=pending(index_dir), webhooks=load_webhooks(index_dir))


@blueprint.post("/sync")
def sync_now() -> Response:
    """Ask the indexer for a pass of every site now (CSRF-checked like every POST)."""
    try:
        request_pass(current_app.config["INDEX_DIR"])
    except OSError as error:
        log.error("could not ask the indexer for a pass: %s", error)
        flash(_("The request could not be written. Check that the portal may write to the "
                "folder beside the index."))
    else:
        flash(_("A sync has been requested. The indexer starts it within a few seconds."))
    return redirect(url_for("admin.status_page"), 303)
