"""Syncing one list: a full enumeration with reconciliation, or the changes since a token.

Crash safety: a list's checkpoint (its change token) is written in the same index commit as
the last changes it covers, so a run killed at any moment resumes from a token whose changes
are all in the index. Applying a change twice gives the same record, so replays are harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath

from indexer.document import Document
from indexer.extract import Extractor
from indexer.index import SearchIndex
from indexer.progress import track
from indexer.records import Place, document_record, is_folder, page_record, version_of
from indexer.sharepoint.client import SharePointClient
from indexer.sharepoint.errors import FileTooLarge

log = logging.getLogger(__name__)

BATCH_SIZE = 200  # documents per commit during a full enumeration
VERSION_ID_STEP = 512  # SharePoint version ids: major * 512 + minor


@dataclass
class ListReport:
    """What one pass did to one list."""

    site_url: str
    title: str
    full: bool = False
    upserts: int = 0
    deletes: int = 0
    extract_failures: int = 0
    error: str | None = None


@dataclass
class ListState:
    """A list's checkpoint, stored in the index as ``list:<list id>``."""

    list_id: str
    site_url: str
    title: str
    kind: str  # "documents" or "pages"
    token: str = ""
    token_obtained: str = ""
    last_full: str = ""
    unique_folders: dict[str, dict] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The checkpoint key."""
        return f"list:{self.list_id}"

    def age_days(self, stamp: str, now: datetime) -> float:
        """Days since an ISO timestamp of this state (infinite when never)."""
        if not stamp:
            return float("inf")
        return (now - datetime.fromisoformat(stamp)).total_seconds() / 86_400


class ListSync:
    """Full and incremental sync of one list of one site into the index."""

    def __init__(self, client: SharePointClient, index: SearchIndex, extractor: Extractor,
                 place: Place, state: ListState, now: Callable[[], datetime]) -> None:
        self.client, self.index, self.extractor = client, index, extractor
        self.place, self.state, self.now = place, state, now
        self.report = ListReport(place.site.url, place.library.title)
        self._list_acl: frozenset[str] | None = None

    @property
    def list_id(self) -> str:
        """The list's id."""
        return self.place.library.id

    # --- full -------------------------------------------------------------------------------

    def full(self) -> ListReport:
        """Enumerate every item, write it, then delete what SharePoint no longer has."""
        self.report.full = True
        token = self.client.change_token(self.list_id)
        obtained = self.now().isoformat()
        items = list(self._all_items())
        folders = {i["FileRef"]: i for i in items if is_folder(i)}
        self.state.unique_folders = {
            ref: {"id": int(f["Id"]), "acl": sorted(self.client.item_viewers(self.list_id,
                                                                            int(f["Id"])))}
            for ref, f in folders.items() if f.get("HasUniqueRoleAssignments")}
        seen: set[str] = set()
        pending: list[Document] = []
        label = f"list {self.place.library.title} ({self.place.site.title})"
        for item in track(items, label):
            if is_folder(item):
                continue
            doc = self._record(item, self._inherited_or_own_acl(item))
            if doc is None:
                continue
            seen.add(doc.id)
            pending.append(doc)
            if len(pending) >= BATCH_SIZE:
                self._commit(pending, ())
                pending = []
        stale = self.index.ids(self.list_id) - seen
        self.state.token, self.state.token_obtained = token, obtained
        self.state.last_full = obtained
        self._commit(pending, stale, checkpoint=True)
        return self.report

    def _all_items(self) -> Iterable[dict]:
        if self.state.kind == "pages":
            return self.client.pages(self.list_id)
        return self.client.documents(self.list_id)

    def _inherited_or_own_acl(self, item: dict) -> frozenset[str]:
        """The acl of an item, resolving inheritance locally (own, folder, list)."""
        if item.get("HasUniqueRoleAssignments"):
            return self.client.item_viewers(self.list_id, int(item["Id"]))
        return self._inherited_acl(item.get("FileDirRef") or "")

    def _inherited_acl(self, directory: str) -> frozenset[str]:
        while directory and directory != self.place.library.url:
            folder = self.state.unique_folders.get(directory)
            if folder is not None:
                return frozenset(folder["acl"])
            directory = directory.rsplit("/", 1)[0]
        if self._list_acl is None:
            self._list_acl = self.client.list_viewers(self.list_id)
        return self._list_acl

    # --- incremental --------------------------------------------------------------------------

    def incremental(self) -> ListReport:
        """Apply the changes since the stored token (ChangeTokenExpired goes to the caller)."""
        changes = [c for c in self.client.list_changes(self.list_id, self.state.token)
                   if c.kind == "item"]
        if not changes:
            return self.report
        deleted = {c.item_id: c.unique_id for c in changes if c.change_type == "delete"}
        touched = dict.fromkeys(c.item_id for c in changes if c.change_type != "delete")
        upserts: list[Document] = []
        removals: set[str] = set()
        for item_id in touched:
            item = self._fetch(item_id)
            if item is not None and is_folder(item):
                log.info("folder %s changed: re-enumerating %s", item["FileRef"],
                         self.place.library.title)
                return self.full()
            if item is None:
                deleted.setdefault(item_id, "")
                continue
            deleted.pop(item_id, None)
            doc = self._record(item, self.client.item_viewers(self.list_id, item_id))
            if doc is None:
                removals.add(self.place.doc_id(item["UniqueId"]))
            else:
                upserts.append(doc)
        known = self.index.ids(self.list_id)
        for unique_id in deleted.values():
            doc_id = self.place.doc_id(unique_id) if unique_id else ""
            if doc_id not in known:
                log.info("a deleted item of %s is not indexed (a folder?): re-enumerating",
                         self.place.library.title)
                return self.full()
            removals.add(doc_id)
        self.state.token = changes[-1].token
        self.state.token_obtained = self.now().isoformat()
        self._commit(upserts, removals, checkpoint=True)
        return self.report

    def _fetch(self, item_id: int) -> dict | None:
        if self.state.kind == "pages":
            return self.client.page(self.list_id, item_id)
        return self.client.document(self.list_id, item_id)

    # --- records ------------------------------------------------------------------------------

    def _record(self, item: dict, acl: frozenset[str]) -> Document | None:
        """The record of the item's published version, or None if it was never published."""
        major, minor = version_of(item)
        if major == 0:
            return None
        if self.state.kind == "pages":
            if minor:
                published = self.client.last_published_version(self.list_id, int(item["Id"]))
                if published is None:
                    return None
                item = item | {k: v for k, v in published.items() if k in _PAGE_VERSION_FIELDS}
            return page_record(self.place, item, acl)
        return self._document(item, acl, major * VERSION_ID_STEP if minor else None)

    def _document(self, item: dict, acl: frozenset[str], version_id: int | None) -> Document:
        known = self.index.get(self.place.doc_id(item["UniqueId"]))
        if known is not None and known.version == item.get("OData__UIVersionString") \
                and _file_type(known.path) == _file_type(item.get("FileRef") or ""):
            # The same version has the same bytes wherever it was moved (text is read by
            # type, so a rename to another type is read again).
            text, error = known.body, known.extract_error
        else:
            text, error = self._extract(item, version_id)
        doc = document_record(self.place, item, acl, text, error)
        if error:
            self.report.extract_failures += 1
        return doc

    def _extract(self, item: dict, version_id: int | None) -> tuple[str, str | None]:
        name = item.get("FileLeafRef") or ""
        try:
            data = self.client.download(item["FileRef"], version_id)
        except FileTooLarge as exc:
            return "", str(exc)
        result = self.extractor.extract(name, data)
        if result.error:
            log.warning("could not read %s: %s", item["FileRef"], result.error)
        return result.text, result.error

    # --- writing ------------------------------------------------------------------------------

    def _commit(self, upserts: Iterable[Document], deletes: Iterable[str],
                checkpoint: bool = False) -> None:
        with self.index.batch() as batch:
            for doc in upserts:
                batch.upsert(doc)
                self.report.upserts += 1
            for doc_id in deletes:
                batch.delete(doc_id)
                self.report.deletes += 1
            if checkpoint:
                batch.set_checkpoint(self.state.key, vars(self.state))


_PAGE_VERSION_FIELDS = frozenset({
    "Title", "Description", "CanvasContent1", "BannerImageUrl", "PromotedState",
    "FirstPublishedDate", "OData__ModernAudienceAadObjectIds", "Modified", "Author",
    "OData__UIVersionString",
})


def _file_type(path: str) -> str:
    return PurePosixPath(path).suffix.lower()


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)
