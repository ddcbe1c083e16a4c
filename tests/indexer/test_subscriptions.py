"""Webhook subscriptions kept by ``indexer watch``: one per mirrored list, made through the
validation handshake with the real portal, renewed before they expire, made again when gone,
and recorded for the admin page, against the emulator's SharePoint."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from emulator.announce import tenant_settings
from emulator.server import Emulator
from emulator.webhooks import webhooks_store
from indexer.cli import make_client
from indexer.config import SettingsError
from indexer.index import SearchIndex
from indexer.settings import IndexerSettings, load_settings
from indexer.subscriptions import LIFETIME, Keeper
from indexer.webhook_status import load_webhooks
from portal import create_app

CLIENT_STATE = "delt-hemmelighed-til-webhooks"


@pytest.fixture
def portal_url(emulator: Emulator, tmp_path: Path, serve_wsgi) -> Iterator[Callable[..., str]]:
    """``portal_url(client_state)``: the notification URL of a real portal, served on a port."""
    apps = []

    def start(client_state: str = CLIENT_STATE) -> str:
        config = {"TESTING": True, "SECRET_KEY": "test", "INDEX_DIR": tmp_path / "index",
                  "SESSION_DB": tmp_path / f"sessions-{len(apps)}.sqlite3",
                  "TENANT_ID": emulator.tenant.directory.tenant_id,
                  "SHAREPOINT_URL": emulator.sharepoint_url, "WEBHOOK_CLIENT_STATE": client_state}
        apps.append(create_app(config))
        return f"{serve_wsgi(apps[-1])}/webhooks/sharepoint"

    yield start
    for app in apps:
        app.extensions["portal.content"].close()


@pytest.fixture
def index(emulator: Emulator, tmp_path: Path) -> SearchIndex:
    """An index whose checkpoints name every list of the sample tenant, as after a first pass."""
    index = SearchIndex.open_or_create(tmp_path / "index")
    with index.batch() as batch:
        for site in emulator.tenant.sites.values():
            for lst in site.lists.values():
                batch.set_checkpoint(f"list:{lst.id}", {
                    "list_id": lst.id, "site_url": emulator.site_url(site.name),
                    "title": lst.title, "kind": "documents"})
    return index


def _settings(emulator: Emulator, index: SearchIndex, url: str = "") -> IndexerSettings:
    return load_settings(tenant_settings(emulator) | {
        "INDEX_DIR": str(index.path), "WEBHOOK_URL": url,
        "WEBHOOK_CLIENT_STATE": CLIENT_STATE if url else ""})


def _keeper(emulator: Emulator, index: SearchIndex, url: str) -> Keeper:
    settings = _settings(emulator, index, url)
    return Keeper(settings, index, make_client(settings, sleep=lambda s: None))


def _later(keeper: Keeper, days: float) -> Keeper:
    """The keeper, with its clock ``days`` ahead of the real one."""
    keeper.now = lambda: datetime.now(UTC) + timedelta(days=days)
    return keeper


def _subscriptions(emulator: Emulator) -> dict[str, list]:
    """Every list's subscriptions in the emulator, by list id."""
    store = webhooks_store(emulator.state)
    app_id = emulator.registration.client_id
    return {lst.id: store.of_list(lst.id, app_id) for site in emulator.tenant.sites.values()
            for lst in site.lists.values()}


def _subscription_requests(emulator: Emulator) -> list[str]:
    return [f"{r.method} {r.path}" for r in emulator.state.requests.matching("/subscriptions")]


def test_every_mirrored_list_gets_one_subscription_and_an_idle_pass_asks_nothing(
        emulator: Emulator, index: SearchIndex, portal_url):
    url = portal_url()
    keeper = _keeper(emulator, index, url)
    status = keeper.maintain()
    lists = _subscriptions(emulator)
    assert len(status.subscribed) == len(lists) == len(status.lists) > 2
    for hook in status.lists:
        [made] = lists[hook.list_id]
        assert (made.id, made.notification_url, made.client_state) == (
            hook.subscription_id, url, CLIENT_STATE)
        assert timedelta(days=178) < hook.expires - datetime.now(UTC) <= LIFETIME
    assert load_webhooks(index.path) == status
    emulator.state.requests.clear()
    assert keeper.maintain() == status
    assert emulator.state.requests.matching() == []
    restarted = _keeper(emulator, index, url)  # a new `indexer watch` checks each list once
    kept = [(hook.subscription_id, hook.expires) for hook in restarted.maintain().subscribed]
    assert kept == [(hook.subscription_id, hook.expires) for hook in status.subscribed]
    assert {r.split(" ")[0] for r in _subscription_requests(emulator)} == {"GET"}
    assert len(_subscription_requests(emulator)) == len(status.lists)


