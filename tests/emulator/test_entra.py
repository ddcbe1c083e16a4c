"""Entra ID in the emulator, driven by the real msal: discovery, sign-in, tokens, sign-out."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests
from entra_support import (
    DOMAIN,
    REDIRECT_URI,
    MsalApp,
    TrustingSession,
    auth_response,
    build_tenant,
    confidential_app,
    pick,
    sign_in,
    start_flow,
    unverified,
    user,
    validate_id_token,
)

from emulator.server import Emulator


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    with Emulator(build_tenant(), tmp_path_factory.mktemp("entra")) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def http(emu: Emulator) -> Iterator[requests.Session]:
    with TrustingSession(emu.ca_file) as session:
        yield session


@pytest.fixture
def browser() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture
def portal(emu: Emulator, http: requests.Session) -> MsalApp:
    """The portal's msal app: client secret, fresh token cache."""
    return confidential_app(emu, http, emu.registration.client_secret)


# Discovery -----------------------------------------------------------------------------------

def test_discovery_puts_the_browser_on_http_and_the_back_channel_on_https(
        emu: Emulator, http: requests.Session) -> None:
    config = http.get(f"{emu.authority}/v2.0/.well-known/openid-configuration").json()
    tid = emu.tenant.directory.tenant_id
    assert config["issuer"] == f"{emu.state.login_url}/{tid}/v2.0"
    assert config["token_endpoint"] == f"{emu.state.login_url}/{tid}/oauth2/v2.0/token"
    assert config["jwks_uri"] == f"{emu.state.login_url}/{tid}/discovery/v2.0/keys"
    assert config["authorization_endpoint"] == f"{emu.sharepoint_url}/{tid}/oauth2/v2.0/authorize"
    assert config["end_session_endpoint"] == f"{emu.sharepoint_url}/{tid}/oauth2/v2.0/logout"
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]
    assert {"code", "id_token"} <= set(config["response_types_supported"])
    assert {"query", "form_post"} <= set(config["response_modes_supported"])
    by_domain = http.get(f"{emu.state.login_url}/{DOMAIN}/v2.0/.well-known/openid-configuration")
    assert by_domain.json()["issuer"] == config["issuer"]


def test_discovery_of_an_unknown_tenant_is_aadsts90002(
        emu: Emulator, http: requests.Session) -> None:
    response = http.get(f"{emu.state.login_url}/nowhere.dk/v2.0/.well-known/openid-configuration")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_tenant"
    assert response.json()["error_codes"] == [90002]


def test_back_channel_endpoints_are_not_served_over_plain_http(emu: Emulator) -> None:
    tid = emu.tenant.directory.tenant_id
    with requests.Session() as plain:
        assert plain.get(f"{emu.sharepoint_url}/{tid}/v2.0/.well-known/openid-configuration"
                         ).status_code == 404
        assert plain.post(f"{emu.sharepoint_url}/{tid}/oauth2/v2.0/token").status_code == 404


def test_msal_reads_only_the_v2_discovery_document(emu: Emulator, http: requests.Session) -> None:
    emu.state.requests.clear()
    confidential_app(emu, http, emu.registration.client_secret)
    paths = [entry.path for entry in emu.state.requests.matching("/")]
    assert paths == [f"/{emu.tenant.directory.tenant_id}/v2.0/.well-known/openid-configuration"]


# Sign-in -------------------------------------------------------------------------------------

def test_sign_in_page_lists_the_users_without_passwords(
        emu: Emulator, portal: MsalApp, browser: requests.Session) -> None:
    flow = start_flow(portal, prompt="select_account")
    page = browser.get(flow["auth_uri"])
    assert page.status_code == 200
    assert '<html lang="da">' in page.text and "<title>" in page.text
    assert "password" not in page.text.lower()
    for who in emu.tenant.directory.users.values():
        assert who.name in page.text and who.upn in page.text and who.job_title in page.text


