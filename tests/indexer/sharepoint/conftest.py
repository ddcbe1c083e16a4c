"""Fixtures for the SharePoint client: settings and clients pointed at the running emulator."""

from __future__ import annotations

import pytest

from emulator.server import Emulator
from indexer.sharepoint.auth import TokenProvider
from indexer.sharepoint.client import ClientSettings, SharePointClient, token_provider


@pytest.fixture
def sleeps() -> list[float]:
    """The waits the client asked for: it sleeps by appending here, so tests run at once."""
    return []


@pytest.fixture
def settings(emulator: Emulator) -> ClientSettings:
    """Settings for the emulator's app registration, as the indexer would read them."""
    registration = emulator.registration
    return ClientSettings(
        authority=emulator.authority, client_id=registration.client_id,
        certificate_key_file=registration.certificate.key_file,
        certificate_thumbprint=registration.certificate.thumbprint,
        organisation="Sundby Kommune", app_version="test", ca_file=emulator.ca_file,
        max_total_wait=250.0)


@pytest.fixture
def tokens(emulator: Emulator, settings: ClientSettings) -> TokenProvider:
    """The app-only token provider for the emulator's SharePoint."""
    return token_provider(settings, emulator.sharepoint_url)


@pytest.fixture
def client(emulator: Emulator, settings: ClientSettings, tokens: TokenProvider,
           sleeps: list[float]) -> SharePointClient:
    """A client for the intranet site that records its waits in ``sleeps``."""
    return SharePointClient(emulator.site_url("intranet"), tokens, settings, sleep=sleeps.append)
