"""Document pages and downloads through the portal (never a direct SharePoint link needed)."""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from flask import Blueprint, abort, current_app, render_template, stream_with_context
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.content import item
from portal.sharepoint import FileUnavailable, SharePointFiles, chunks

blueprint = Blueprint("documents", __name__, url_prefix="/documents")


@blueprint.get("/<doc_id>")
def document(doc_id: str) -> str:
    """Title, place, author, dates, size and a text preview of a document the user may see."""
    doc = item(doc_id, current_user.principals, ("document",))
    if doc is None:
        abort(404)
    return render_template("documents/document.html", doc=doc)


def _filename(path: str, title: str, file_type: str) -> str:
    name = path.rstrip("/").rsplit("/", 1)[-1] or title
    if file_type and not name.lower().endswith("." + file_type):
        name = f"{name}.{file_type}"
    return name


@blueprint.get("/<doc_id>/download")
def download(doc_id: str) -> Response:
    """The file's bytes, streamed from SharePoint after the same check as the page (404)."""
    doc = item(doc_id, current_user.principals, ("document",))
    files: SharePointFiles = current_app.extensions["portal.files"]
    path = files.server_path(doc.url) if doc is not None else None
    if path is None:
        abort(404)
    try:
        upstream = files.open(path)
    except FileUnavailable as error:
        current_app.logger.warning("download of %s failed: %s", doc.id, error)
        abort(404)
    name = _filename(path, doc.title, doc.file_type)
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    fallback = name.encode("ascii", "ignore").decode().replace('"', "") or "download"
    headers = {"Content-Disposition":
               f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}",
               "Cache-Control": "private, no-store"}
    if upstream.headers.get("Content-Length", "").isdigit():
        headers["Content-Length"] = upstream.headers["Content-Length"]
    return Response(stream_with_context(chunks(upstream)), mimetype=mimetype, headers=headers,
                    direct_passthrough=True)