def test_code_flow_with_pkce_gives_an_id_token_that_validates(
        emu: Emulator, http: requests.Session, portal: MsalApp, browser: requests.Session) -> None:
    anne = user(emu, "anne")
    result = sign_in(portal, browser, anne)
    assert result["token_type"] == "Bearer" and "refresh_token" in result
    claims = validate_id_token(emu, http, result["id_token"])
    assert claims["oid"] == anne.oid and claims["preferred_username"] == anne.upn
    assert claims["name"] == "Anne Jensen" and claims["ver"] == "2.0" and claims["nonce"]
    groups = {g.id for g in emu.tenant.directory.groups_of(anne.oid)}
    assert set(claims["groups"]) == groups
    account = portal.get_accounts()[0]
    assert account["home_account_id"] == f"{anne.oid}.{emu.tenant.directory.tenant_id}"
    access = unverified(result["access_token"])
    assert access["aud"] == "00000003-0000-0000-c000-000000000000"
    assert access["scp"].split()[0] == "User.Read" and access["upn"] == anne.upn


def test_a_reused_code_is_refused_with_aadsts54005(
        emu: Emulator, portal: MsalApp, browser: requests.Session) -> None:
    flow = start_flow(portal, prompt="login")
    answer = auth_response(pick(browser, flow["auth_uri"], user(emu, "bo")))
    assert "access_token" in portal.acquire_token_by_auth_code_flow(dict(flow), answer)
    again = portal.acquire_token_by_auth_code_flow(dict(flow), answer)
    assert again["error"] == "invalid_grant" and again["error_codes"] == [54005]


def test_a_wrong_code_verifier_is_refused_with_aadsts50148(
        emu: Emulator, portal: MsalApp, browser: requests.Session) -> None:
    flow = start_flow(portal, prompt="login")
    answer = auth_response(pick(browser, flow["auth_uri"], user(emu, "bo")))
    flow["code_verifier"] = "x" * 43
    result = portal.acquire_token_by_auth_code_flow(flow, answer)
    assert result["error"] == "invalid_grant" and result["error_codes"] == [50148]


def test_a_code_expires_after_ten_minutes(
        emu: Emulator, portal: MsalApp, browser: requests.Session) -> None:
    flow = start_flow(portal, prompt="login")
    answer = auth_response(pick(browser, flow["auth_uri"], user(emu, "bo")))
    emu.tenant.clock.advance(timedelta(minutes=11))
    result = portal.acquire_token_by_auth_code_flow(flow, answer)
    assert result["error"] == "invalid_grant" and result["error_codes"] == [70008]


def test_form_post_answers_with_a_form_for_the_redirect_uri(
        emu: Emulator, portal: MsalApp, browser: requests.Session) -> None:
    flow = start_flow(portal, prompt="login", response_mode="form_post")
    page = pick(browser, flow["auth_uri"], user(emu, "anne"))
    assert page.status_code == 200 and f'action="{REDIRECT_URI}"' in page.text
    assert "access_token" in portal.acquire_token_by_auth_code_flow(flow, auth_response(page))


def test_the_port_of_a_loopback_redirect_uri_is_ignored(
        emu: Emulator, portal: MsalApp, browser: requests.Session) -> None:
    flow = start_flow(portal, redirect_uri="http://127.0.0.1:53999/auth/callback", prompt="login")
    answer = pick(browser, flow["auth_uri"], user(emu, "anne"))
    assert answer.headers["Location"].startswith("http://127.0.0.1:53999/auth/callback?code=")


def test_an_unregistered_redirect_uri_gets_an_error_page_not_a_redirect(
        portal: MsalApp, browser: requests.Session) -> None:
    flow = start_flow(portal, redirect_uri="http://evil.example/auth/callback")
    page = browser.get(flow["auth_uri"], allow_redirects=False)
    assert page.status_code == 400 and "Location" not in page.headers
    assert "AADSTS50011" in page.text and '<html lang="da">' in page.text


def test_a_request_without_pkce_is_sent_back_as_invalid_request(
        emu: Emulator, browser: requests.Session) -> None:
    tid = emu.tenant.directory.tenant_id
    params = {"client_id": emu.registration.client_id, "response_type": "code",
              "redirect_uri": REDIRECT_URI, "scope": "openid User.Read", "state": "abc"}
    response = browser.get(f"{emu.sharepoint_url}/{tid}/oauth2/v2.0/authorize", params=params,
                           allow_redirects=False)
    answer = auth_response(response)
    assert answer["error"] == "invalid_request" and answer["state"] == "abc"
    assert answer["error_description"].startswith("AADSTS50147:")


