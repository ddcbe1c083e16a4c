"""The sync tests' view of a mirror: an emulator, the index the indexer writes, one pass."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from emulator.announce import tenant_settings
from emulator.server import Emulator
from indexer.cli import make_client
from indexer.document import Document
from indexer.extract import Extractor
from indexer.index import SearchIndex
from indexer.listsync import utc_now
from indexer.settings import load_settings
from indexer.sync import Syncer


class Mirror:
    """An emulator, the index the indexer writes for it, and one pass at a time.

    ``overrides`` replace settings (``SHAREPOINT_HUB_SITE=…``); :meth:`advance` moves the
    indexer's clock on, as time passing between passes would.
    """

    def __init__(self, emulator: Emulator, index_dir: Path, extractor: Extractor,
                 **overrides: str) -> None:
        self.emulator = emulator
        values = tenant_settings(emulator) | {"INDEX_DIR": str(index_dir)} | overrides
        self.settings = load_settings(values)
        self.index = SearchIndex.open_or_create(index_dir)
        self.offset = timedelta()
        self.syncer = Syncer(self.settings, self.index, make_client(self.settings), extractor,
                             now=self.now)

    def now(self) -> datetime:
        """The indexer's clock."""
        return utc_now() + self.offset

    def advance(self, delta: timedelta) -> None:
        """Let ``delta`` pass for the indexer."""
        self.offset += delta

    def sync(self, full: bool = False) -> int:
        """One pass; the emulator's request log then holds its requests alone."""
        self.emulator.state.requests.clear()
        return self.syncer.run(full=full).exit_code

    def sync_lists(self, *list_ids: str) -> int:
        """A pass of the named lists alone, as a webhook notification asks for one."""
        self.emulator.state.requests.clear()
        return self.syncer.run(only_lists=list_ids).exit_code

    def records(self) -> list[Document]:
        return list(self.index.all_documents())

    def by_path(self, path: str) -> Document | None:
        return next((d for d in self.records() if d.path == path), None)

    def by_title(self, title: str) -> Document | None:
        return next((d for d in self.records() if d.title == title), None)

    def requests(self, fragment: str = "/_api/") -> int:
        """How many SharePoint REST requests of the last pass contain ``fragment``."""
        return len(self.emulator.state.requests.matching(fragment))

    def edit(self, change, *args, **kwargs):
        """Make an editor change (``emulator.editing``) in the served tenant."""
        with self.emulator.tenant.lock:
            return change(self.emulator.tenant, *args, **kwargs)
