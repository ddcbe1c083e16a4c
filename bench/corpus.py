"""The benchmark corpus: a synthetic tenant's items as index records, and a cached index of them.

Records are made in process, without HTTP and without the extraction worker: each item becomes
the dict SharePoint's REST API gives for it, its acl is resolved from the tenant's role
assignments as the indexer resolves them (view rights, SharePoint groups expanded, site
admins added), its text is read by the indexer's own readers, and ``indexer.records`` turns
them into the documents that ``SearchIndex.batch()`` writes.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from emulator.synthetic import build_synthetic_tenant
from emulator.tenant import (
    ROLE_DEFINITIONS,
    SHAREPOINT_GROUP,
    SITE_PAGES,
    ListItem,
    RoleAssignment,
    Site,
    SPList,
    Tenant,
)
from indexer.document import Document
from indexer.extract import extract_text
from indexer.index import SearchIndex
from indexer.records import Place, document_record, page_record
from indexer.schema import SCHEMA_VERSION
from indexer.sharepoint.constants import VIEW_ROLE_KINDS
from indexer.sharepoint.libraries import Library
from indexer.sharepoint.permissions import principal_of
from indexer.sharepoint.sites import SiteInfo

# The code that decides what an index holds: a change to any of it builds a new index.
_INDEXING_CODE = ("emulator.synthetic", "indexer.analysis", "indexer.schema",
                  "indexer.document", "indexer.records", "indexer.index", "bench.corpus")
ORIGIN = "http://127.0.0.1:7070"  # the emulator's default SharePoint origin
BATCH_SIZE = 5000  # records per commit (fewer, larger segments: less merging)
BUILD_FILE = "build.json"  # written last: its presence marks a complete build


def synthetic_tenant(items: int, seed: int = 1) -> Tenant:
    """The emulator's synthetic tenant with ``items`` documents (plus its news pages)."""
    return build_synthetic_tenant(items, seed)


def build_index(items: int, directory: Path, seed: int = 1) -> Path:
    """The index of the synthetic tenant's records, built once and reused from ``directory``.

    The cache key holds the size, the seed, the schema version and a digest of the code that
    decides what the index holds (generator, analysis, schema, records, writer), so a change to
    any of it builds a new index. Returns the index directory.
    """
    home = Path(directory) / corpus_key(items, seed)
    index_dir = home / "index"
    if (home / BUILD_FILE).exists():
        return index_dir
    shutil.rmtree(home, ignore_errors=True)
    started = time.perf_counter()
    tenant = synthetic_tenant(items, seed)
    generated = time.perf_counter()
    index = SearchIndex.create(index_dir)
    made = written = 0.0
    count = 0
    pending: list[Document] = []
    stream = records(tenant)
    while True:
        tick = time.perf_counter()
        pending = list(islice(stream, BATCH_SIZE))
        tock = time.perf_counter()
        made += tock - tick
        if not pending:
            break
        _write(index, pending)
        written += time.perf_counter() - tock
        count += len(pending)
    tick = time.perf_counter()
    index.optimize()
    index.ix.close()
    stats = {"items": items, "seed": seed, "records": count,
             "seconds": {"tenant": generated - started, "records": made, "writing": written,
                         "optimize": time.perf_counter() - tick}}
    (home / BUILD_FILE).write_text(json.dumps(stats, indent=2) + "\n")
    return index_dir


def build_stats(index_dir: Path) -> dict:
    """How the index at ``index_dir`` was built: record count and seconds per step
    (``tenant``, ``records``, ``writing``, ``optimize``)."""
    return json.loads((Path(index_dir).parent / BUILD_FILE).read_text())


def corpus_key(items: int, seed: int = 1) -> str:
    """The cache directory name of one corpus."""
    digest = hashlib.sha256()
    for name in _INDEXING_CODE:
        digest.update(inspect.getsource(importlib.import_module(name)).encode())
    return f"synthetic-{items}-seed{seed}-schema{SCHEMA_VERSION}-{digest.hexdigest()[:12]}"


def _write(index: SearchIndex, docs: list[Document]) -> None:
    with index.batch() as batch:
        for doc in docs:
            batch.upsert(doc)


@dataclass(frozen=True)
class Text:
    """What the FTS5 baseline indexes of one record: the same texts and acl as the index."""

    id: str
    title: str
    description: str
    body: str
    acl: tuple[str, ...]
    site_id: str
    file_type: str


def texts(index_dir: Path) -> Iterator[Text]:
    """The texts of every record in a built index, read back from it (so they are the same)."""
    index = SearchIndex.open(index_dir)
    try:
        for doc in index.all_documents():
            yield Text(doc.id, doc.title, doc.description, doc.body, tuple(doc.acl),
                       doc.site_id, doc.file_type)
    finally:
        index.ix.close()