def test_prompt_none_without_a_sign_in_is_login_required(
        emu: Emulator, portal: MsalApp, browser: requests.Session) -> None:
    flow = start_flow(portal, prompt="none")
    answer = auth_response(browser.get(flow["auth_uri"], allow_redirects=False))
    assert answer["error"] == "login_required" and answer["state"] == flow["state"]


def test_without_prompt_the_last_user_is_signed_in_silently(
        emu: Emulator, portal: MsalApp, browser: requests.Session) -> None:
    bo = user(emu, "bo")
    sign_in(portal, browser, bo)
    silent = start_flow(portal)
    response = browser.get(silent["auth_uri"], allow_redirects=False)
    assert response.status_code == 302, "a kiosk without prompt signs the last user in"
    result = portal.acquire_token_by_auth_code_flow(silent, auth_response(response))
    assert result["id_token_claims"]["oid"] == bo.oid
    picker = start_flow(portal, prompt="select_account")
    assert browser.get(picker["auth_uri"], allow_redirects=False).status_code == 200


def test_the_overage_user_gets_claim_sources_instead_of_groups(
        emu: Emulator, http: requests.Session, portal: MsalApp, browser: requests.Session) -> None:
    ole = user(emu, "ole")
    claims = validate_id_token(emu, http, sign_in(portal, browser, ole)["id_token"])
    assert "groups" not in claims
    assert claims["_claim_names"] == {"groups": "src1"}
    assert claims["_claim_sources"] == {"src1": {
        "endpoint": f"{emu.graph_url}/v1.0/users/{ole.oid}/getMemberObjects"}}


def test_a_refresh_token_gives_new_tokens_and_revocation_ends_it(
        emu: Emulator, portal: MsalApp, browser: requests.Session,
        monkeypatch: pytest.MonkeyPatch) -> None:
    first = sign_in(portal, browser, user(emu, "anne"))
    second = portal.acquire_token_by_refresh_token(first["refresh_token"], ["User.Read"])
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["id_token_claims"]["oid"] == user(emu, "anne").oid
    monkeypatch.setattr(emu.state, "tokens_revoked_before", time.time() + 1)
    revoked = portal.acquire_token_by_refresh_token(second["refresh_token"], ["User.Read"])
    assert revoked["error"] == "invalid_grant" and revoked["error_codes"] == [50173]


# Sign-out ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("target", "followed"), [
    ("http://127.0.0.1:5000/", True),
    ("http://127.0.0.1:8123/", True),
    ("http://evil.example/", False),
])
def test_sign_out_returns_only_to_registered_uris(
        emu: Emulator, http: requests.Session, portal: MsalApp, browser: requests.Session,
        target: str, followed: bool) -> None:
    sign_in(portal, browser, user(emu, "anne"))
    config = http.get(f"{emu.authority}/v2.0/.well-known/openid-configuration").json()
    response = browser.get(config["end_session_endpoint"],
                           params={"post_logout_redirect_uri": target}, allow_redirects=False)
    if followed:
        assert response.status_code == 302 and response.headers["Location"] == target
    else:
        assert response.status_code == 200 and "Du er logget ud" in response.text
    after = start_flow(portal)
    assert browser.get(after["auth_uri"], allow_redirects=False).status_code == 200


# Error shape ---------------------------------------------------------------------------------

def test_token_errors_have_entra_shape(emu: Emulator, http: requests.Session) -> None:
    response = http.post(f"{emu.authority}/oauth2/v2.0/token",
                         headers={"client-request-id": "abc-123"},
                         data={"grant_type": "password", "client_id": "x"})
    body = response.json()
    assert response.status_code == 400 and response.headers["Cache-Control"].startswith("no-store")
    assert set(body) == {"error", "error_description", "error_codes", "timestamp", "trace_id",
                         "correlation_id", "error_uri"}
    assert body["error"] == "unsupported_grant_type" and body["correlation_id"] == "abc-123"
    assert body["error_description"].startswith("AADSTS70003: ")
    assert "\r\nTrace ID: " in body["error_description"]


def test_an_unknown_client_is_aadsts700016(emu: Emulator, http: requests.Session) -> None:
    app = confidential_app(emu, http, "secret", client_id=str(uuid.uuid4()))
    result = app.acquire_token_for_client([f"{emu.sharepoint_url}/.default"])
    assert result["error"] == "unauthorized_client" and result["error_codes"] == [700016]
