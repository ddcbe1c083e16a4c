"""Helpers for the index-layer tests: small realistic documents in a real Whoosh index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sync_support import Mirror

from emulator.server import Emulator
from indexer.document import Document
from indexer.extract import Extractor
from indexer.index import SearchIndex
from tests.indexer.pg.backends import backend  # noqa: F401 - both backends, for the search tests

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
MakeDoc = Callable[..., Document]


def _make_doc(number: int, title: str, body: str = "", **fields: Any) -> Document:
    """A document in site ``hr`` (list ``docs``) visible to everyone unless told otherwise."""
    kind = fields.pop("kind", "document")
    defaults: dict[str, Any] = {
        "site_id": "hr", "site_title": "HR og Løn", "list_id": "docs",
        "url": f"https://contoso.sharepoint.com/sites/hr/{number}",
        "modified": NOW - timedelta(days=number), "file_type": "docx" if kind == "document" else "",
        "acl": ["everyone"], "author": "Mette Ørsted",
    }
    values = defaults | fields
    return Document(id=f"{values['site_id']}:{values['list_id']}:{number}", kind=kind,
                    title=title, body=body, **values)


@pytest.fixture
def make_doc() -> MakeDoc:
    """Build a :class:`Document` from a number, a title, a body and any other fields."""
    return _make_doc


@pytest.fixture
def search_index(tmp_path: Path) -> SearchIndex:
    """A new empty index in a temp directory."""
    return SearchIndex.create(tmp_path / "index")


@pytest.fixture
def now() -> datetime:
    """The fixed "now" of the sample documents (document n was modified n days before)."""
    return NOW


@pytest.fixture(scope="module")
def extractor() -> Iterator[Extractor]:
    """One extraction worker for the tests of a module."""
    with Extractor(timeout=30) as running:
        yield running


@pytest.fixture
def mirror(emulator: Emulator, tmp_path: Path, extractor: Extractor) -> Mirror:
    """A mirror of a fresh sample tenant after its first full pass."""
    synced = Mirror(emulator, tmp_path / "index", extractor)
    assert synced.sync() == 0
    return synced
