"""One webhook subscription on every mirrored list, kept alive by ``indexer watch``.

With ``WEBHOOK_URL`` and ``WEBHOOK_CLIENT_STATE`` set, ``indexer watch`` calls
:meth:`Keeper.maintain` after each pass. For each mirrored list (a ``list:`` checkpoint in the
index) that is due, it reads the list's subscriptions in SharePoint and

- creates ours when there is none (SharePoint first checks that ``WEBHOOK_URL`` answers the
  validation handshake, so the portal must be reachable from SharePoint);
- renews it to :data:`LIFETIME` ahead when less than :data:`RENEW_BEFORE` is left, or when
  its client state is not the configured one;
- removes duplicates, which a retried create can leave.

A list is due at the first call of a keeper (so a restarted indexer checks everything once),
when its subscription nears expiry, every :data:`RECHECK` (a subscription can be removed in
SharePoint), and :data:`RETRY_AFTER` after a failure. Other passes make no request. The state
goes to the record of :mod:`indexer.webhook_status`, which the admin page shows.
Notifications themselves go to the portal, which wakes ``indexer watch`` (see
:mod:`indexer.wakeup`); polling stays on.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from office365.runtime.client_request_exception import ClientRequestException

from indexer.index import SearchIndex
from indexer.settings import IndexerSettings
from indexer.sharepoint.client import SharePointClient
from indexer.sharepoint.errors import SharePointError
from indexer.sharepoint.subscriptions import Subscription, Subscriptions
from indexer.webhook_status import ListWebhook, WebhookStatus, load_webhooks, save_webhooks

log = logging.getLogger(__name__)

LIFETIME = timedelta(days=179)  # SharePoint allows 180 days; one day of margin for clocks
RENEW_BEFORE = timedelta(days=30)
RECHECK = timedelta(hours=12)
RETRY_AFTER = timedelta(minutes=5)


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Keeper:
    """Keeps the configured webhook subscribed to every mirrored list of ``index``."""

    def __init__(self, settings: IndexerSettings, index: SearchIndex, client: SharePointClient,
                 now: Callable[[], datetime] = _utc_now) -> None:
        self.url, self.client_state = settings.webhook_url, settings.webhook_client_state
        self.index, self.client, self.now = index, client, now
        self._seen: set[str] = set()  # lists this keeper has asked SharePoint about

    def maintain(self) -> WebhookStatus:
        """Subscribe, renew or check every list that is due; record and return the state."""
        old = load_webhooks(self.index.path)
        if not self.url:
            new = WebhookStatus()
        else:
            now = self.now()
            known = {hook.list_id: hook for hook in old.lists
                     if old.notification_url == self.url}
            hooks = []
            for key, state in sorted(self.index.checkpoints().items()):
                if not key.startswith("list:"):
                    continue
                hook = known.get(state["list_id"]) or ListWebhook(
                    state["list_id"], state["site_url"], state["title"])
                if self._due(hook, now):
                    hook = self._ensure(hook, now)
                    self._seen.add(hook.list_id)
                hooks.append(hook)
            new = WebhookStatus(True, self.url, tuple(hooks))
        if new != old:
            save_webhooks(self.index.path, new)
        return new

    def _due(self, hook: ListWebhook, now: datetime) -> bool:
        if hook.checked is None or hook.list_id not in self._seen:
            return True
        if hook.error or hook.expires is None:
            return now - hook.checked >= RETRY_AFTER
        return hook.expires - now < RENEW_BEFORE or now - hook.checked >= RECHECK

    def _ensure(self, hook: ListWebhook, now: datetime) -> ListWebhook:
        """Make the list's subscription right; on failure, record why and keep what was known."""
        subscriptions = self.client.for_site(hook.site_url).subscriptions()
        try:
            ours = sorted((s for s in subscriptions.of_list(hook.list_id)
                           if s.notification_url == self.url),
                          key=lambda s: s.expiration, reverse=True)
            for extra in ours[1:]:
                subscriptions.remove(hook.list_id, extra.id)
            kept = self._renewed(subscriptions, hook, ours[0], now) if ours else subscriptions.add(
                hook.list_id, self.url, now + LIFETIME, self.client_state)
        except (SharePointError, ClientRequestException) as error:
            log.warning("webhook of %s in %s: %s", hook.title, hook.site_url, error)
            return dataclasses.replace(hook, checked=now, error=str(error) or type(error).__name__)
        if not ours:
            log.info("webhook subscribed for %s in %s", hook.title, hook.site_url)
        return dataclasses.replace(hook, subscription_id=kept.id, expires=kept.expiration,
                                   checked=now, error="")

    def _renewed(self, subscriptions: Subscriptions, hook: ListWebhook, current: Subscription,
                 now: datetime) -> Subscription:
        if current.expiration - now >= RENEW_BEFORE and current.client_state == self.client_state:
            return current
        expiration = now + LIFETIME
        subscriptions.update(hook.list_id, current.id, expiration, self.client_state)
        log.info("webhook of %s in %s renewed until %s", hook.title, hook.site_url,
                 expiration.date().isoformat())
        return dataclasses.replace(current, expiration=expiration)
