"""A sync pass over every configured site: which lists to sync, fully or by their changes.

An incremental pass costs one request per site when nothing changed: a site-level
``GetChanges`` (see ``sitestate``). Only the lists it names are asked for their own changes;
the site and its lists are read again only when they changed or their copy is old; acls are
resolved again only when groups, users or permissions changed.

A pass asked for by webhook notifications names the lists that changed: it asks only those
lists for their changes (:meth:`Syncer.run` with ``only_lists``), and the regular pass still
follows every poll interval for what notifications do not tell (permissions, structure).

A site that fails (403, 404, SharePoint unavailable) is reported and skipped; the others go on,
and nothing is deleted from the index because something failed. A site's token moves on only
when every list of the pass succeeded, so a failed list is retried from the same changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
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
from indexer.sitestate import HUB_KEY, SITE_PREFIX, HubState, SiteChanges, SiteState

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
    # per site that met throttling: (throttled answers, seconds waited)
    throttling: dict[str, tuple[int, float]] = field(default_factory=dict)

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
    """Runs passes for the configured sites against one index.

    One client per site is kept from pass to pass (its form digest and SharePoint group
    members are read once, and again after a change).
    """

    def __init__(self, settings: IndexerSettings, index: SearchIndex, client: SharePointClient,
                 extractor: Extractor, now: Callable[[], datetime] = utc_now) -> None:
        self.settings, self.index, self.client = settings, index, client
        self.extractor, self.now = extractor, now
        self._clients: dict[str, SharePointClient] = {}

    def site_urls(self, full: bool = False) -> list[str]:
        """The configured sites plus every site associated with the hub site, if one is set."""
        urls = [u.rstrip("/") for u in self.settings.sharepoint_sites]
        if self.settings.sharepoint_hub_site:
            urls += self._hub_sites(full)
        return list(dict.fromkeys(urls))

    def _hub_sites(self, full: bool) -> list[str]:
        """The hub's sites, searched for again when the stored ones are old (or on --full)."""
        url = self.settings.sharepoint_hub_site.rstrip("/")
        hub = HubState.find(self.index.checkpoints(), url) or HubState(url)
        now = self.now()
        if full or hub.stale(now):
            client = self._client(url)
            hub.hub_site_id = hub.hub_site_id or client.site().id
            hub.sites = [ref.url.rstrip("/") for ref in client.hub_sites(hub.hub_site_id)]
            hub.refreshed = now.isoformat()
            with self.index.batch() as batch:
                batch.set_checkpoint(HUB_KEY, asdict(hub))
        return hub.sites

    def _client(self, url: str) -> SharePointClient:
        key = url.rstrip("/").lower()
        if key not in self._clients:
            self._clients[key] = self.client.for_site(url)
        return self._clients[key]

    def run(self, full: bool = False, only_site: str | None = None,
            only_lists: Collection[str] = ()) -> SyncReport:
        """One pass over every site, or one site, or only the lists ``only_lists`` names (ids,
        any case). A list that no earlier pass mirrored makes it a pass over every site."""
        if only_lists and not full and not only_site:
            checkpoints = self.index.checkpoints()
            targets = _mirrored_lists(checkpoints, only_lists)
            if targets is not None:
                return self._run_lists(targets, checkpoints)
            log.info("a notified list is not mirrored yet: syncing every site")
        report = SyncReport()
        try:
            urls = [only_site.rstrip("/")] if only_site else self.site_urls(full)
        except SharePointError as exc:
            report.failed_sites[self.settings.sharepoint_hub_site] = str(exc)
            return report
        for url in urls:
            before = self.client.stats
            try:
                report.lists += self.sync_site(url, full)
            except SharePointError as exc:
                log.error("site %s skipped: %s", url, exc)
                report.failed_sites[url] = str(exc)
            after = self.client.stats
            if after.throttled > before.throttled:
                report.throttling[url] = (after.throttled - before.throttled,
                                          after.throttle_wait - before.throttle_wait)
        return report

    def _run_lists(self, targets: list[tuple[SiteState, Library, str]],
                   checkpoints: dict[str, dict]) -> SyncReport:
        """Each list's own changes, leaving its site's token where it is: the next regular
        pass sees the site's changes name the list, and finds nothing new in it."""
        report = SyncReport()
        for site, library, kind in targets:
            client = self._client(site.requested_url)
            report.lists.append(self._sync_list(client, site, library, kind,
                                                checkpoints.get(f"list:{library.id}"), False))
        return report

    def sync_site(self, url: str, full: bool) -> list[ListReport]:
        """Sync the libraries and Site Pages of one site: those that changed, unless ``full``."""
        client = self._client(url)
        checkpoints = self.index.checkpoints()
        state = SiteState.find(checkpoints, url) or SiteState(url.rstrip("/"))
        now = self.now()
        token, changes = self._site_changes(client, state, full, now)
        reread = changes is None or changes.structure or state.stale(now)
        if reread:
            client.forget_permissions()
            self._read_structure(client, state, checkpoints, now)
        elif changes.security:
            client.forget_permissions()
        reports, resolved = [], set()
        for library, kind in state.libraries():
            stored = checkpoints.get(f"list:{library.id}")
            if changes is None or stored is None or library.id.lower() in changes.lists \
                    or self._due_for_full(ListState(**stored), now):
                report = self._sync_list(client, state, library, kind, stored, full)
                if report.full:
                    resolved.add(library.id)
            else:  # the site's changes name none of it: it is up to date
                report = ListReport(state.url, library.title)
            reports.append(report)
        if not full and (changes is None or changes.security):
            reports += reresolve_site(client, self.index, state.info, skip=resolved)
        moved_on = token != state.token and not any(r.error for r in reports)
        if moved_on:  # else the failed lists' changes are asked for again next pass
            state.token, state.token_obtained = token, now.isoformat()
        if moved_on or reread:
            with self.index.batch() as batch:
                batch.set_checkpoint(state.key, asdict(state))
        return reports

    def _site_changes(self, client: SharePointClient, state: SiteState, full: bool,
                      now: datetime) -> tuple[str, SiteChanges | None]:
        """The site's next change token, and what its changes call for (None: not known, so
        every list is synced and every acl resolved again)."""
        max_age = self.settings.change_token_max_age_days
        if full or state.token_older_than(max_age, now):
            return client.change_token(), None
        try:
            changes = client.site_changes(state.token)
        except ChangeTokenExpired:
            log.warning("change token of site %s expired: syncing every list", state.url)
            return client.change_token(), None
        return (changes[-1].token or state.token if changes else state.token,
                SiteChanges.of(changes))

    def _read_structure(self, client: SharePointClient, state: SiteState,
                        checkpoints: dict[str, dict], now: datetime) -> None:
        """Read the site and its lists again, and forget the lists that are gone."""
        libraries = [lib for lib in client.document_libraries(self.settings.sharepoint_libraries)
                     if lib.url_name.lower() not in SYSTEM_LIBRARIES]
        lists = [(lib, "documents") for lib in libraries] + [(client.site_pages(), "pages")]
        state.remember(client.site(), lists, now)
        self._forget_removed_lists(state, {library.id for library, _ in lists}, checkpoints)

    def _forget_removed_lists(self, state: SiteState, present: set[str],
                              checkpoints: dict[str, dict]) -> None:
        """Remove the documents of lists that no longer exist in a site."""
        gone = [key for key, value in checkpoints.items()
                if key.startswith("list:") and value.get("site_url") == state.url
                and key.removeprefix("list:") not in present]
        for key in gone:
            list_id = key.removeprefix("list:")
            log.info("list %s of %s is gone: removing its records", list_id, state.url)
            with self.index.batch() as batch:
                for doc_id in self.index.ids(list_id):
                    batch.delete(doc_id)
                batch.delete_checkpoint(key)

    def _sync_list(self, client: SharePointClient, site: SiteState, library: Library,
                   kind: str, stored: dict | None, full: bool) -> ListReport:
        state = ListState(**stored) if stored else ListState(library.id, site.url,
                                                             library.title, kind)
        sync = ListSync(client, self.index, self.extractor, Place(site.info, library), state,
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


def _mirrored_lists(checkpoints: dict[str, dict], list_ids: Collection[str]
                    ) -> list[tuple[SiteState, Library, str]] | None:
    """Each list named, with its site and kind as last mirrored; None if one is unknown."""
    known: dict[str, tuple[SiteState, Library, str]] = {}
    for key, value in checkpoints.items():
        if key.startswith(SITE_PREFIX) and value.get("site"):
            site = SiteState(**value)
            for library, kind in site.libraries():
                known[library.id.lower()] = (site, library, kind)
    wanted = sorted({list_id.lower() for list_id in list_ids})
    if not all(list_id in known for list_id in wanted):
        return None
    return [known[list_id] for list_id in wanted]