def records(tenant: Tenant) -> Iterator[Document]:
    """The index record of every published file and page of the tenant."""
    texts_of_shared_files: dict[bytes, tuple[str, str | None]] = {}
    for site in tenant.sites.values():
        acls = _Acls(tenant, site)
        info = _site_info(site)
        for lst in site.lists.values():
            place = Place(info, Library(lst.id, lst.title, lst.root_url, lst.base_template,
                                        len(lst.items), None))
            folders = {i.file_ref: i for i in lst.items.values() if i.is_folder}
            for item in lst.items.values():
                if item.is_folder or item.current.major == 0:
                    continue
                values = _values(site, item)
                acl = acls.of(lst, item, folders)
                if lst.base_template == SITE_PAGES:
                    yield page_record(place, values | _page_values(item), acl)
                    continue
                data = item.current.read()
                if isinstance(item.current.content, bytes):  # a file many items share
                    if data not in texts_of_shared_files:
                        texts_of_shared_files[data] = _extract(item.name, data)
                    text, error = texts_of_shared_files[data]
                else:
                    text, error = _extract(item.name, data)
                yield document_record(place, values, acl, text, error)


def _extract(name: str, data: bytes) -> tuple[str, str | None]:
    result = extract_text(name, data)
    return result.text, result.error


def _site_info(site: Site) -> SiteInfo:
    return SiteInfo(id=site.id, web_id=site.web_id, title=site.title, url=ORIGIN + site.url,
                    server_relative_url=site.url, hub_site_id=None, is_hub_site=False)


def _iso(moment: datetime) -> str:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _values(site: Site, item: ListItem) -> dict:
    """The REST field values of an item that ``indexer.records`` reads."""
    author = site.principals.get(item.author_id)
    version = item.current
    return {"Id": item.id, "UniqueId": item.unique_id, "FileLeafRef": item.name,
            "FileRef": item.file_ref, "FileDirRef": item.dir, "FSObjType": 0,
            "Title": version.fields.get("Title"), "Modified": _iso(item.modified),
            "Created": _iso(item.created), "Author": {"Title": author.title if author else ""},
            "OData__UIVersionString": version.label, "File": {"Length": version.size},
            "HasUniqueRoleAssignments": item.has_unique_role_assignments}


def _page_values(item: ListItem) -> dict:
    fields = item.current.fields
    published = fields.get("FirstPublishedDate")
    return {"Description": fields.get("Description"),
            "CanvasContent1": fields.get("CanvasContent1"),
            "BannerImageUrl": fields.get("BannerImageUrl"),
            "PromotedState": fields.get("PromotedState"),
            "FirstPublishedDate": _iso(published) if published else None,
            "OData__ModernAudienceAadObjectIds": fields.get("_ModernAudienceAadObjectIds")}


class _Acls:
    """Who may view each item of one site, resolved from the tenant as the indexer does."""

    def __init__(self, tenant: Tenant, site: Site) -> None:
        self._site = site
        self._users = {u.login_name.lower(): u.oid for u in tenant.directory.users.values()}
        self._scopes: dict[int, frozenset[str]] = {}
        admins = [p for p in site.principals.values() if p.is_site_admin]
        self._admins = frozenset().union(*(self._principal(p.id, set()) for p in admins))

    def of(self, lst: SPList, item: ListItem, folders: dict[str, ListItem]) -> frozenset[str]:
        """The principals that may view ``item``, following inheritance."""
        node: ListItem | None = item
        while node is not None and node.role_assignments is None:
            node = folders.get(node.dir)
        if node is not None:
            return self._viewers(node.role_assignments)
        if lst.role_assignments is not None:
            return self._viewers(lst.role_assignments)
        return self._viewers(self._site.role_assignments)

    def _viewers(self, assignments: list[RoleAssignment]) -> frozenset[str]:
        if id(assignments) not in self._scopes:
            viewers = set(self._admins)
            for assignment in assignments:
                roles = (ROLE_DEFINITIONS.get(r) for r in assignment.role_ids)
                if any(r is not None and r.role_type_kind in VIEW_ROLE_KINDS for r in roles):
                    viewers |= self._principal(assignment.principal_id, set())
            self._scopes[id(assignments)] = frozenset(viewers)
        return self._scopes[id(assignments)]

    def _principal(self, principal_id: int, seen: set[int]) -> frozenset[str]:
        principal = self._site.principals.get(principal_id)
        if principal is None or principal_id in seen:
            return frozenset()
        if principal.principal_type == SHAREPOINT_GROUP:
            seen.add(principal_id)
            return frozenset().union(*(self._principal(m, seen) for m in principal.members))
        oid = self._users.get(principal.login_name.lower())
        found = principal_of({"LoginName": principal.login_name,
                              "AadObjectId": {"NameId": oid} if oid else None})
        return frozenset({found}) if found else frozenset()
