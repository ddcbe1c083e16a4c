"""SharePoint list webhooks: subscriptions, the validation handshake, and the notifications.

SharePoint's rules (learn.microsoft.com, "Overview of SharePoint webhooks"):

- A subscription belongs to one list and to the app that created it; only that app sees it.
- Creating one, or pointing it at another URL, first POSTs ``<notificationUrl>?validationtoken=…``
  with an empty body. The subscriber must answer 200 with the token as plain text within
  :data:`VALIDATION_TIMEOUT` seconds, or the subscription is refused.
- ``expirationDateTime`` lies in the future and at most :data:`MAX_DAYS` days ahead. An expired
  subscription is dropped.
- When items of the list change, SharePoint POSTs ``{"value": [notification, …]}`` to the URL:
  which subscription and which list, never the change itself (the subscriber asks GetChanges).
  Notifications for one URL that fall within one tick (:data:`TICK`) go in one request. A
  delivery answered outside 200-299, or not at all, is tried again up to :data:`MAX_ATTEMPTS`
  times, ``retry_seconds`` apart (SharePoint: five times, five minutes apart).

Each running emulator has one :class:`Webhooks` store (:func:`webhooks_store`). Its deliverer
thread starts with the first subscription, watches the change logs of the subscribed lists,
and ends with :func:`stop_webhooks`.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import requests

from emulator.state import EmulatorState
from emulator.tenant import Site, SPList, Tenant

MAX_DAYS = 180
VALIDATION_TIMEOUT = 5.0  # seconds the subscriber has to echo the validation token
DELIVERY_TIMEOUT = 5.0  # seconds a notification POST may take
TICK = 0.2  # seconds between looks at the change logs: changes within one tick go together
MAX_ATTEMPTS = 5
RETRY_SECONDS = 300.0
_STORE = "webhooks"
_create_lock = threading.Lock()


class SubscriptionError(ValueError):
    """A subscription SharePoint refuses; the message is the one SharePoint gives."""


class InvalidExpiration(SubscriptionError):
    """``expirationDateTime`` is in the past or more than :data:`MAX_DAYS` days ahead."""

    def __init__(self) -> None:
        super().__init__("The specified expiration date is invalid. Should be greater than "
                         "today and within 6 months")


class ValidationFailed(SubscriptionError):
    """The notification URL did not echo the validation token in time."""

    def __init__(self, url: str) -> None:
        super().__init__(f"Failed to validate the notification URL '{url}'.")


@dataclass
class Subscription:
    """One webhook subscription on one list; ``seen`` is the newest change already notified."""

    id: str
    app_id: str
    site_url: str  # server-relative, such as /sites/intranet
    web_id: str
    list_id: str
    notification_url: str
    expiration: datetime
    client_state: str | None
    seen: int


@dataclass
class Delivery:
    """One POST to a notification URL, and when it may be tried (again)."""

    url: str
    body: dict
    attempt: int = 1
    due: float = 0.0


def wire_time(moment: datetime) -> str:
    """A time as SharePoint writes it in notifications: UTC with seven decimals."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")


