"""The front page is rendered once with slots for what differs between requests and its gzip
is composed from a cached part: the page must still be exactly what the template renders, and
the per-request frame (CSRF token, return path, user name) must be this request's."""

from __future__ import annotations

import gzip
import re

import pytest
from flask import current_app, render_template
from flask_login import current_user
from markupsafe import Markup
from portal_support import csrf_token

from emulator.sample import people as p
from portal import content, home
from portal.composed import ComposedResponse, SlottedPage, marker

TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')


def _rendered_page() -> bytes:
    """The front page as the template renders it for the current request."""
    config = current_app.config
    main = Markup(render_template("home/_front.html", quick_links=config["QUICK_LINKS"],
                                  front=content.front_page(current_user.principals,
                                                           config["PINNED_NEWS"])))
    return render_template("home/index.html", main=main).encode()


@pytest.mark.parametrize("path", ["/", '/?next=<script>"&x=ø'])
def test_the_composed_front_page_is_the_rendered_page(app, signed_in, path):
    cookie = signed_in.get_cookie("session").value
    for _ in range(2):  # rendered into the cache, then served from it
        headers = {"Cookie": f"session={cookie}", "Accept-Encoding": "gzip"}
        with app.test_request_context(path, headers=headers):
            served = home.index()
            assert isinstance(served, ComposedResponse)
            html = served.get_data()
            assert html == _rendered_page()  # the same CSRF token: one request
            zipped = served.gzipped()
            assert gzip.decompress(zipped) == html
            answer = app.process_response(app.make_response(served))  # the composed gzip
            assert answer.get_data() == zipped and answer.headers["Content-Encoding"] == "gzip"
    text = html.decode()
    assert re.search(r'class="signout".*?title="([^"]*)"', text, re.S).group(1) == p.TEACHER
    assert ("&lt;script&gt;&#34;&amp;x=ø" in text) is (path != "/")  # the return path, escaped


def test_the_gzip_answer_is_the_page(signed_in):
    plain = signed_in.get("/")
    zipped = signed_in.get("/", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["Vary"] == "Cookie, Accept-Encoding"
    assert "Content-Encoding" not in plain.headers
    same_token = TOKEN.sub("", gzip.decompress(zipped.data).decode())
    assert same_token == TOKEN.sub("", plain.text)
    token = csrf_token(plain.text)  # a real token: it signs the user out
    assert signed_in.post("/auth/signout", data={"csrf_token": token}).status_code == 303


def test_a_slotted_page_fills_its_slots_and_cannot_be_forged():
    fake = "\x00" + "0" * 16 + ":here\x00"  # content that looks like a marker
    page = SlottedPage.parse(f"<p>{marker('a')}|{fake}|{marker('b')}</p>" + "x" * 2000)
    assert page.slots == ("a", "b")
    values = {"a": "æ&lt;", "b": ""}
    html = page.html(values)
    assert html == f"<p>æ&lt;|{fake}|</p>".encode() + b"x" * 2000
    assert gzip.decompress(page.gzipped(values)) == html
    plain = SlottedPage.parse("<p>no slots</p>")
    assert gzip.decompress(plain.gzipped({})) == plain.html({}) == b"<p>no slots</p>"


def test_a_pending_message_is_shown_once_on_the_front_page(signed_in):
    composed = signed_in.get("/").text
    with signed_in.session_transaction() as session:
        session["_flashes"] = [("message", "Besked til dig")]
    shown = signed_in.get("/").text
    assert '<p class="note" role="status">Besked til dig</p>' in shown
    assert TOKEN.sub("", shown.replace('<p class="note" role="status">Besked til dig</p>\n',
                                       "")) == TOKEN.sub("", composed)
    assert "Besked til dig" not in signed_in.get("/").text
