"""Every page: status, <title>, well-formed HTML in Danish and English, and what it shows."""

from __future__ import annotations

import shutil

import pytest
from flask import abort
from portal_support import csrf_token, parse_html, title_of

from emulator.sample import catalogue as c
from emulator.sample import people as p

PAGES = [
    ("/", "Forside – Intranet", "Front page – Intranet"),
    ("/news", "Nyhedsarkiv – Intranet", "News archive – Intranet"),
    ("/news?page=2", "Nyhedsarkiv – Intranet", "News archive – Intranet"),
    ("/sites/site-hr", "Nyheder fra HR – Intranet", "News from HR – Intranet"),
    ("/news?site=site-hr", "Nyheder fra HR – Intranet", "News from HR – Intranet"),
    ("/news/welcome", "Velkommen til intranettet – Intranet", None),
    ("/news/about", f"{c.PAGE_TITLE} – Intranet", None),
    ("/documents/public-doc", "Personalehåndbog 2026 – Intranet", None),
    ("/search", "Søg – Intranet", "Search – Intranet"),
    ("/search?q=personaleh%C3%A5ndbog", "Søgning: personalehåndbog – Intranet",
     "Search: personalehåndbog – Intranet"),
    ("/search?q=zzzqqq", "Søgning: zzzqqq – Intranet", "Search: zzzqqq – Intranet"),
]


def switch_language(client, language):
    """Press the language button on the front page."""
    token = csrf_token(client.get("/").text)
    response = client.post("/language", data={"csrf_token": token, "language": language,
                                              "next": "/news"})
    assert response.status_code == 303 and response.headers["Location"] == "/news"


@pytest.mark.parametrize(("path", "danish", "english"), PAGES)
def test_page_in_both_languages(signed_in, path, danish, english):
    response = signed_in.get(path)
    assert response.status_code == 200, response.text
    assert title_of(response.text) == danish
    assert parse_html(response.text).get("lang") == "da"
    switch_language(signed_in, "en")
    response = signed_in.get(path)
    assert response.status_code == 200
    assert title_of(response.text) == (english or danish)
    assert parse_html(response.text).get("lang") == "en"


@pytest.mark.parametrize("language", ["da", "en"])
def test_sign_in_page(client, language):
    client.set_cookie("lang", language)
    response = client.get("/auth/signin")
    assert response.status_code == 200
    assert title_of(response.text) == {"da": "Log ind – Intranet",
                                       "en": "Sign in – Intranet"}[language]
    assert {"da": "Er dette en delt computer?",
            "en": "Is this a shared computer?"}[language] in response.text


@pytest.mark.parametrize(("path", "title"), [
    ("/news/nope", "Siden findes ikke – Intranet"),
    ("/news/admin", "Siden findes ikke – Intranet"),  # exists, but not for a teacher
    ("/documents/secret-doc", "Siden findes ikke – Intranet"),
    ("/documents/welcome", "Siden findes ikke – Intranet"),  # news is not a document
    ("/sites/site-nowhere", "Siden findes ikke – Intranet"),
    ("/news?page=99", "Siden findes ikke – Intranet"),
    ("/no/such/page", "Siden findes ikke – Intranet"),
])
def test_not_found_pages(signed_in, path, title):
    response = signed_in.get(path)
    assert response.status_code == 404
    assert title_of(response.text) == title
    assert "forsiden" in response.text


def test_forbidden_page_looks_like_the_portal(app, auth, client):
    app.add_url_rule("/test-forbidden", "forbidden", lambda: abort(403))
    auth(p.TEACHER)
    response = client.get("/test-forbidden")
    assert response.status_code == 403
    assert title_of(response.text) == "Ingen adgang – Intranet"


def test_missing_index_says_the_intranet_is_being_prepared(app, signed_in, index_dir):
    app.extensions["portal.content"].close()
    shutil.rmtree(index_dir)
    response = signed_in.get("/")
    assert response.status_code == 503
    assert title_of(response.text) == "Intranettet er ved at blive klargjort – Intranet"
    assert "Traceback" not in response.text
    assert response.headers["Retry-After"]
    assert signed_in.get("/readyz").status_code == 503
    switch_language(signed_in, "en")
    assert "The intranet is being prepared" in signed_in.get("/").text


def test_health_checks_need_no_sign_in(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_every_page_needs_sign_in(client):
    for path, _, _ in PAGES:
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/signin?next=")


def test_front_page_honours_audiences_and_pins(auth, client):
    auth(p.CARE_WORKER)
    page = client.get("/").text
    assert c.TEACHERS_NEWS_TITLE not in page  # targeted at teachers
    assert c.ADMINISTRATION_NEWS_TITLE not in page  # not permitted
    titles = [h.findtext("a") for h in parse_html(page).iter("h3")]
    assert titles[0] == "Nyhed nummer 5"  # pinned
    assert titles[1] == "Velkommen til intranettet"  # then the newest
    assert "Personalehåndbog 2026" in page and "Lønaftale" in page  # her own document
    assert "Selvbetjening" in page  # quick links


def test_front_page_for_a_teacher(auth, client):
    auth(p.TEACHER)
    page = client.get("/").text
    assert c.TEACHERS_NEWS_TITLE in page
    assert "Lønaftale" not in page


def test_archive_lists_every_permitted_news_item_including_other_audiences(auth, client):
    auth(p.HR)
    page = client.get("/news").text
    assert c.ADMINISTRATION_NEWS_TITLE in page
    assert c.TEACHERS_NEWS_TITLE in page
    assert "30 nyheder" in page
    assert 'rel="next"' in page


def test_archive_filtered_by_site(signed_in):
    page = signed_in.get("/news?site=site-hr").text
    assert "Nyt fra HR" in page and "Nyhed nummer 1" not in page


def test_article_shows_author_date_link_and_earlier_news(signed_in):
    page = signed_in.get("/news/welcome").text
    assert "Sofie Lund" in page
    assert "1. marts 2026" in page
    assert "Åbn i SharePoint" in page
    assert "Tidligere nyheder" in page and c.HOSTILE_NEWS_TITLE in page


def test_document_page_shows_its_facts_in_both_languages(signed_in):
    page = signed_in.get("/documents/public-doc").text
    for fact in ("HR", "Dokumenter", c.SHARED_WITH_EVERYONE_PATH, "Camilla Nørgaard",
                 "1,5 MB", "Personalehåndbogen beskriver"):
        assert fact in page
    assert "1. mar. 2026" in page
    switch_language(signed_in, "en")
    page = signed_in.get("/documents/public-doc").text
    assert "1.5 MB" in page and "Mar 1, 2026" in page


def test_search_finds_only_what_the_user_may_see(auth, client):
    auth(p.TEACHER)
    assert "Lønaftale" not in client.get(f"/search?q={c.SECRET_WORD}").text
    assert "0 resultater" in client.get(f"/search?q={c.SECRET_WORD}").text
