"""The load figures come from a real wrk run, and a page that is not served fails them."""

from __future__ import annotations

import shutil
from collections.abc import Callable

import pytest
from flask import Flask, redirect, request

from bench.http_load import Target, measure_load

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None,
                                reason="wrk is missing (make bench installs it)")


def app() -> Flask:
    """A page for signed-in users (a cookie), and a sign-in redirect for everybody else."""
    site = Flask(__name__)

    @site.get("/")
    def hello() -> str:
        return "hello"

    @site.get("/page")
    def page():
        return "page" if request.cookies.get("session") == "ok" else redirect("/signin")

    return site


def test_each_page_is_measured_next_to_the_baseline(serve_wsgi: Callable):
    origin = serve_wsgi(app())
    front, other = measure_load(Target("hello", f"{origin}/"), [
        Target("front", f"{origin}/page", ("Cookie: session=ok",)),
        Target("other", f"{origin}/page", ("Cookie: session=ok",))], runs=1, seconds=1)
    assert (front.runs, front.unit, front.baseline_name) == (1, "req/s", "hello")
    assert front.value > 0 and front.baseline > 0
    assert front.ratio == front.value / front.baseline
    assert front.target == ">= 70% of baseline" and front.met is not None
    assert other.target is None and other.met is None


def test_a_redirect_to_sign_in_fails_the_benchmark(serve_wsgi: Callable):
    origin = serve_wsgi(app())
    with pytest.raises(RuntimeError, match="front answered 302"):
        measure_load(Target("hello", f"{origin}/"),
                     [Target("front", f"{origin}/page", ("Cookie: session=expired",))],
                     runs=1, seconds=1)
