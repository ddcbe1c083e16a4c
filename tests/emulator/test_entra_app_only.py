"""App-only access with the real msal: certificate assertions, SharePoint grants, and the
bearer check SharePoint applies (``authenticate_sharepoint``)."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
import requests
from entra_support import (
    MsalApp,
    TrustingSession,
    build_tenant,
    certificate_credential,
    confidential_app,
    sign_in,
    unverified,
    user,
)

from emulator.bearer import BearerError, authenticate_sharepoint
from emulator.directory import App
from emulator.server import Emulator
from emulator.tls import make_app_certificate
from emulator.tokens import Signer


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    with Emulator(build_tenant(), tmp_path_factory.mktemp("entra-app-only")) as emulator:
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


@pytest.fixture
def indexer(emu: Emulator, http: requests.Session) -> MsalApp:
    """The indexer's msal app: the registered certificate, fresh token cache."""
    return confidential_app(emu, http, certificate_credential(emu))


def sharepoint_scope(emu: Emulator) -> list[str]:
    return [f"{emu.sharepoint_url}/.default"]


def token_endpoint(emu: Emulator) -> str:
    return f"{emu.authority}/oauth2/v2.0/token"


# App-only ------------------------------------------------------------------------------------

def test_the_certificate_gives_a_sharepoint_token_with_full_control(
        emu: Emulator, indexer: MsalApp) -> None:
    result = indexer.acquire_token_for_client(sharepoint_scope(emu))
    claims = authenticate_sharepoint(emu.state, f"Bearer {result['access_token']}",
                                     "/sites/intranet")
    tid = emu.tenant.directory.tenant_id
    assert claims["aud"] == emu.sharepoint_url and claims["roles"] == ["Sites.FullControl.All"]
    assert claims["iss"] == f"https://sts.windows.net/{tid}/" and claims["tid"] == tid
    assert claims["appid"] == emu.registration.client_id and claims["app_displayname"]
    assert claims["idtyp"] == "app" and claims["ver"] == "1.0" and claims["oid"] == claims["sub"]
    assert claims["exp"] - claims["iat"] == emu.state.token_lifetime
    assert "scope" not in result and result["token_type"] == "Bearer"


def test_a_certificate_with_public_certificate_signs_ps256_with_x5c(
        emu: Emulator, http: requests.Session) -> None:
    certificate = emu.registration.certificate
    app = confidential_app(emu, http, {"private_key": certificate.key_file.read_text(),
                                       "public_certificate": certificate.cert_pem.decode()})
    assert "access_token" in app.acquire_token_for_client(sharepoint_scope(emu))


