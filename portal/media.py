"""Images of news and pages, streamed from SharePoint through the portal as sized thumbnails.

``/news/<id>/image?src=…&size=…`` serves an image only if the user may see that item and the
item refers to it (its banner or an ``<img>`` in its HTML); anything else is a 404, so nobody
learns whether an item exists. Thumbnails are kept in a small in-process cache shared by
users, which is safe because the access check comes first; browsers get ``private`` (or
``no-store`` on a shared computer) and never a shared cache.
"""

from __future__ import annotations

import io
import threading
import time
import warnings
from collections import OrderedDict
from functools import partial
from html.parser import HTMLParser

import bleach
from bleach import html5lib_shim
from flask import Blueprint, Flask, abort, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup
from PIL import Image, ImageOps
from werkzeug.wrappers import Response

from indexer.document import Document
from indexer.extract.sanitise import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    sanitise_html,
)
from portal.content import item
from portal.sharepoint import FileUnavailable, SharePointFiles

blueprint = Blueprint("media", __name__)

# size name -> (width, height); a height of None keeps the aspect ratio (no upscaling)
SIZES = {"card": (400, 225), "hero": (960, 540), "inline": (960, None)}
MAX_SOURCE_BYTES = 25 * 1024 * 1024
CACHE_BYTES = 32 * 1024 * 1024
CACHE_SECONDS = 600
BROWSER_MAX_AGE = 3600


class ThumbnailCache:
    """A small LRU of rendered thumbnails, bounded in bytes and age."""

    def __init__(self, max_bytes: int = CACHE_BYTES, max_age: float = CACHE_SECONDS) -> None:
        self._items: OrderedDict[tuple[str, str], tuple[float, bytes, str]] = OrderedDict()
        self._bytes, self._max_bytes, self._max_age = 0, max_bytes, max_age
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> tuple[bytes, str] | None:
        """A fresh cached thumbnail and its media type."""
        with self._lock:
            entry = self._items.get(key)
            if entry is None or time.monotonic() - entry[0] > self._max_age:
                return None
            self._items.move_to_end(key)
            return entry[1], entry[2]

    def put(self, key: tuple[str, str], data: bytes, mimetype: str) -> None:
        """Keep a thumbnail, dropping the least recently used ones beyond the budget."""
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= len(old[1]) if old else 0
            self._items[key] = (time.monotonic(), data, mimetype)
            self._bytes += len(data)
            while self._bytes > self._max_bytes and len(self._items) > 1:
                _, (_, dropped, _) = self._items.popitem(last=False)
                self._bytes -= len(dropped)


class _ImageSources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        src = dict(attrs).get("src")
        if tag == "img" and src:
            self.sources.add(src)


def image_sources(doc: Document) -> set[str]:
    """The images an item refers to: its banner and the images of its (sanitised) HTML."""
    parser = _ImageSources()
    parser.feed(sanitise_html(doc.html))
    parser.close()
    return parser.sources | ({doc.banner} if doc.banner else set())


class _ImageRewrite(html5lib_shim.Filter):
    """Points every <img> at the portal's image route (dropping those it cannot serve) and
    makes it lazy-loaded."""

    def __init__(self, source, route) -> None:
        super().__init__(source)
        self.route = route

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] == "EmptyTag" and token["name"] == "img":
                data = token["data"]
                src = self.route(data.get((None, "src"), ""))
                if src is None:
                    continue
                data[(None, "src")] = src
                data[(None, "loading")] = "lazy"
                data[(None, "decoding")] = "async"
            yield token


def article_html(doc: Document) -> Markup:
    """The item's HTML for display: sanitised again (defence in depth), images proxied."""
    files: SharePointFiles = current_app.extensions["portal.files"]

    def route(src: str) -> str | None:
        if files.server_path(src) is None:
            return None
        return url_for("media.news_image", doc_id=doc.id, src=src, size="inline")

    img_attributes = ALLOWED_ATTRIBUTES["img"] | {"loading", "decoding"}
    cleaner = bleach.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES | {
        "img": img_attributes}, protocols=ALLOWED_PROTOCOLS, strip=True, strip_comments=True,
        filters=[partial(_ImageRewrite, route=route)])
    return Markup(cleaner.clean(sanitise_html(doc.html)))


def _thumbnail(data: bytes, size: str) -> tuple[bytes, str]:
    width, height = SIZES[size]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            if height is None:
                image.thumbnail((width, width * 4))
            else:
                image = ImageOps.fit(image, (width, height))
            alpha = image.mode in ("RGBA", "LA", "P")
            out = io.BytesIO()
            if alpha:
                image.convert("RGBA").save(out, "PNG", optimize=True)
            else:
                image.convert("RGB").save(out, "JPEG", quality=80, optimize=True,
                                          progressive=True)
    return out.getvalue(), "image/png" if alpha else "image/jpeg"


def _read(files: SharePointFiles, path: str) -> bytes:
    response = files.open(path)
    try:
        body = bytearray()
        for chunk in response.iter_content(64 * 1024):
            body += chunk
            if len(body) > MAX_SOURCE_BYTES:
                raise FileUnavailable(f"{path} is too large for a thumbnail")
        return bytes(body)
    finally:
        response.close()


def private_cache_control(response: Response) -> Response:
    """Cache for this browser only, and not at all on a shared computer."""
    response.headers["Cache-Control"] = ("no-store" if current_user.kiosk
                                         else f"private, max-age={BROWSER_MAX_AGE}")
    response.headers["Vary"] = "Cookie"
    return response


@blueprint.get("/news/<doc_id>/image")
def news_image(doc_id: str) -> Response:
    """An image of a news item or page the user may see; 404 for anything else."""
    src, size = request.args.get("src", ""), request.args.get("size", "card")
    doc = item(doc_id, current_user.principals, ("news", "page"))
    files: SharePointFiles = current_app.extensions["portal.files"]
    path = files.server_path(src)
    if doc is None or size not in SIZES or path is None or src not in image_sources(doc):
        abort(404)
    cache: ThumbnailCache = current_app.extensions["portal.thumbnails"]
    cached = cache.get((path, size))
    if cached is None:
        try:
            cached = _thumbnail(_read(files, path), size)
        except (FileUnavailable, OSError, ValueError, Image.DecompressionBombError,
                Image.DecompressionBombWarning) as error:
            current_app.logger.warning("image %s not served: %s", path, error)
            abort(404)
        cache.put((path, size), *cached)
    return private_cache_control(Response(cached[0], mimetype=cached[1]))


def init_app(app: Flask) -> None:
    """Set up the SharePoint file client and the thumbnail cache."""
    app.extensions["portal.files"] = SharePointFiles(app.config)
    app.extensions["portal.thumbnails"] = ThumbnailCache()
    app.register_blueprint(blueprint)
