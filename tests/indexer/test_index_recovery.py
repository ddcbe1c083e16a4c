"""A damaged or missing index directory is detected, reported, and rebuilt by the next sync."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from chaos_support import small_tenant, syncer

from emulator.server import Emulator
from emulator.tenant import Tenant
from indexer.extract import Extractor
from indexer.index import IndexCorrupt, IndexUnavailable, SearchIndex
from indexer.sync import OK


def _largest(index_dir: Path, suffix: str) -> Path:
    return max(index_dir.glob(f"*{suffix}"), key=lambda path: path.stat().st_size)


def _zero_toc(index_dir: Path) -> None:
    toc = next(index_dir.glob("_MAIN_*.toc"))
    toc.write_bytes(b"\0" * toc.stat().st_size)


def _truncate_stored(index_dir: Path) -> None:
    stored = _largest(index_dir, "._stored.col")
    stored.write_bytes(stored.read_bytes()[: stored.stat().st_size // 2])


def _delete_terms(index_dir: Path) -> None:
    _largest(index_dir, ".trm").unlink()


def _delete_directory(index_dir: Path) -> None:
    shutil.rmtree(index_dir)


@pytest.mark.parametrize("damage", [_zero_toc, _truncate_stored, _delete_terms,
                                    _delete_directory])
def test_a_damaged_index_is_reported_and_rebuilt_by_the_next_sync(
        damage: Callable[[Path], None], serve: Callable[[Tenant], Emulator], tmp_path: Path,
        extractor: Extractor, caplog: pytest.LogCaptureFixture):
    emulator = serve(small_tenant())
    index_dir = tmp_path / "index"
    assert syncer(emulator, index_dir, extractor).run().exit_code == OK
    records = list(SearchIndex.open(index_dir).all_documents())
    generation = SearchIndex.open(index_dir).generation()
    damage(index_dir)
    expected = IndexUnavailable if damage is _delete_directory else IndexCorrupt
    with pytest.raises(expected):
        SearchIndex.open(index_dir)

    with caplog.at_level(logging.ERROR, logger="indexer.index"):
        rebuilt = syncer(emulator, index_dir, extractor)
    if damage is not _delete_directory:
        assert f"the search index at {index_dir} is damaged and cannot be" in caplog.text
        assert "creating it again: the next pass is a full sync" in caplog.text
        assert rebuilt.index.generation() > generation  # readers' caches never see an old one
    assert rebuilt.run().exit_code == OK
    assert list(SearchIndex.open(index_dir).all_documents()) == records
