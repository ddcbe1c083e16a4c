"""News HTML made inert, and the image and download proxy: only the tenant's files, only
after the page's access check, 404 for everything else."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from PIL import Image
from portal_support import parse_html

from emulator.sample import catalogue as c
from emulator.sample import people as p

IMAGE = c.IMAGE_WEB_PART_URL


def image_url(doc_id: str, src: str, size: str = "card") -> str:
    """The portal's image route."""
    return f"/news/{doc_id}/image?src={quote(src, safe='/')}&size={size}"


def test_hostile_news_html_is_inert(signed_in):
    page = signed_in.get("/news/hostile").text
    tree = parse_html(page)
    body = tree.find(".//div[@class='body']")
    markup = "".join(body.itertext())
    assert "Kom til møde" in markup
    for element in body.iter():
        assert element.tag not in {"script", "iframe", "form", "input", "svg", "math", "style"}
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert name != "style"
            assert "javascript" not in value.replace("\t", "").lower()
    assert "evil.example" not in "".join(e.get("src", "") for e in body.iter("img"))
    scripts = [s.get("src") for s in tree.iter("script")]
    assert scripts == [s for s in scripts if s and s.startswith("/static/")]


def test_images_in_news_html_are_proxied_and_lazy(signed_in):
    body = parse_html(signed_in.get("/news/welcome").text).find(".//div[@class='body']")
    (img,) = body.iter("img")
    assert img.get("src") == image_url("welcome", IMAGE, "inline")
    assert img.get("loading") == "lazy"


def test_banner_thumbnail_is_sized_and_private(signed_in):
    page = parse_html(signed_in.get("/").text)
    banner = next(i for i in page.iter("img") if "welcome" in i.get("src"))
    assert (banner.get("width"), banner.get("height"), banner.get("loading")) == (
        "400", "225", "lazy")
    response = signed_in.get(banner.get("src"))
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(response.data)).size == (400, 225)
    assert response.headers["Cache-Control"].startswith("private")


def test_inline_image_keeps_its_aspect_ratio(signed_in):
    response = signed_in.get(image_url("welcome", IMAGE, "inline"))
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.data)).width <= 960


def test_shared_computer_images_are_not_stored(auth, client):
    auth(p.TEACHER, shared=True)
    response = client.get(image_url("welcome", IMAGE))
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("src", [
    "https://evil.example/banner.jpg",  # the hostile item's own banner, not the tenant's
    "http://127.0.0.1:1/sites/intranet/x.jpg",
    "//evil.example/x.jpg",
    "/sites/intranet/x.png",  # the tenant's and in the item, but there is no such file
    "javascript:alert(1)",
])
def test_proxy_refuses_foreign_urls(signed_in, src):
    assert signed_in.get(image_url("hostile", src)).status_code == 404


def test_proxy_refuses_images_the_item_does_not_refer_to(signed_in):
    other = "/sites/hr/Shared Documents/Personalehåndbog 2026.pdf"
    assert signed_in.get(image_url("welcome", other)).status_code == 404


def test_proxy_refuses_images_of_items_the_user_may_not_see(auth, client):
    auth(p.TEACHER)
    assert client.get(image_url("admin", IMAGE)).status_code == 404
    assert client.get(image_url("nothing-here", IMAGE)).status_code == 404


def test_proxy_serves_images_of_items_the_user_may_see(auth, client):
    auth(p.HR)
    assert client.get(image_url("admin", IMAGE)).status_code == 200


def test_proxy_refuses_unknown_sizes(signed_in):
    assert signed_in.get(image_url("welcome", IMAGE, "huge")).status_code == 404


def test_download_streams_the_file(signed_in):
    response = signed_in.get("/documents/public-doc/download")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]


def test_download_of_a_document_the_user_may_not_see_is_404(auth, client):
    auth(p.TEACHER)
    assert client.get("/documents/secret-doc/download").status_code == 404


def test_download_for_the_one_user_who_may(auth, client):
    auth(c.SECRET_USER)
    response = client.get("/documents/secret-doc/download")
    assert response.status_code == 200
    assert response.data.startswith(b"PK")


def test_download_refuses_a_foreign_url(signed_in):
    assert signed_in.get("/documents/foreign-doc/download").status_code == 404


def test_image_and_download_need_sign_in(client):
    assert client.get(image_url("welcome", IMAGE)).status_code == 302
    assert client.get("/documents/public-doc/download").status_code == 302
