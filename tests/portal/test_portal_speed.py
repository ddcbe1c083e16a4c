"""What keeps pages fast without changing what they show: the front page's rendered part is
kept per principal set and index generation (a commit shows at once, and users who may see
different things never share an entry), and a persistent session cookie is not re-signed on
every request."""

from __future__ import annotations

from pathlib import Path

from portal_support import SignIn, news, parse_html

from emulator.sample import catalogue as c
from emulator.sample import people as p
from indexer.index import SearchIndex
from portal.fragments import FragmentCache


def _titles(page: str) -> list[str]:
    return [h.findtext("a") for h in parse_html(page).iter("h3")]


def test_a_commit_reaches_the_cached_front_page_at_once(signed_in, index_dir: Path):
    first = signed_in.get("/").text
    assert signed_in.get("/").text == first  # served from the cache, the same page
    with SearchIndex.open(index_dir).batch() as batch:
        batch.upsert(news("fresh", "Helt ny nyhed", days=-1))
    assert _titles(signed_in.get("/").text)[1] == "Helt ny nyhed"  # after the pinned item
    with SearchIndex.open(index_dir).batch() as batch:
        batch.delete("fresh")
    assert "Helt ny nyhed" not in signed_in.get("/").text


def test_users_with_other_principals_get_their_own_front_page(app, emulator):
    teacher, care_worker = app.test_client(), app.test_client()
    SignIn(teacher, emulator)(p.TEACHER)
    SignIn(care_worker, emulator)(p.CARE_WORKER)
    assert c.TEACHERS_NEWS_TITLE in teacher.get("/").text
    page = care_worker.get("/").text
    assert c.TEACHERS_NEWS_TITLE not in page
    assert "Lønaftale" in page


def test_the_language_is_part_of_the_key(signed_in):
    danish = signed_in.get("/").text
    signed_in.set_cookie("lang", "en")
    english = signed_in.get("/").text
    assert "Recently updated documents" in english
    assert "Recently updated documents" not in danish


def test_the_cache_keeps_one_generation_and_a_bounded_number_of_entries():
    cache = FragmentCache(size=2)
    rendered = []

    def render(text: str):
        return lambda: rendered.append(text) or text

    assert cache.get(1, "a", render("A1")) == "A1"
    assert cache.get(1, "a", render("again")) == "A1"
    cache.get(1, "b", render("B1"))
    cache.get(1, "c", render("C1"))  # "a" is the least recently used: dropped
    assert len(cache) == 2 and cache.get(1, "a", render("A1'")) == "A1'"
    assert cache.get(2, "b", render("B2")) == "B2"  # a new generation renders again
    assert len(cache) == 1
    assert rendered == ["A1", "B1", "C1", "A1'", "B2"]


def test_a_persistent_session_cookie_is_not_sent_again_on_every_request(signed_in):
    first = signed_in.get("/")
    again = signed_in.get("/")
    assert first.status_code == again.status_code == 200
    assert not again.headers.getlist("Set-Cookie")
    cookie = signed_in.get_cookie("session")
    assert cookie is not None and cookie.expires is not None  # persistent: a personal device


def test_a_client_that_keeps_sending_an_old_cookie_is_not_sent_one_on_every_request(app,
                                                                                   signed_in):
    signed_in.get("/")  # its browser holds a cookie renewed just now, with the CSRF token
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(signed_in.get_cookie("session").value)
    old = serializer.dumps(data | {"_renewed": 0})  # a copy that says "renewed long ago"
    client = app.test_client(use_cookies=False)  # and never stores what it is sent
    answers = [client.get("/", headers={"Cookie": f"session={old}"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200] * 3
    assert not [a for a in answers if a.headers.getlist("Set-Cookie")]
