"""Fixtures for the portal: a small index in a temp dir, the app against the emulator, and an
``auth`` fixture that signs a sample user in through the real Entra ID sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from portal_support import SignIn, build_documents, build_index, portal_config

from emulator.sample import people as p
from emulator.server import Emulator
from portal import create_app


@pytest.fixture
def index_dir(emulator: Emulator, tmp_path: Path) -> Path:
    """The test index, built in the temp dir."""
    return build_index(tmp_path / "index", build_documents(emulator.sharepoint_url))


@pytest.fixture
def app(emulator: Emulator, index_dir: Path, tmp_path: Path) -> Iterator[Flask]:
    """The portal against the emulator and the test index."""
    portal = create_app(portal_config(emulator, tmp_path))
    yield portal
    portal.extensions["portal.content"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser of the portal."""
    return app.test_client()


@pytest.fixture
def auth(client: FlaskClient, emulator: Emulator) -> SignIn:
    """``auth(upn, shared=False)`` signs a sample user in through the emulator."""
    return SignIn(client, emulator)


@pytest.fixture
def signed_in(auth: SignIn, client: FlaskClient) -> Iterator[FlaskClient]:
    """The client, signed in as a teacher on a personal device."""
    auth(p.TEACHER)
    yield client

