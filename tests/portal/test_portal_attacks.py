"""Attacks on sign-in and on the pages: tampered, forged, expired, replayed and wrong-tenant id
tokens, a reused authorization code, session fixation, CSRF on every POST route, open
redirects, and direct links to items the user may not see (404, so existence is not told).

Tokens come from the emulator's real Entra ID. A tampered answer is made by an attacker in the
middle of the portal's own connection to Entra (:class:`TamperingAdapter`), so every check of
the real callback runs: msal's (state, nonce, PKCE) and the portal's (signature, aud, iss, exp,
tid).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from urllib.parse import parse_qs, quote, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient
from portal_support import SignIn, csrf_token, group, portal_config
from requests.adapters import HTTPAdapter

from emulator.sample import catalogue as c
from emulator.sample import people as p
from emulator.server import Emulator
from indexer.wakeup import pending
from portal import create_app

Change = Callable[[str], str]
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
IMAGE = f"src={quote(c.IMAGE_WEB_PART_URL, safe='/')}&size=card"
OTHER_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


class TamperingAdapter(HTTPAdapter):
    """Passes the portal's calls to Entra on, changing the id_token of token answers."""

    def __init__(self, change: Change) -> None:
        super().__init__()
        self.change = change

    def send(self, request, **kwargs):  # the signature is requests'
        response = super().send(request, **kwargs)
        if request.url.split("?")[0].endswith("/oauth2/v2.0/token") and response.ok:
            body = response.json()
            body["id_token"] = self.change(body["id_token"])
            response._content = json.dumps(body).encode()
        return response


def tamper(app: Flask, emulator: Emulator, change: Change) -> None:
    """Put an attacker between the portal and Entra ID that rewrites id tokens."""
    authority = urlsplit(emulator.authority)
    app.extensions["portal.entra"].http.mount(f"https://{authority.netloc}/",
                                              TamperingAdapter(change))


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def header_of(token: str) -> dict:
    return jwt.get_unverified_header(token)


def genuine(emulator: Emulator) -> Callable[..., Change]:
    """``genuine(**changes)``: a change that re-signs with Entra's own key, claims changed."""

    def make(**changes) -> Change:
        def change(token: str) -> str:
            claims = {k: v for k, v in (claims_of(token) | changes).items() if v is not None}
            return emulator.state.signer.sign(claims)
        return change
    return make


def signed_in(client: FlaskClient) -> bool:
    return client.get("/").status_code == 200


def refused(client: FlaskClient, auth: SignIn) -> int:
    """Run the whole sign-in; the callback's status, after checking no one is signed in."""
    status = client.get(auth.pick(auth.start(), p.TEACHER)).status_code
    assert not signed_in(client)
    with client.session_transaction() as session:
        assert "_user_id" not in session
    return status


def _forged_with_another_key(token: str) -> str:
    return jwt.encode(claims_of(token), OTHER_KEY, algorithm="RS256", headers=header_of(token))


def _unsigned(token: str) -> str:
    return jwt.encode(claims_of(token), None, algorithm="none",
                      headers={"kid": header_of(token)["kid"]})


def _altered_claims(token: str) -> str:
    head, _, signature = token.split(".")
    claims = claims_of(token) | {"oid": p.stable_oid("user", p.HR),
                                 "groups": [group(p.ADMINISTRATION)[6:]]}
    body = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    return f"{head}.{body}.{signature}"


def _not_a_token(token: str) -> str:
    return "not.a.token"


@pytest.mark.parametrize("change", [_forged_with_another_key, _unsigned, _altered_claims,
                                    _not_a_token], ids=lambda f: f.__name__.strip("_"))
def test_a_forged_or_altered_id_token_signs_no_one_in(app, client, auth, emulator, change):
    tamper(app, emulator, change)
    assert refused(client, auth) == 400


@pytest.mark.parametrize("changes", [
    {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},  # expired
    {"nbf": int(time.time()) + 3600},  # not yet valid
    {"tid": OTHER_TENANT},  # another tenant, same issuer text
    {"aud": "00000000-0000-0000-0000-000000000001"},  # for another app
    {"nonce": None},  # no nonce
    {"nonce": "from-another-sign-in"},  # nonce tampering
    {"oid": None},  # a required claim missing
], ids=["expired", "not-yet-valid", "wrong-tid", "wrong-audience", "no-nonce", "other-nonce",
        "no-oid"])
def test_a_genuinely_signed_but_wrong_id_token_signs_no_one_in(app, client, auth, emulator,
                                                               changes):
    tamper(app, emulator, genuine(emulator)(**changes))
    assert refused(client, auth) == 400


def test_a_token_from_another_tenant_signs_no_one_in(app, client, auth, emulator):
    def change(token: str) -> str:
        claims = claims_of(token)
        issuer = claims["iss"].replace(claims["tid"], OTHER_TENANT)
        return genuine(emulator)(tid=OTHER_TENANT, iss=issuer)(token)
    tamper(app, emulator, change)
    assert refused(client, auth) == 400


def test_a_replayed_id_token_from_an_earlier_sign_in_signs_no_one_in(app, client, auth,
                                                                     emulator):
    captured: list[str] = []
    tamper(app, emulator, lambda token: captured.append(token) or token)
    auth(p.HR)
    attacker = app.test_client()
    tamper(app, emulator, lambda token: captured[0])  # the old, genuine, unexpired token
    assert refused(attacker, SignIn(attacker, emulator)) == 400