def test_msal_reuses_its_assertion_and_entra_accepts_it(
        emu: Emulator, indexer: MsalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    sent = []
    original = indexer.http_client.post

    def record(url: str, **kwargs) -> requests.Response:
        sent.append(kwargs["data"]["client_assertion"])
        return original(url, **kwargs)

    monkeypatch.setattr(indexer.http_client, "post", record)
    assert "access_token" in indexer.acquire_token_for_client(sharepoint_scope(emu))
    assert "access_token" in indexer.acquire_token_for_client(
        ["https://graph.microsoft.com/.default"])
    assert len(sent) == 2 and sent[0] == sent[1]


def test_an_unknown_certificate_is_refused_with_aadsts700027(
        emu: Emulator, http: requests.Session, tmp_path: Path) -> None:
    stranger = make_app_certificate(tmp_path, "stranger")
    app = confidential_app(emu, http, {"private_key": stranger.key_file.read_text(),
                                       "thumbprint": stranger.thumbprint})
    result = app.acquire_token_for_client(sharepoint_scope(emu))
    assert result["error"] == "invalid_client" and result["error_codes"] == [700027]
    assert stranger.thumbprint in result["error_description"]


def _assertion(emu: Emulator, key_pem: str, padded: bool = True, **changes) -> str:
    now = int(time.time())
    client_id = emu.registration.client_id
    payload = {"aud": token_endpoint(emu), "iss": client_id, "sub": client_id,
               "exp": now + 600, "iat": now, "jti": str(uuid.uuid4())} | changes
    x5t = base64.urlsafe_b64encode(bytes.fromhex(emu.registration.certificate.thumbprint))
    headers = {"x5t": (x5t if padded else x5t.rstrip(b"=")).decode()}
    return jwt.encode(payload, key_pem, algorithm="RS256", headers=headers)


def _redeem(emu: Emulator, http: requests.Session, assertion: str) -> requests.Response:
    return http.post(token_endpoint(emu), data={
        "client_id": emu.registration.client_id, "grant_type": "client_credentials",
        "scope": sharepoint_scope(emu)[0], "client_assertion": assertion,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"})


@pytest.mark.parametrize(("changes", "code"), [
    ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 4000}, 700024),
    ({"aud": "https://login.microsoftonline.com/other/oauth2/v2.0/token"}, 700023),
    ({"iss": "someone-else", "sub": "someone-else"}, 700021),
])
def test_bad_assertions_are_refused(
        emu: Emulator, http: requests.Session, changes: dict, code: int) -> None:
    key = emu.registration.certificate.key_file.read_text()
    response = _redeem(emu, http, _assertion(emu, key, **changes))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.json()["error_codes"] == [code]


def test_an_assertion_signed_with_another_key_fails_signature_validation(
        emu: Emulator, http: requests.Session, tmp_path: Path) -> None:
    other_key = make_app_certificate(tmp_path, "other").key_file.read_text()
    response = _redeem(emu, http, _assertion(emu, other_key))
    assert response.status_code == 401 and response.json()["error_codes"] == [700027]


def test_an_unpadded_x5t_is_accepted_too(emu: Emulator, http: requests.Session) -> None:
    key = emu.registration.certificate.key_file.read_text()
    assert _redeem(emu, http, _assertion(emu, key, padded=False)).status_code == 200


def test_a_client_secret_gets_a_token_that_sharepoint_refuses(
        emu: Emulator, portal: MsalApp) -> None:
    result = portal.acquire_token_for_client(sharepoint_scope(emu))
    assert unverified(result["access_token"])["appidacr"] == "1"
    with pytest.raises(BearerError) as refused:
        authenticate_sharepoint(emu.state, f"Bearer {result['access_token']}", "/sites/intranet")
    assert refused.value.status == 401 and refused.value.reason == "unsupported"
    assert refused.value.description == "Unsupported app only token."


def test_a_wrong_client_secret_is_aadsts7000215(emu: Emulator, http: requests.Session) -> None:
    result = confidential_app(emu, http, "wrong").acquire_token_for_client(sharepoint_scope(emu))
    assert result["error"] == "invalid_client" and result["error_codes"] == [7000215]


def test_client_credentials_need_a_default_scope(emu: Emulator, indexer: MsalApp) -> None:
    result = indexer.acquire_token_for_client(["User.Read"])
    assert result["error"] == "invalid_scope" and result["error_codes"] == [1002012]


@pytest.fixture
def second_app(emu: Emulator) -> Iterator[App]:
    """Another app registration with the same certificate, removed after the test."""
    certificate = emu.registration.certificate
    app = App(client_id=str(uuid.uuid4()), name="Nyhedsrobot",
              certificates={certificate.thumbprint: certificate.cert_pem})
    emu.tenant.directory.apps[app.client_id] = app
    yield app
    del emu.tenant.directory.apps[app.client_id]


@pytest.mark.parametrize(("access", "site", "allowed"), [
    ("none", "/sites/intranet", False),
    ("selected", "/sites/intranet", True),
    ("selected", "/sites/hr", False),
    ("selected", None, False),
])
def test_sharepoint_grants_follow_the_app_registration(
        emu: Emulator, http: requests.Session, second_app: App, access: str, site: str | None,
        allowed: bool) -> None:
    second_app.sharepoint_access = access
    second_app.granted_sites = {"/sites/intranet"}
    app = confidential_app(emu, http, certificate_credential(emu), second_app.client_id)
    token = app.acquire_token_for_client(sharepoint_scope(emu))["access_token"]
    roles = {"none": [], "selected": ["Sites.Selected"]}[access]
    assert unverified(token).get("roles", []) == roles
    if allowed:
        assert authenticate_sharepoint(emu.state, f"Bearer {token}", site)["appid"]
    else:
        with pytest.raises(BearerError) as refused:
            authenticate_sharepoint(emu.state, f"Bearer {token}", site)
        assert refused.value.status == 403


# authenticate_sharepoint ---------------------------------------------------------------------

def test_an_expired_token_is_refused(
        emu: Emulator, indexer: MsalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(emu.state, "token_lifetime", 1)
    token = indexer.acquire_token_for_client(sharepoint_scope(emu))["access_token"]
    time.sleep(max(0.0, unverified(token)["exp"] - time.time()) + 0.05)
    with pytest.raises(BearerError) as refused:
        authenticate_sharepoint(emu.state, f"Bearer {token}", "/sites/intranet")
    assert (refused.value.status, refused.value.reason) == (401, "expired")
    assert refused.value.headers["x-ms-diagnostics"].startswith("3000002;")


def test_a_token_issued_before_revocation_is_refused(
        emu: Emulator, indexer: MsalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    token = indexer.acquire_token_for_client(sharepoint_scope(emu))["access_token"]
    monkeypatch.setattr(emu.state, "tokens_revoked_before", time.time() + 1)
    with pytest.raises(BearerError) as refused:
        authenticate_sharepoint(emu.state, f"Bearer {token}", "/sites/intranet")
    assert (refused.value.status, refused.value.reason) == (401, "revoked")


def test_missing_foreign_and_forged_tokens_are_refused(
        emu: Emulator, portal: MsalApp, indexer: MsalApp, browser: requests.Session) -> None:
    graph_token = sign_in(portal, browser, user(emu, "anne"))["access_token"]
    genuine = unverified(indexer.acquire_token_for_client(sharepoint_scope(emu))["access_token"])
    forged = Signer().sign(genuine)
    for header, reason in [(None, "missing"), ("Basic abc", "missing"),
                           (f"Bearer {graph_token}", "audience"), (f"Bearer {forged}", "invalid"),
                           ("Bearer not-a-jwt", "invalid")]:
        with pytest.raises(BearerError) as refused:
            authenticate_sharepoint(emu.state, header, "/sites/intranet")
        assert (refused.value.status, refused.value.reason) == (401, reason), header
        assert "WWW-Authenticate" in refused.value.headers