class Webhooks:
    """The subscriptions of one emulator and the thread that delivers their notifications.

    ``validation_timeout`` and ``retry_seconds`` may be lowered by tests.
    """

    def __init__(self, tenant: Tenant, tenant_id: str) -> None:
        self.tenant, self.tenant_id = tenant, tenant_id
        self.validation_timeout = VALIDATION_TIMEOUT
        self.retry_seconds = RETRY_SECONDS
        self._subscriptions: dict[str, Subscription] = {}
        self._retries: list[Delivery] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- subscriptions ---------------------------------------------------------------------------

    def add(self, site: Site, lst: SPList, app_id: str, notification_url: str,
            expiration: datetime, client_state: str | None) -> Subscription:
        """Validate the URL, then subscribe it to the list's item changes."""
        self._check_expiration(expiration)
        self._validate(notification_url)
        subscription = Subscription(
            id=str(uuid.uuid4()), app_id=app_id, site_url=site.url, web_id=site.web_id,
            list_id=lst.id, notification_url=notification_url, expiration=expiration,
            client_state=client_state, seen=site.changes.last_number())
        with self._lock:
            self._subscriptions[subscription.id] = subscription
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="emulator-webhooks")
                self._thread.start()
        return subscription

    def of_list(self, list_id: str, app_id: str) -> list[Subscription]:
        """The app's live subscriptions on a list, oldest first."""
        with self._lock:
            self._drop_expired()
            return [s for s in self._subscriptions.values()
                    if s.list_id == list_id and s.app_id == app_id]

    def update(self, subscription: Subscription, notification_url: str | None = None,
               expiration: datetime | None = None, client_state: str | None = None) -> None:
        """Renew, move (validating the new URL) or re-tag a subscription."""
        if expiration is not None:
            self._check_expiration(expiration)
        if notification_url is not None and notification_url != subscription.notification_url:
            self._validate(notification_url)
        with self._lock:
            if notification_url is not None:
                subscription.notification_url = notification_url
            if expiration is not None:
                subscription.expiration = expiration
            if client_state is not None:
                subscription.client_state = client_state

    def remove(self, subscription_id: str) -> None:
        """Delete a subscription."""
        with self._lock:
            self._subscriptions.pop(subscription_id, None)

    def stop(self) -> None:
        """End the deliverer thread (pending retries are dropped)."""
        self._stop.set()
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout=DELIVERY_TIMEOUT + 5)

    def _check_expiration(self, expiration: datetime) -> None:
        now = self.tenant.clock.now()
        if not now < expiration <= now + timedelta(days=MAX_DAYS):
            raise InvalidExpiration()

    def _validate(self, url: str) -> None:
        """The handshake: POST ``?validationtoken=…`` and expect the token back, as SharePoint."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValidationFailed(url)
        token = str(uuid.uuid4())
        try:
            answer = requests.post(url, params={"validationtoken": token}, data=b"",
                                   timeout=self.validation_timeout, allow_redirects=False)
        except requests.RequestException as exc:
            raise ValidationFailed(url) from exc
        if answer.status_code != 200 or answer.text != token:
            raise ValidationFailed(url)

    def _drop_expired(self) -> None:
        now = self.tenant.clock.now()
        for key in [k for k, s in self._subscriptions.items() if s.expiration <= now]:
            del self._subscriptions[key]

    # --- notifications ---------------------------------------------------------------------------

    def _run(self) -> None:
        with requests.Session() as session:
            while not self._stop.wait(TICK):
                for delivery in self._due():
                    self._send(session, delivery)

    def _due(self) -> list[Delivery]:
        """New notifications, one delivery per URL, then the retries whose time has come."""
        batches: dict[str, list[dict]] = defaultdict(list)
        now = time.monotonic()
        with self.tenant.lock, self._lock:  # edits made under the tenant lock come together
            self._drop_expired()
            for subscription in self._subscriptions.values():
                if self._list_changed(subscription):
                    batches[subscription.notification_url].append(self.notification(subscription))
            due = [d for d in self._retries if d.due <= now]
            self._retries = [d for d in self._retries if d.due > now]
        return [Delivery(url, {"value": value}) for url, value in batches.items()] + due

    def _list_changed(self, subscription: Subscription) -> bool:
        """Whether items of the list changed since the last look (which moves ``seen`` on)."""
        site = self.tenant.site_by_url(subscription.site_url)
        changes = site.changes.since(subscription.seen) if site is not None else []
        if not changes:
            return False
        subscription.seen = changes[-1].number
        return any(c.kind == "item" and c.list_id == subscription.list_id for c in changes)

    def notification(self, subscription: Subscription) -> dict:
        """What SharePoint tells the subscriber: the subscription and the list, nothing more."""
        return {"subscriptionId": subscription.id, "clientState": subscription.client_state,
                "expirationDateTime": wire_time(subscription.expiration),
                "resource": subscription.list_id, "tenantId": self.tenant_id,
                "siteUrl": subscription.site_url, "webId": subscription.web_id}

    def _send(self, session: requests.Session, delivery: Delivery) -> None:
        try:
            answer = session.post(delivery.url, json=delivery.body, timeout=DELIVERY_TIMEOUT,
                                  allow_redirects=False)
            delivered = 200 <= answer.status_code < 300
        except requests.RequestException:
            delivered = False
        if not delivered and delivery.attempt < MAX_ATTEMPTS:
            again = dataclasses.replace(delivery, attempt=delivery.attempt + 1,
                                        due=time.monotonic() + self.retry_seconds)
            with self._lock:
                self._retries.append(again)


def webhooks_store(state: EmulatorState) -> Webhooks:
    """The webhook store of a running emulator, created on first use."""
    with _create_lock:
        store = state.stores.get(_STORE)
        if store is None:
            store = state.stores[_STORE] = Webhooks(state.tenant, state.tenant_id)
        return store


def stop_webhooks(state: EmulatorState) -> None:
    """Stop delivering notifications (when the emulator stops)."""
    with _create_lock:
        store = state.stores.get(_STORE)
    if store is not None:
        store.stop()