def test_a_reused_authorization_code_signs_no_one_in(app, client, auth, emulator):
    callback = auth.pick(auth.start(), p.HR)
    assert client.get(callback).status_code == 302 and signed_in(client)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    attacker = app.test_client()
    attacker_auth = SignIn(attacker, emulator)
    own = parse_qs(urlsplit(attacker_auth.start()).query)
    response = attacker.get(f"/auth/callback?code={quote(code)}&state={own['state'][0]}")
    assert response.status_code == 400
    assert not signed_in(attacker)
    assert client.get(callback).status_code == 400  # the victim's own replay: the flow is used


@pytest.mark.parametrize("query", ["code=abc", "state=", "code=&state=", "code=x&state=x" * 50])
def test_a_callback_without_a_valid_state_is_refused(client, auth, query):
    auth.start()
    assert client.get(f"/auth/callback?{query}").status_code == 400
    assert not signed_in(client)


def test_a_session_planted_before_sign_in_is_never_signed_in(app, client, auth):
    attacker = app.test_client()
    attacker.get("/auth/signin")
    planted = attacker.get_cookie("session").value
    client.set_cookie("session", planted)  # the attacker fixes the victim's cookie
    auth(p.HR)
    assert client.get_cookie("session").value != planted
    assert not signed_in(attacker)
    with client.session_transaction() as session:
        first = session["_user_id"]
    client.post("/auth/signout", data={"csrf_token": csrf_token(client.get("/").text)})
    auth(p.HR)
    with client.session_transaction() as session:
        assert session["_user_id"] != first  # a new session id at every sign-in


def post_routes(app: Flask) -> list[str]:
    """Every POST route that takes a cookie session (the webhook is called by SharePoint)."""
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if "POST" in rule.methods and rule.endpoint != "webhooks.sharepoint")


@pytest.fixture
def admin_app(emulator, index_dir, tmp_path):
    portal = create_app(portal_config(emulator, tmp_path, ADMIN_GROUP=group(p.IT)[6:]))
    yield portal
    portal.extensions["portal.content"].close()


def test_every_post_route_refuses_a_request_without_the_csrf_token(admin_app, emulator):
    routes = post_routes(admin_app)
    assert {"/auth/signin", "/auth/signout", "/language", "/admin/sync"} <= set(routes)
    client = admin_app.test_client()
    SignIn(client, emulator)(p.IT_ADMIN)
    for route in routes:
        for data in ({}, {"csrf_token": "forged"}, {"csrf_token": ""}):
            form = data | {"language": "en", "next": "/", "shared": "yes"}
            assert client.post(route, data=form).status_code == 400, route
    assert signed_in(client)
    assert pending(admin_app.config["INDEX_DIR"]) == []
    assert "lang" not in (client.get_cookie("language") or "")
    with client.session_transaction() as session:
        assert "auth_flow" not in session


def test_a_csrf_token_of_another_session_is_refused(app, client, auth, emulator):
    auth(p.TEACHER)
    other = app.test_client()
    SignIn(other, emulator)(p.HR)
    stolen = csrf_token(other.get("/").text)
    assert client.post("/auth/signout", data={"csrf_token": stolen}).status_code == 400
    assert signed_in(client)


OPEN_REDIRECTS = ["https://evil.example/", "//evil.example", "/\\evil.example",
                  "\\/evil.example", "/%2F/evil.example", "http:/evil.example",
                  "/\x00//evil.example", "／／evil.example", "javascript:alert(1)"]


def _stays_here(location: str) -> bool:
    parts = urlsplit(location)
    return not parts.scheme and not parts.netloc and location.startswith("/") \
        and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_no_form_or_link_redirects_to_another_host(signed_in_client, target):
    client = signed_in_client
    token = csrf_token(client.get("/").text)
    language = client.post("/language", data={"csrf_token": token, "language": "en",
                                               "next": target})
    assert _stays_here(language.headers["Location"])
    signin = client.get(f"/auth/signin?next={quote(target)}")
    assert _stays_here(signin.headers["Location"])


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_signed_out_redirects_stay_in_the_portal(client, target):
    page = client.get(f"/auth/signin?next={quote(target)}")
    hidden = re.search(r'name="next" value="([^"]*)"', page.text).group(1)
    assert _stays_here(hidden)
    assert _stays_here(client.get(f"/search?q={quote(target)}").headers["Location"])


@pytest.fixture
def signed_in_client(auth: SignIn, client: FlaskClient) -> FlaskClient:
    auth(p.TEACHER)
    return client


def _without_tokens(text: str, path: str) -> str:
    """The page without its per-request tokens and its own path (the language form's next)."""
    return re.sub(r'(csrf_token" value=|nonce=)"[^"]*"', "", text).replace(path, "")


@pytest.mark.parametrize(("hidden", "missing"), [
    ("/news/admin", "/news/no-such-item"),
    (f"/news/admin/image?{IMAGE}", f"/news/no-such-item/image?{IMAGE}"),
    ("/documents/secret-doc", "/documents/no-such-item"),
    ("/documents/secret-doc/download", "/documents/no-such-item/download"),
    ("/admin", "/no-such-page"),
])
def test_an_item_the_user_may_not_see_looks_exactly_like_one_that_does_not_exist(
        signed_in_client, hidden, missing):
    seen, unknown = signed_in_client.get(hidden), signed_in_client.get(missing)
    assert seen.status_code == unknown.status_code == 404
    assert (_without_tokens(seen.text, hidden.split("?")[0])
            == _without_tokens(unknown.text, missing.split("?")[0]))


def test_the_same_links_work_for_whom_may_see_them(client, auth):
    auth(p.HR)
    assert client.get("/news/admin").status_code == 200
    assert client.get(f"/news/admin/image?{IMAGE}").status_code == 200
