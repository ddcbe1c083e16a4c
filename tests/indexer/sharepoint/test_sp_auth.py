"""App-only tokens: fetched with the certificate, cached, refreshed before expiry and on 401."""

from __future__ import annotations

import dataclasses

import jwt
import pytest

from emulator.server import Emulator
from indexer.sharepoint.auth import TokenProvider, resource_scope
from indexer.sharepoint.client import ClientSettings, token_provider
from indexer.sharepoint.errors import TokenFetchFailed


def claims(token: dict) -> dict:
    """The claims of an access token (not verified: SharePoint does that)."""
    return jwt.decode(token["access_token"], options={"verify_signature": False})


@pytest.mark.parametrize(("url", "scope"), [
    ("https://sundby.sharepoint.com/sites/intranet", "https://sundby.sharepoint.com/.default"),
    ("http://127.0.0.1:7070/sites/hr/", "http://127.0.0.1:7070/.default"),
])
def test_scope_is_the_sharepoint_origin(url: str, scope: str) -> None:
    assert resource_scope(url) == scope


def test_token_is_fetched_with_the_certificate(emulator: Emulator,
                                               tokens: TokenProvider) -> None:
    token = tokens()

    assert token["token_type"] == "Bearer"
    assert 0 < token["expires_in"] <= emulator.state.token_lifetime
    access = claims(token)
    assert access["aud"] == emulator.sharepoint_url
    assert access["appid"] == emulator.registration.client_id
    assert access["appidacr"] == "2"  # a certificate, not a secret
    assert "Sites.FullControl.All" in access["roles"]


def test_token_is_cached_until_the_refresh_margin(emulator: Emulator,
                                                  settings: ClientSettings) -> None:
    now = [1_000_000.0]
    provider = TokenProvider(
        authority=settings.authority, client_id=settings.client_id,
        key_file=settings.certificate_key_file, thumbprint=settings.certificate_thumbprint,
        sharepoint_url=emulator.sharepoint_url, ca_file=settings.ca_file, refresh_margin=300,
        clock=lambda: now[0])
    lifetime = emulator.state.token_lifetime

    first = provider()
    assert first["expires_in"] == lifetime - 300
    now[0] += lifetime - 301
    assert provider()["access_token"] == first["access_token"]
    now[0] += 1
    second = provider()

    assert second["access_token"] != first["access_token"]
    assert provider.fetches == 2


def test_force_refresh_replaces_a_rejected_token_once(tokens: TokenProvider) -> None:
    rejected = f"Bearer {tokens()['access_token']}"

    fresh = tokens.force_refresh(rejected)
    again = tokens.force_refresh(rejected)  # another request saw the same 401

    assert f"Bearer {fresh['access_token']}" != rejected
    assert again["access_token"] == fresh["access_token"]
    assert tokens.fetches == 2


def test_a_wrong_thumbprint_names_the_aadsts_error(emulator: Emulator,
                                                   settings: ClientSettings) -> None:
    wrong = dataclasses.replace(settings, certificate_thumbprint="AB" * 20)

    with pytest.raises(TokenFetchFailed, match="AADSTS700027") as caught:
        token_provider(wrong, emulator.sharepoint_url)()

    key = settings.certificate_key_file.read_text()
    assert key.splitlines()[1] not in str(caught.value)


def test_the_ca_file_wins_over_requests_ca_bundle(tokens: TokenProvider,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca-bundle.pem")

    assert tokens()["access_token"]


def test_an_unreachable_authority_is_a_token_fetch_failure(emulator: Emulator,
                                                           settings: ClientSettings) -> None:
    offline = dataclasses.replace(
        settings, authority=f"https://127.0.0.1:9/{emulator.state.tenant_id}")

    with pytest.raises(TokenFetchFailed):
        token_provider(offline, emulator.sharepoint_url)()
