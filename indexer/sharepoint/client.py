"""The SharePoint client: one short method per resource, over one ClientContext per site.

Sign-in, the HTTP session (pool, retries, counters) and the settings are shared by every site
of a client: :meth:`SharePointClient.for_site` clones the context for another site.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from office365.sharepoint.client_context import ClientContext

from indexer.sharepoint import changes, files, items, libraries, sites
from indexer.sharepoint.auth import TokenProvider
from indexer.sharepoint.changes import Change
from indexer.sharepoint.constants import DOCUMENT_EXPAND, DOCUMENT_FIELDS, PAGE_EXPAND, PAGE_FIELDS
from indexer.sharepoint.errors import NotFound, named_errors
from indexer.sharepoint.http import RetryPolicy, SharePointSession, TransportStats
from indexer.sharepoint.libraries import Library
from indexer.sharepoint.permissions import PermissionResolver, Principals
from indexer.sharepoint.sites import SiteInfo, SiteRef
from indexer.sharepoint.subscriptions import Subscriptions


@dataclass(frozen=True)
class ClientSettings:
    """Where the client signs in, with which credential, and how hard it tries.

    ``authority`` is ``https://login.microsoftonline.com/<tenant id>`` for a real tenant.
    ``ca_file`` is the CA bundle to trust (None: the system's).
    """

    authority: str
    client_id: str
    certificate_key_file: Path
    certificate_thumbprint: str
    organisation: str
    app_name: str = "Intranetportal"
    app_version: str = "0.1.0"
    ca_file: Path | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    token_refresh_margin: float = 300.0
    max_attempts: int = 6
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    max_total_wait: float = 300.0
    max_file_bytes: int = 50 * 1024 * 1024

    @property
    def user_agent(self) -> str:
        """The User-Agent Microsoft asks unregistered apps to send (``NONISV|org|app/ver``)."""
        return f"NONISV|{self.organisation}|{self.app_name}/{self.app_version}"

    @property
    def retry_policy(self) -> RetryPolicy:
        """The retry budget of one request."""
        return RetryPolicy(max_attempts=self.max_attempts, backoff_base=self.backoff_base,
                           backoff_cap=self.backoff_cap, max_total_wait=self.max_total_wait)


def token_provider(settings: ClientSettings, sharepoint_url: str) -> TokenProvider:
    """The app-only token provider for the SharePoint origin of ``sharepoint_url``."""
    return TokenProvider(
        authority=settings.authority, client_id=settings.client_id,
        key_file=settings.certificate_key_file, thumbprint=settings.certificate_thumbprint,
        sharepoint_url=sharepoint_url, ca_file=settings.ca_file,
        timeout=settings.connect_timeout, refresh_margin=settings.token_refresh_margin)


class SharePointClient:
    """SharePoint REST for one site, with named errors (see ``errors``) and plain values.

    ``sleep`` is what the session waits with between retries (tests pass a recorder).
    """

    def __init__(self, site_url: str, token_provider: TokenProvider, settings: ClientSettings,
                 *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.token_provider = token_provider
        timeout = (settings.connect_timeout, settings.read_timeout)
        self.session = SharePointSession(
            user_agent=settings.user_agent, tokens=token_provider, ca_file=settings.ca_file,
            timeout=timeout, policy=settings.retry_policy, sleep=sleep)
        ctx = ClientContext(site_url).with_access_token(token_provider)
        self._bind(ctx.with_transport(session=self.session, timeout=timeout))

    def _bind(self, ctx: ClientContext) -> None:
        self._ctx = ctx
        self.site_url = ctx.base_url
        self._permissions = PermissionResolver(ctx)

    def for_site(self, site_url: str) -> SharePointClient:
        """A client for another site, sharing sign-in, session and counters (fresh caches)."""
        other = copy.copy(self)
        other._bind(self._ctx.clone(site_url.rstrip("/")))
        return other

    @property
    def stats(self) -> TransportStats:
        """Requests, retries and throttling waits so far (shared by every site)."""
        return self.session.stats

    # --- sites ---------------------------------------------------------------------------------

    def site(self) -> SiteInfo:
        """The site and its root web."""
        with named_errors(self.site_url):
            return sites.site_info(self._ctx)

    def hub_sites(self, hub_site_id: str) -> list[SiteRef]:
        """The sites associated with a hub site, the hub included (by search)."""
        with named_errors(self.site_url):
            return sites.hub_sites(self._ctx, hub_site_id)

    # --- libraries -----------------------------------------------------------------------------

    def document_libraries(self, names: Collection[str] = ()) -> list[Library]:
        """Visible document libraries, or those whose title or URL name is in ``names``."""
        with named_errors(self.site_url):
            return libraries.document_libraries(self._ctx, names)

    def site_pages(self) -> Library:
        """The Site Pages library (found by URL: its title is localised)."""
        with named_errors(self.site_url):
            return libraries.site_pages(self._ctx, urlsplit(self.site_url).path)

    # --- items ---------------------------------------------------------------------------------

    def documents(self, list_id: str) -> Iterator[dict]:
        """Every file and folder of a document library, with the document fields."""
        with named_errors(self.site_url):
            yield from items.list_items(self._ctx, list_id, DOCUMENT_FIELDS, DOCUMENT_EXPAND)

    def pages(self, list_id: str) -> Iterator[dict]:
        """Every page of Site Pages, with the page fields (canvas, banner, news flags…)."""
        with named_errors(self.site_url):
            yield from items.list_items(self._ctx, list_id, PAGE_FIELDS, PAGE_EXPAND)

    def document(self, list_id: str, item_id: int) -> dict | None:
        """One file or folder, or None when it is gone."""
        return self._item(list_id, item_id, DOCUMENT_FIELDS, DOCUMENT_EXPAND)

    def page(self, list_id: str, item_id: int) -> dict | None:
        """One page, or None when it is gone."""
        return self._item(list_id, item_id, PAGE_FIELDS, PAGE_EXPAND)

    def _item(self, list_id: str, item_id: int, fields: tuple[str, ...],
              expand: tuple[str, ...]) -> dict | None:
        try:
            with named_errors(self.site_url):
                return items.get_item(self._ctx, list_id, item_id, fields, expand)
        except NotFound:
            return None

    def item_versions(self, list_id: str, item_id: int) -> list[dict]:
        """Every version of an item, newest first, with its field values."""
        with named_errors(self.site_url):
            return items.item_versions(self._ctx, list_id, item_id)

    def last_published_version(self, list_id: str, item_id: int) -> dict | None:
        """The version readers see (newest major, approved), or None if never published."""
        return items.last_published(self.item_versions(list_id, item_id))

    # --- files ---------------------------------------------------------------------------------

    def download(self, server_relative_url: str, version_id: int | None = None) -> bytes:
        """A file's bytes (or a version's), at most ``settings.max_file_bytes`` of them."""
        with named_errors(self.site_url):
            return files.download(self._ctx, self.session, server_relative_url,
                                  self.settings.max_file_bytes, version_id)

    # --- changes -------------------------------------------------------------------------------

    def list_changes(self, list_id: str, token: str) -> list[Change]:
        """Item changes of a list after ``token``, oldest first."""
        with named_errors(self.site_url):
            return changes.list_changes(self._ctx, list_id, token)

    def site_changes(self, token: str) -> list[Change]:
        """Every change of the site collection after ``token`` (items, lists, web, groups,
        users, permissions), oldest first."""
        with named_errors(self.site_url):
            return changes.site_changes(self._ctx, token)

    def change_token(self, list_id: str | None = None) -> str:
        """The current change token of a list, or of the site."""
        with named_errors(self.site_url):
            return changes.current_token(self._ctx, list_id)

    # --- webhooks ------------------------------------------------------------------------------

    def subscriptions(self) -> Subscriptions:
        """The webhook subscriptions of this site's lists."""
        return Subscriptions(self._ctx, self.site_url)

    # --- permissions ---------------------------------------------------------------------------

    def forget_permissions(self) -> None:
        """Read SharePoint groups and site admins again (they changed, or may have)."""
        self._permissions = PermissionResolver(self._ctx)

    def web_viewers(self) -> Principals:
        """Who may view the web and what inherits from it."""
        with named_errors(self.site_url):
            return self._permissions.for_web()

    def list_viewers(self, list_id: str) -> Principals:
        """Who may view a list and what inherits from it."""
        with named_errors(self.site_url):
            return self._permissions.for_list(list_id)

    def item_viewers(self, list_id: str, item_id: int) -> Principals:
        """Who may view an item."""
        with named_errors(self.site_url):
            return self._permissions.for_item(list_id, item_id)
