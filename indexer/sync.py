"""A sync pass over every configured site: which lists to sync, fully or by their changes.

A site that fails (403, 404, SharePoint unavailable) is reported and skipped; the others go on,
and nothing is deleted from the index because something failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from indexer.extract import Extractor
from indexer.index import SearchIndex
from indexer.listsync import ListReport, ListState, ListSync, utc_now
from indexer.permissions_sync import reresolve_site
from indexer.records import Place
from indexer.settings import IndexerSettings
from indexer.sharepoint.client import SharePointClient
from indexer.sharepoint.errors import ChangeTokenExpired, SharePointError
from indexer.sharepoint.libraries import Library
from indexer.sharepoint.sites import SiteInfo

log = logging.getLogger(__name__)

# Libraries that hold a site's plumbing, not documents for readers.
SYSTEM_LIBRARIES = frozenset({"siteassets", "style library", "formservertemplates",
                              "preservationholdlibrary", "sitecollectiondocuments",
                              "sitecollectionimages", "_catalogs"})

OK, PARTIAL, FAILED = 0, 1, 2


@dataclass
class SyncReport:
    """What one pass did: per list, and the sites that failed."""

    lists: list[ListReport] = field(default_factory=list)
    failed_sites: dict[str, str] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 all synced, 1 some sites or lists failed, 2 nothing could be synced."""
        failed_lists = [r for r in self.lists if r.error]
        if not self.failed_sites and not failed_lists:
            return OK
        if self.lists and len(failed_lists) < len(self.lists):
            return PARTIAL
        return FAILED


class Syncer:
    """Runs passes for the configured sites against one index."""

    def __init__(self, settings: IndexerSettings, index: SearchIndex, client: SharePointClient,
                 extractor: Extractor, now: Callable[[], datetime] = utc_now) -> None:
        self.settings, self.index, self.client = settings, index, client
        self.extractor, self.now = extractor, now

    def site_urls(self) -> list[str]:
        """The configured sites plus every site associated with the hub site, if one is set."""
        urls = [u.rstrip("/") for u in self.settings.sharepoint_sites]
        if self.settings.sharepoint_hub_site:
            hub_client = self.client.for_site(self.settings.sharepoint_hub_site)
            hub = hub_client.site()
            urls += [ref.url.rstrip("/") for ref in hub_client.hub_sites(hub.id)]
        return list(dict.fromkeys(urls))

    def run(self, full: bool = False, only_site: str | None = None) -> SyncReport:
        """One pass over every site (or one site)."""
        report = SyncReport()
        try:
            urls = [only_site.rstrip("/")] if only_site else self.site_urls()
        except SharePointError as exc:
            report.failed_sites[self.settings.sharepoint_hub_site] = str(exc)
            return report
        for url in urls:
            try:
                report.lists += self.sync_site(url, full)
            except SharePointError as exc:
                log.error("site %s skipped: %s", url, exc)
                report.failed_sites[url] = str(exc)
        return report

    def sync_site(self, url: str, full: bool) -> list[ListReport]:
        """Sync the libraries and Site Pages of one site."""
        client = self.client.for_site(url)
        site = client.site()
        checkpoints = self.index.checkpoints()
        site_key = f"site:{site.id}"
        old_token = checkpoints.get(site_key, {}).get("token") or ""
        token, security_changed = self._security_changes(client, old_token, full)
        lists = self._lists(client)
        reports = [self._sync_list(client, site, library, kind, checkpoints, full)
                   for library, kind in lists]
        self._forget_removed_lists(site, {library.id for library, _ in lists}, checkpoints)
        if security_changed:
            reports += reresolve_site(client, self.index, site)
        if token != old_token:
            with self.index.batch() as batch:
                batch.set_checkpoint(site_key, {"url": site.url, "title": site.title,
                                                "token": token})
        return reports

    def _security_changes(self, client: SharePointClient, token: str,
                          full: bool) -> tuple[str, bool]:
        """The site's next security token, and whether permissions or groups changed."""
        if full or not token:
            return client.change_token(), False
        try:
            changes = client.security_changes(token)
        except ChangeTokenExpired:
            return client.change_token(), True
        return (changes[-1].token or token, True) if changes else (token, False)

    def _forget_removed_lists(self, site: SiteInfo, present: set[str],
                              checkpoints: dict[str, dict]) -> None:
        """Remove the documents of lists that no longer exist in a site."""
        gone = [key for key, value in checkpoints.items()
                if key.startswith("list:") and value.get("site_url") == site.url
                and key.removeprefix("list:") not in present]
        for key in gone:
            list_id = key.removeprefix("list:")
            with self.index.batch() as batch:
                for doc_id in self.index.ids(list_id):
                    batch.delete(doc_id)
                batch.delete_checkpoint(key)

    def _lists(self, client: SharePointClient) -> list[tuple[Library, str]]:
        libraries = [lib for lib in client.document_libraries(self.settings.sharepoint_libraries)
                     if lib.url_name.lower() not in SYSTEM_LIBRARIES]
        return [(lib, "documents") for lib in libraries] + [(client.site_pages(), "pages")]

    def _sync_list(self, client: SharePointClient, site: SiteInfo, library: Library, kind: str,
                   checkpoints: dict[str, dict], full: bool) -> ListReport:
        stored = checkpoints.get(f"list:{library.id}")
        state = ListState(**stored) if stored else ListState(library.id, site.url,
                                                             library.title, kind)
        sync = ListSync(client, self.index, self.extractor, Place(site, library), state,
                        self.now)
        now = self.now()
        try:
            if full or not state.token or self._due_for_full(state, now):
                return sync.full()
            try:
                return sync.incremental()
            except ChangeTokenExpired:
                log.warning("change token of %s expired: re-enumerating it", library.title)
                return sync.full()
        except SharePointError as exc:
            log.error("list %s of %s failed: %s", library.title, site.url, exc)
            sync.report.error = str(exc)
            return sync.report

    def _due_for_full(self, state: ListState, now: datetime) -> bool:
        max_age = self.settings.change_token_max_age_days
        too_old = state.age_days(state.token_obtained, now) > max_age
        return too_old or state.age_days(state.last_full, now) > self.settings.reconcile_days
