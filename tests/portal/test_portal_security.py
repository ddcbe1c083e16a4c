"""Headers on every response, no-store on signed-in pages, CSP-clean pages, gzip, and the
fingerprinted static files."""

from __future__ import annotations

import gzip
import re

import pytest
from portal_support import parse_html

SIGNED_IN_PAGES = ["/", "/news", "/news/welcome", "/documents/public-doc", "/search?q=nyhed",
                   "/sites/site-hr", "/news/nope"]
FRONT_PAGE_BUDGET = 30 * 1024


def check_security_headers(response, https=False):
    """The headers every response carries."""
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert ("Strict-Transport-Security" in headers) is https


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_pages_are_never_stored(signed_in, path):
    response = signed_in.get(path)
    assert response.headers["Cache-Control"] == "no-store"
    check_security_headers(response)


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_pages_need_no_inline_script_or_style(signed_in, path):
    tree = parse_html(signed_in.get(path).text)
    for script in tree.iter("script"):
        assert script.get("src", "").startswith("/static/") and not (script.text or "").strip()
    assert not list(tree.iter("style"))
    assert not [e for e in tree.iter() if e.get("style") is not None]
    assert not [e for e in tree.iter() for name in e.attrib if name.startswith("on")]


def test_public_responses_carry_the_headers_too(client):
    for path in ("/auth/signin", "/healthz", "/", "/static/app.css"):
        check_security_headers(client.get(path))


def test_hsts_over_https(client):
    response = client.get("/auth/signin", base_url="https://intra.example")
    check_security_headers(response, https=True)
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_csp_lets_forms_go_to_entra_only(client, emulator):
    csp = client.get("/auth/signin").headers["Content-Security-Policy"]
    form_action = re.search(r"form-action ([^;]+)", csp).group(1).split()
    assert form_action[0] == "'self'"
    assert emulator.sharepoint_url in form_action  # the emulator's sign-in page
    assert "https://evil.example" not in form_action


def test_back_after_sign_out_shows_nothing(signed_in):
    token = re.search(r'name="csrf_token" value="([^"]+)"', signed_in.get("/").text).group(1)
    signed_in.post("/auth/signout", data={"csrf_token": token})
    response = signed_in.get("/news/welcome")
    assert response.status_code == 302
    assert "Velkommen" not in response.text


def test_front_page_is_small_and_compressed(signed_in):
    headers = {"Accept-Encoding": "gzip, br"}
    page = signed_in.get("/", headers=headers)
    assert page.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.data).decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert len(assets) == 2
    total = len(page.data) + sum(len(signed_in.get(a, headers=headers).data) for a in assets)
    assert total <= FRONT_PAGE_BUDGET


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/auth/signin").text
    css = re.search(r'href="(/static/app\.[0-9a-f]{10}\.css)"', html).group(1)
    response = client.get(css, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.mimetype == "text/css"
    stale = client.get("/static/app.0000000000.css")
    assert stale.status_code == 200 and stale.headers["Cache-Control"] == "no-cache"
    assert client.get("/static/nothing.css").status_code == 404


def test_small_responses_are_not_compressed(client):
    response = client.get("/healthz", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
