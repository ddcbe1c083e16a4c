"""Static files with their content hash in the name, cached by browsers for a year.

``url_for("static", filename="app.css")`` gives ``/static/app.<hash>.css``. The files are read
(and gzipped) once at start-up; a request for an old hash gets the current file, uncached.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, abort, current_app, request
from werkzeug.wrappers import Response

blueprint = Blueprint("assets", __name__)
YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class Asset:
    """One static file: its bytes, gzipped bytes, media type and fingerprinted name."""

    data: bytes
    gzipped: bytes
    mimetype: str
    name: str


def fingerprinted(name: str, data: bytes) -> str:
    """``app.css`` → ``app.<first 10 hex of sha256>.css``."""
    stem, dot, suffix = name.rpartition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


def load_assets(folder: Path) -> dict[str, Asset]:
    """Every file of ``folder``, by its plain name."""
    assets = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        data = path.read_bytes()
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        assets[name] = Asset(data, gzip.compress(data, 9, mtime=0), mimetype,
                             fingerprinted(name, data))
    return assets


def _fingerprint_url(endpoint: str, values: dict[str, Any]) -> None:
    if endpoint == "assets.static" and values.get("filename") in _assets():
        values["filename"] = _assets()[values["filename"]].name


def _assets() -> dict[str, Asset]:
    return current_app.extensions["portal.assets"]


@blueprint.get("/static/<path:filename>")
def static(filename: str) -> Response:
    """A static file; immutable for a year when asked for by its fingerprinted name."""
    by_name = {asset.name: asset for asset in _assets().values()}
    asset = by_name.get(filename)
    current = asset is not None
    if asset is None:
        stem, _, suffix = filename.rpartition(".")
        plain = f"{stem.rpartition('.')[0]}.{suffix}" if stem.count(".") else filename
        asset = _assets().get(plain) or _assets().get(filename)
    if asset is None:
        abort(404)
    gzip_ok = "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(asset.gzipped if gzip_ok else asset.data, mimetype=asset.mimetype)
    if gzip_ok:
        response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = (f"public, max-age={YEAR}, immutable" if current
                                         else "no-cache")
    return response


def init_app(app: Flask, folder: Path) -> None:
    """Serve ``folder`` at /static with fingerprinted URLs."""
    app.extensions["portal.assets"] = load_assets(folder)
    app.url_defaults(_fingerprint_url)
    app.register_blueprint(blueprint)