def test_a_subscription_is_renewed_when_fewer_than_30_days_are_left(
        emulator: Emulator, index: SearchIndex, portal_url):
    keeper = _keeper(emulator, index, portal_url())
    before = {hook.list_id: hook for hook in keeper.maintain().lists}
    emulator.tenant.clock.advance(timedelta(days=155))
    emulator.state.requests.clear()
    after = _later(keeper, 155).maintain()
    patches = [r for r in _subscription_requests(emulator) if r.startswith("PATCH")]
    assert len(patches) == len(before)
    lists = _subscriptions(emulator)
    for hook in after.lists:
        assert hook.subscription_id == before[hook.list_id].subscription_id
        assert hook.expires - before[hook.list_id].expires > timedelta(days=150)
        assert lists[hook.list_id][0].expiration == hook.expires.replace(microsecond=0)


def test_a_subscription_gone_from_sharepoint_is_made_again_and_duplicates_removed(
        emulator: Emulator, index: SearchIndex, portal_url):
    url = portal_url()
    keeper = _keeper(emulator, index, url)
    first = keeper.maintain()
    gone, doubled = first.lists[0], first.lists[1]
    store = webhooks_store(emulator.state)
    store.remove(gone.subscription_id)
    client = make_client(_settings(emulator, index, url)).for_site(doubled.site_url)
    client.subscriptions().add(doubled.list_id, url, datetime.now(UTC) + timedelta(days=100),
                               CLIENT_STATE)
    assert len(_subscriptions(emulator)[doubled.list_id]) == 2
    assert keeper.maintain() == first  # nothing due yet
    later = _later(keeper, 0.6).maintain()  # past the 12-hour check
    lists = _subscriptions(emulator)
    assert all(len(subscriptions) == 1 for subscriptions in lists.values())
    renewed = {hook.list_id: hook.subscription_id for hook in later.subscribed}
    assert renewed[gone.list_id] not in ("", gone.subscription_id)
    assert renewed[doubled.list_id] == doubled.subscription_id


def test_a_url_that_fails_the_handshake_is_recorded_and_tried_again_later(
        emulator: Emulator, index: SearchIndex, portal_url):
    url = portal_url(client_state="")  # webhooks off in the portal: 404
    keeper = _keeper(emulator, index, url)
    status = keeper.maintain()
    assert status.configured and status.subscribed == []
    assert {hook.error for hook in status.lists} == {
        f"Failed to validate the notification URL '{url}'."}
    emulator.state.requests.clear()
    keeper.maintain()
    assert _subscription_requests(emulator) == []
    _later(keeper, 0.01).maintain()  # 14 minutes on: tried again
    reads = [r for r in _subscription_requests(emulator) if r.startswith("GET")]
    assert len(reads) == len(status.lists)


def test_without_the_settings_nothing_is_subscribed(emulator: Emulator, index: SearchIndex,
                                                    portal_url):
    assert _keeper(emulator, index, portal_url()).maintain().configured
    emulator.state.requests.clear()
    status = _keeper(emulator, index, "").maintain()
    assert not status.configured and not load_webhooks(index.path).configured
    assert emulator.state.requests.matching() == []


@pytest.mark.parametrize("values", [
    {"WEBHOOK_URL": "https://intra.example/webhooks/sharepoint"},
    {"WEBHOOK_CLIENT_STATE": CLIENT_STATE},
    {"WEBHOOK_URL": "intra.example/webhooks", "WEBHOOK_CLIENT_STATE": CLIENT_STATE},
    {"WEBHOOK_URL": "https://intra.example/webhooks", "WEBHOOK_CLIENT_STATE": "x" * 129},
])
def test_webhook_settings_come_in_pairs_and_are_checked(values: dict[str, str]):
    demo = {"SHAREPOINT_SITES": "http://127.0.0.1:7070/sites/intranet", "TENANT_ID": "t",
            "CLIENT_ID": "c", "CERTIFICATE_KEY_FILE": "k.pem", "CERTIFICATE_THUMBPRINT": "AB"}
    with pytest.raises(SettingsError, match="WEBHOOK"):
        load_settings(demo | values)
