"""Health checks for the load balancer: open to all, saying nothing about content."""

from __future__ import annotations

from flask import Blueprint

from indexer.index import IndexUnavailable
from portal.content import content

blueprint = Blueprint("status", __name__)


@blueprint.get("/healthz")
def live() -> tuple[str, int, dict[str, str]]:
    """The process answers."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}


@blueprint.get("/readyz")
def ready() -> tuple[str, int, dict[str, str]]:
    """The process can serve pages: the index opens (503 while it is being prepared)."""
    try:
        content().reader()
    except IndexUnavailable:
        return "index unavailable\n", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
