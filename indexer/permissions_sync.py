"""Re-deriving acls after a site's permissions or SharePoint groups changed.

Only permissions are read again: the web's, each list's, each folder and item with unique
permissions. Inheriting documents get their acl from the index's own records, so no file is
downloaded and no item listing is read.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection

from indexer.index import SearchIndex
from indexer.listsync import ListReport, ListState
from indexer.sharepoint.client import SharePointClient
from indexer.sharepoint.errors import NotFound
from indexer.sharepoint.sites import SiteInfo

log = logging.getLogger(__name__)


def reresolve_site(client: SharePointClient, index: SearchIndex, site: SiteInfo,
                   skip: Collection[str] = ()) -> list[ListReport]:
    """Recompute every acl of a site's mirrored lists (but those in ``skip``, whose acls were
    just read) and store those that changed."""
    reports = []
    for key, stored in index.checkpoints().items():
        if key.startswith("list:") and stored.get("site_url") == site.url \
                and stored["list_id"] not in skip:
            reports.append(_reresolve_list(client, index, ListState(**stored)))
    return reports


def _reresolve_list(client: SharePointClient, index: SearchIndex,
                    state: ListState) -> ListReport:
    report = ListReport(state.site_url, state.title)
    list_acl = client.list_viewers(state.list_id)
    for folder in state.unique_folders.values():
        try:
            folder["acl"] = sorted(client.item_viewers(state.list_id, folder["id"]))
        except NotFound:
            folder["acl"] = []
    changed = []
    for doc_id in index.ids(state.list_id):
        doc = index.get(doc_id)
        if doc.unique_permissions:
            acl = client.item_viewers(state.list_id, doc.item_id)
        else:
            acl = _inherited(state, doc.path.rsplit("/", 1)[0], list_acl)
        if sorted(acl) != doc.acl:
            changed.append(dataclasses.replace(doc, acl=sorted(acl)))
    with index.batch() as batch:
        for doc in changed:
            batch.upsert(doc)
        batch.set_checkpoint(state.key, vars(state))
    report.upserts = len(changed)
    log.info("permissions of %s re-read: %d records changed", state.title, len(changed))
    return report


def _inherited(state: ListState, directory: str, list_acl: frozenset[str]) -> frozenset[str]:
    while directory:
        folder = state.unique_folders.get(directory)
        if folder is not None:
            return frozenset(folder["acl"])
        directory = directory.rsplit("/", 1)[0] if "/" in directory else ""
    return list_acl
