"""Health checks for the load balancer and monitoring: open to all, saying nothing about content.

``/healthz``: the process answers. ``/readyz``: the index opens, and the last successful sync is
no older than ``MAX_SYNC_AGE_MINUTES`` (the indexer's pass record, or the index's last commit).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app

from indexer.index import IndexUnavailable
from indexer.status import last_success, load_record
from portal.content import content

blueprint = Blueprint("status", __name__)
PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


@blueprint.get("/healthz")
def live() -> tuple[str, int, dict[str, str]]:
    """The process answers."""
    return "ok\n", 200, PLAIN


@blueprint.get("/readyz")
def ready() -> tuple[str, int, dict[str, str]]:
    """The process can serve current pages: 503 while the index is missing or the sync stale."""
    try:
        content().reader()
    except IndexUnavailable:
        return "index unavailable\n", 503, PLAIN
    limit = float(current_app.config["MAX_SYNC_AGE_MINUTES"])
    if limit:
        index_dir = current_app.config["INDEX_DIR"]
        synced = last_success(index_dir, load_record(index_dir))
        if synced is None or datetime.now(UTC) - synced > timedelta(minutes=limit):
            return "last sync too old\n", 503, PLAIN
    return "ok\n", 200, PLAIN
