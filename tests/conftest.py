"""Fixtures shared by every test package: a running emulator with its own sample tenant."""

from __future__ import annotations

import itertools
import pickle
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

from emulator.postgres import PostgresServer
from emulator.server import Emulator, QuietHandler
from emulator.tenant import Tenant


@pytest.fixture(scope="session")
def sample_tenant_bytes() -> bytes:
    """The sample tenant, built once per test session and pickled."""
    from emulator.sample import build_sample_tenant

    return pickle.dumps(build_sample_tenant(1))


@pytest.fixture
def sample_tenant(sample_tenant_bytes: bytes) -> Tenant:
    """A fresh copy of the sample tenant that a test may change freely."""
    return pickle.loads(sample_tenant_bytes)


@pytest.fixture(scope="session")
def credentials_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """App credentials shared by the session's emulators (RSA keys are slow to make)."""
    return tmp_path_factory.mktemp("emulator-credentials")


@pytest.fixture
def serve(tmp_path: Path, credentials_dir: Path) -> Iterator[Callable[[Tenant], Emulator]]:
    """Start an emulator for a tenant on free ports; every one is stopped after the test."""
    numbers = itertools.count(1)
    with ExitStack() as running:

        def start(tenant: Tenant) -> Emulator:
            data_dir = tmp_path / f"emulator-{next(numbers)}"
            data_dir.mkdir()
            (data_dir / "credentials").symlink_to(credentials_dir, target_is_directory=True)
            return running.enter_context(Emulator(tenant, data_dir))

        yield start


@pytest.fixture
def serve_wsgi() -> Iterator[Callable[[Callable], str]]:
    """``serve_wsgi(app)``: serve a WSGI app on a free port in a thread; returns its origin.
    Every server is stopped after the test."""
    servers: list[tuple[BaseWSGIServer, threading.Thread]] = []

    def start(app: Callable) -> str:
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                  daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def emulator(sample_tenant: Tenant, serve: Callable[[Tenant], Emulator]) -> Emulator:
    """A running emulator with its own sample tenant on free ports."""
    return serve(sample_tenant)


def pytest_configure(config: pytest.Config) -> None:
    """Property-based tests draw the same examples on every run, so CI is repeatable."""
    from hypothesis import settings

    settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
    settings.load_profile("repeatable")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The test session's throwaway PostgreSQL server (one per xdist worker)."""
    try:
        server = PostgresServer()
    except RuntimeError as error:
        pytest.fail(str(error))
    yield server
    server.remove()
