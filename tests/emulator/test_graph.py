"""Microsoft Graph in the emulator: /me, getMemberObjects for the group overage, userinfo."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import requests
from entra_support import (
    OVERAGE_GROUPS,
    TrustingSession,
    build_tenant,
    certificate_credential,
    confidential_app,
    sign_in,
    unverified,
    user,
)

from emulator.server import Emulator


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    with Emulator(build_tenant(), tmp_path_factory.mktemp("graph")) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def http(emu: Emulator) -> Iterator[requests.Session]:
    with TrustingSession(emu.ca_file) as session:
        yield session


@pytest.fixture(scope="module")
def tokens(emu: Emulator, http: requests.Session) -> dict[str, dict]:
    """A delegated Graph access token per test user, got through the real sign-in."""
    portal = confidential_app(emu, http, emu.registration.client_secret)
    with requests.Session() as browser:
        return {name: sign_in(portal, browser, user(emu, name))
                for name in ("anne", "bo", "ole")}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def member_objects(emu: Emulator, http: requests.Session, token: str, path: str = "me",
                   security_only: bool = False) -> requests.Response:
    return http.post(f"{emu.graph_url}/v1.0/{path}/getMemberObjects", headers=bearer(token),
                     json={"securityEnabledOnly": security_only})


def test_the_overage_user_reads_all_his_groups_from_graph(
        emu: Emulator, http: requests.Session, tokens: dict[str, dict]) -> None:
    ole = user(emu, "ole")
    claims = tokens["ole"]["id_token_claims"]
    endpoint = claims["_claim_sources"]["src1"]["endpoint"]
    assert endpoint == f"{emu.graph_url}/v1.0/users/{ole.oid}/getMemberObjects"
    for response in (member_objects(emu, http, tokens["ole"]["access_token"]),
                     http.post(endpoint, headers=bearer(tokens["ole"]["access_token"]),
                               json={"securityEnabledOnly": False})):
        assert response.status_code == 200
        body = response.json()
        assert body["@odata.context"].endswith("/v1.0/$metadata#Collection(Edm.String)")
        assert set(body["value"]) == {g.id for g in emu.tenant.directory.groups_of(ole.oid)}
        assert len(body["value"]) == OVERAGE_GROUPS + 1


def test_security_enabled_only_leaves_out_microsoft365_groups(
        emu: Emulator, http: requests.Session, tokens: dict[str, dict]) -> None:
    token = tokens["anne"]["access_token"]
    everything = member_objects(emu, http, token).json()["value"]
    security = member_objects(emu, http, token, security_only=True).json()["value"]
    editors = next(g for g in emu.tenant.directory.groups.values() if g.name == "Redaktører")
    assert editors.id in everything and editors.id not in security
    assert len(security) == len(everything) - 1


def test_a_user_may_read_his_own_groups_but_not_another_users(
        emu: Emulator, http: requests.Session, tokens: dict[str, dict]) -> None:
    anne, bo = user(emu, "anne"), user(emu, "bo")
    token = tokens["anne"]["access_token"]
    assert member_objects(emu, http, token, f"users/{anne.oid}").status_code == 200
    assert member_objects(emu, http, token, f"users/{anne.upn}").status_code == 200
    refused = member_objects(emu, http, token, f"users/{bo.oid}")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "Authorization_RequestDenied"
    missing = member_objects(emu, http, token, "users/nobody@nowhere.dk")
    assert missing.status_code == 404


def test_get_member_objects_needs_security_enabled_only(
        emu: Emulator, http: requests.Session, tokens: dict[str, dict]) -> None:
    response = http.post(f"{emu.graph_url}/v1.0/me/getMemberObjects",
                         headers=bearer(tokens["bo"]["access_token"]), json={})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "Request_BadRequest"


def test_me_is_the_signed_in_user(
        emu: Emulator, http: requests.Session, tokens: dict[str, dict]) -> None:
    anne = user(emu, "anne")
    me = http.get(f"{emu.graph_url}/v1.0/me", headers=bearer(tokens["anne"]["access_token"]))
    body = me.json()
    assert body["id"] == anne.oid and body["userPrincipalName"] == anne.upn
    assert body["displayName"] == "Anne Jensen" and body["jobTitle"] == "Sagsbehandler"


def test_userinfo_has_the_id_token_subject(
        emu: Emulator, http: requests.Session, tokens: dict[str, dict]) -> None:
    result = tokens["bo"]
    info = http.get(f"{emu.graph_url}/oidc/userinfo", headers=bearer(result["access_token"]))
    assert info.json()["sub"] == result["id_token_claims"]["sub"]
    assert info.json()["name"] == "Bo Hansen"


def _assert_invalid_token(response: requests.Response, message: str) -> None:
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "InvalidAuthenticationToken" and error["message"] == message
    assert set(error["innerError"]) == {"date", "request-id", "client-request-id"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")


def test_requests_without_a_valid_token_are_401(
        emu: Emulator, http: requests.Session, tokens: dict[str, dict]) -> None:
    url = f"{emu.graph_url}/v1.0/me/getMemberObjects"
    body = {"securityEnabledOnly": False}
    _assert_invalid_token(http.post(url, json=body), "Access token is empty.")
    _assert_invalid_token(http.post(url, json=body, headers=bearer("not-a-token")),
                          "Access token validation failure.")
    indexer = confidential_app(emu, http, certificate_credential(emu))
    sharepoint = indexer.acquire_token_for_client([f"{emu.sharepoint_url}/.default"])
    _assert_invalid_token(http.post(url, json=body, headers=bearer(sharepoint["access_token"])),
                          "Access token validation failure. Invalid audience.")


def test_an_expired_graph_token_is_401(
        emu: Emulator, http: requests.Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(emu.state, "token_lifetime", 1)
    app = confidential_app(emu, http, certificate_credential(emu))
    token = app.acquire_token_for_client(["https://graph.microsoft.com/.default"])["access_token"]
    time.sleep(max(0.0, unverified(token)["exp"] - time.time()) + 0.05)
    _assert_invalid_token(http.get(f"{emu.graph_url}/v1.0/me", headers=bearer(token)),
                          "Lifetime validation failed, the token is expired.")


def test_an_app_only_token_cannot_use_me_or_read_other_users(
        emu: Emulator, http: requests.Session) -> None:
    app = confidential_app(emu, http, certificate_credential(emu))
    token = app.acquire_token_for_client(["https://graph.microsoft.com/.default"])["access_token"]
    assert "roles" not in unverified(token)
    me = http.get(f"{emu.graph_url}/v1.0/me", headers=bearer(token))
    assert me.status_code == 400
    assert me.json()["error"]["message"] == (
        "/me request is only valid with delegated authentication flow.")
    anne = user(emu, "anne")
    assert member_objects(emu, http, token, f"users/{anne.oid}").status_code == 403


def test_graph_is_not_served_over_plain_http(emu: Emulator, tokens: dict[str, dict]) -> None:
    with requests.Session() as plain:
        response = plain.get(f"{emu.sharepoint_url}/v1.0/me",
                             headers=bearer(tokens["anne"]["access_token"]))
    assert response.status_code == 404
