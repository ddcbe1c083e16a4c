"""Front page weight: every asset the page loads is fetched once, counted and weighed gzipped."""

from __future__ import annotations

import gzip
from collections.abc import Callable

import pytest
import requests
from flask import Flask, Response

from bench.weight import measure_weight

PAGE = ('<!doctype html><html><head><title>t</title><link rel="stylesheet" href="/app.css">'
        '<link rel="icon" href="/icon.png"><script src="/app.js" defer></script></head><body>'
        '<img src="/banner.png" alt=""><img src="/banner.png" alt="again">'
        + "<p>tekst</p>" * 200 + "</body></html>")
CSS = "body { background: url('/bg.png') } " * 50
JS = "console.log('x');" * 100
PNG = bytes(range(256)) * 8


def site(missing: str = "") -> Flask:
    """A page with a stylesheet (that loads an image), an icon, a script and an image twice."""
    app = Flask(__name__)
    bodies = {"/": (PAGE, "text/html"), "/app.css": (CSS, "text/css"),
              "/app.js": (JS, "text/javascript"), "/icon.png": (PNG, "image/png"),
              "/banner.png": (PNG, "image/png"), "/bg.png": (PNG, "image/png")}

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def serve(path: str) -> Response:
        body, kind = bodies[f"/{path}"]
        if f"/{path}" == missing:
            return Response("gone", 404)
        raw = body.encode() if isinstance(body, str) else body
        if kind.startswith("image"):
            return Response(raw, mimetype=kind)
        return Response(gzip.compress(raw), mimetype=kind, headers={"Content-Encoding": "gzip"})

    return app


def test_counts_each_asset_once_and_weighs_the_compressed_bytes(serve_wsgi: Callable):
    origin = serve_wsgi(site())
    weight, images, count = measure_weight(requests.Session(), origin)
    text_bytes = sum(len(gzip.compress(s.encode())) for s in (PAGE, CSS, JS))
    assert weight.value == text_bytes / 1024
    assert weight.met is True
    assert images.value == pytest.approx(3 * len(PNG) / 1024)
    assert count.value == 6  # page, css, js, icon, banner (once), the css's background
    assert count.met is False


def test_an_asset_that_does_not_load_fails_the_figure(serve_wsgi: Callable):
    origin = serve_wsgi(site(missing="/app.js"))
    with pytest.raises(RuntimeError, match="app.js answered 404"):
        measure_weight(requests.Session(), origin)
