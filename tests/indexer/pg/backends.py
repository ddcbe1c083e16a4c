"""The two search backends as one parametrised fixture, for tests that must pass on both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.postgres import PostgresServer
from indexer.backend import IndexBackend, open_index

BACKENDS = ("whoosh", "postgres")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[IndexBackend]:
    """A new empty index: the Whoosh index in a temp directory, or a new PostgreSQL database."""
    if request.param == "whoosh":
        yield open_index("", tmp_path / "index", create=True)
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    index = open_index(server.empty_database(), tmp_path / "index", create=True)
    yield index
    index.close()
