"""Sign-in with the real emulated Entra ID, sign-out, redirects and the session cookie."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from portal_support import PORTAL_URL, csrf_token, group, user

from emulator.sample import people as p
from portal.auth import safe_next


def store_record(app, client):
    """The session store's record of the client's session."""
    with client.session_transaction() as session:
        session_id = session["_user_id"]
    return app.extensions["portal.sessions"].get(session_id)


def test_sign_in_flow_signs_the_user_in_with_principals(app, client, auth):
    assert client.get("/").status_code == 302
    response = auth(p.HR, next_path="/news")
    assert response.headers["Location"] == "/news"
    page = client.get("/news")
    assert page.status_code == 200
    record = store_record(app, client)
    assert record.identity.principals >= {"everyone", user(p.HR), group(p.ADMINISTRATION),
                                          group(p.ALL_STAFF)}
    assert record.identity.name == "Camilla Nørgaard"
    assert not record.kiosk


def test_authorize_request_uses_pkce_and_our_redirect_uri(auth):
    query = parse_qs(urlsplit(auth.start()).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == [f"{PORTAL_URL}/auth/callback"]
    assert "prompt" not in query
    assert "response_mode" not in query


def test_shared_computer_asks_entra_to_select_an_account(auth):
    query = parse_qs(urlsplit(auth.start(shared=True)).query)
    assert query["prompt"] == ["select_account"]


def test_overage_user_gets_groups_from_graph(app, client, auth):
    auth(p.MANY_GROUPS)
    principals = store_record(app, client).identity.principals
    assert group(p.project_group_name(210)) in principals
    assert group(p.MANAGERS) in principals
    assert len(principals) == 2 + p.PROJECT_GROUP_COUNT + 2  # everyone, user, groups


def test_session_is_rotated_at_sign_in(client, auth):
    client.get("/auth/signin")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth(p.TEACHER)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"]


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
    "/\t/evil.example", "https:evil.example", "javascript:alert(1)", "evil.example",
    "/%0d%0aSet-Cookie:x=1", " //evil.example",
])
def test_next_is_never_another_host(target):
    assert safe_next(target) == "/" or not urlsplit(safe_next(target)).netloc
    assert safe_next(target).startswith("/") and not safe_next(target).startswith("//")


def test_next_after_sign_in_stays_in_the_portal(auth):
    response = auth(p.TEACHER, next_path="https://evil.example/steal")
    assert response.headers["Location"] == "/"


def test_next_path_with_query_is_kept():
    assert safe_next("/search?q=ferie&page=2") == "/search?q=ferie&page=2"


def test_callback_without_a_started_flow_is_refused(client):
    response = client.get("/auth/callback?code=abc&state=xyz")
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_callback_with_another_state_is_refused(client, auth):
    callback = auth.pick(auth.start(), p.TEACHER)
    tampered = callback.replace("state=", "state=x")
    assert client.get(tampered).status_code == 400
    assert client.get("/").status_code == 302


def test_sign_out_needs_the_csrf_token(signed_in):
    assert signed_in.post("/auth/signout").status_code == 400
    assert signed_in.post("/auth/signout", data={"csrf_token": "forged"}).status_code == 400
    assert signed_in.get("/").status_code == 200


def test_sign_out_is_post_only(signed_in):
    assert signed_in.get("/auth/signout").status_code == 405
    assert signed_in.get("/").status_code == 200


def test_sign_out_ends_the_session_and_goes_to_entra(app, signed_in, emulator):
    record_key = None
    with signed_in.session_transaction() as session:
        record_key = session["_user_id"]
    token = csrf_token(signed_in.get("/").text)
    response = signed_in.post("/auth/signout", data={"csrf_token": token})
    assert response.status_code == 303
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}".endswith("/oauth2/v2.0/logout")
    assert parse_qs(target.query)["post_logout_redirect_uri"] == [f"{PORTAL_URL}/"]
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert app.extensions["portal.sessions"].get(record_key) is None
    assert signed_in.get("/").status_code == 302
    with signed_in.session_transaction() as session:
        assert "_user_id" not in session


def test_a_copied_cookie_is_dead_after_sign_out(app, signed_in):
    cookie = signed_in.get_cookie("session").value
    token = csrf_token(signed_in.get("/").text)
    signed_in.post("/auth/signout", data={"csrf_token": token})
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/").status_code == 302


def test_session_cookie_flags(client, auth):
    response = auth(p.TEACHER)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http in the test
    assert "Expires=" in cookie  # a personal device keeps its session across restarts


def test_shared_computer_session_has_no_persistent_cookie(client, auth):
    response = auth(p.TEACHER, shared=True)
    assert "Expires=" not in response.headers["Set-Cookie"]


def test_cookie_is_secure_over_https(app, emulator):
    client = app.test_client()
    response = client.get("/auth/signin", base_url="https://intra.example")
    assert "Secure" in response.headers["Set-Cookie"]


def test_signin_page_redirects_home_when_signed_in(signed_in):
    response = signed_in.get(f"/auth/signin?next={quote('/news')}")
    assert response.headers["Location"] == "/news"


def test_entra_error_answer_is_shown_as_a_page(client, auth):
    auth.start()
    response = client.get("/auth/callback?error=access_denied&error_description=no")
    assert response.status_code == 400
    assert "Log ind igen" in response.text
