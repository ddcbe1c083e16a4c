"""``POST /webhooks/sharepoint``: the handshake, clientState, size and rate limits, the wake-up
it hands the indexer, the admin page's webhook state, and a news item that reaches the index
through a real emulator notification while ``indexer watch`` polls only once an hour."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from portal_support import SignIn, group, parse_html, portal_config, title_of
from prometheus_client import REGISTRY

from emulator.announce import tenant_settings
from emulator.editor_client import EditorClient
from emulator.sample import people as p
from emulator.server import Emulator
from indexer.index import SearchIndex
from indexer.status import load_record
from indexer.wakeup import Waiter, Wakeup, pending
from indexer.webhook_status import ListWebhook, WebhookStatus, load_webhooks, save_webhooks
from portal import create_app
from portal.webhooks import BURST, MAX_BODY, TokenBucket

CLIENT_STATE = "en-lang-tilfaeldig-hemmelighed"
HOOK = "/webhooks/sharepoint"
LIST_A = "6f1d2c1e-0b8a-4c7e-9e55-3a1b2c3d4e5f"
LIST_B = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
MakeApp = Callable[..., Flask]


@pytest.fixture
def make_app(emulator: Emulator, tmp_path: Path) -> Iterator[MakeApp]:
    """``make_app(**settings)``: the portal with webhooks on, its index in ``tmp_path``."""
    apps: list[Flask] = []

    def make(**overrides: object) -> Flask:
        settings = {"WEBHOOK_CLIENT_STATE": CLIENT_STATE} | overrides
        apps.append(create_app(portal_config(emulator, tmp_path, **settings)))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["portal.content"].close()


@pytest.fixture
def hook(make_app: MakeApp) -> FlaskClient:
    """A client of the portal that nobody signed in to, as SharePoint is."""
    return make_app().test_client()


def _notification(*lists: str, client_state: str | None = CLIENT_STATE) -> dict:
    return {"value": [{"subscriptionId": f"sub-{n}", "clientState": client_state,
                       "expirationDateTime": "2026-09-30T17:27:00.0000000Z", "resource": lst,
                       "tenantId": "t", "siteUrl": "/sites/intranet", "webId": "w"}
                      for n, lst in enumerate(lists)]}


def _counted(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_the_handshake_echoes_the_token_as_plain_text_without_sign_in(hook: FlaskClient):
    token = "8f4d2c1a-59b2-4c1e-9f3a-0e5d6c7b8a90"
    answer = hook.post(f"{HOOK}?validationtoken={token}")
    assert (answer.status_code, answer.text, answer.mimetype) == (200, token, "text/plain")
    assert "sandbox" in answer.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in answer.headers


@pytest.mark.parametrize("token", ["<script>alert(1)</script>", "x" * 257, "", "a b"])
def test_a_token_that_does_not_look_like_one_is_not_echoed(hook: FlaskClient, token: str):
    answer = hook.post(HOOK, query_string={"validationtoken": token})
    assert (answer.status_code, answer.text) == (400, "not a validation token\n")


def test_a_notification_wakes_the_indexer_for_the_lists_it_names(
        hook: FlaskClient, tmp_path: Path):
    waiter = Waiter(tmp_path / "index", threading.Event())  # what `indexer watch` waits with
    before = _counted("portal_webhook_notifications_total")
    answer = hook.post(HOOK, json=_notification(LIST_A, LIST_B.upper(), LIST_A))
    assert (answer.status_code, answer.text) == (202, "")
    assert _counted("portal_webhook_notifications_total") == before + 3
    assert waiter.take() == Wakeup(everything=False, list_ids=frozenset({LIST_A, LIST_B}))


@pytest.mark.parametrize("body", [
    _notification(LIST_A, client_state="guess"),
    _notification(LIST_A, client_state=None),
    {"value": [*_notification(LIST_A)["value"], *_notification(LIST_B, client_state="x")["value"]]},
])
def test_a_wrong_client_state_is_refused_and_wakes_nothing(hook: FlaskClient, tmp_path: Path,
                                                           body: dict):
    before = _counted("portal_webhook_requests_total", outcome="refused")
    assert hook.post(HOOK, json=body).status_code == 403
    assert pending(tmp_path / "index") == []
    assert _counted("portal_webhook_requests_total", outcome="refused") == before + 1


@pytest.mark.parametrize("body", [
    b"not json", b"[]", json.dumps({"value": []}).encode(),
    json.dumps(_notification("../../etc/passwd")).encode(),
])
def test_a_body_that_is_not_a_notification_is_refused(hook: FlaskClient, tmp_path: Path,
                                                      body: bytes):
    answer = hook.post(HOOK, data=body, content_type="application/json")
    assert answer.status_code == 400
    assert pending(tmp_path / "index") == []


def test_a_body_over_64_kb_is_refused(hook: FlaskClient, tmp_path: Path):
    padded = _notification(LIST_A)
    padded["value"][0]["padding"] = "x" * MAX_BODY
    assert hook.post(HOOK, json=padded).status_code == 413
    assert pending(tmp_path / "index") == []
    assert hook.post(HOOK, json=_notification(LIST_A)).status_code == 202


def test_the_endpoint_is_off_without_a_client_state(make_app: MakeApp, tmp_path: Path):
    off = make_app(WEBHOOK_CLIENT_STATE="").test_client()
    assert off.post(f"{HOOK}?validationtoken=abc").status_code == 404
    assert off.post(HOOK, json=_notification(LIST_A, client_state="")).status_code == 404
    assert pending(tmp_path / "index") == []


def test_each_address_is_rate_limited(make_app: MakeApp):
    app = make_app()
    app.extensions["portal.webhook_limiter"] = TokenBucket(rate=0.01, burst=3)
    client = app.test_client()
    statuses = [client.post(f"{HOOK}?validationtoken=t{n}").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.post(f"{HOOK}?validationtoken=again")
    assert refused.headers["Retry-After"] == "100"
    other = client.post(f"{HOOK}?validationtoken=t", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200


def test_a_token_bucket_refills_and_forgets_the_least_recent_address():
    now = [0.0]
    bucket = TokenBucket(rate=2.0, burst=2, max_addresses=2, clock=lambda: now[0])
    assert [bucket.allow("a") for _ in range(3)] == [True, True, False]
    now[0] += 0.5  # one token back
    assert [bucket.allow("a"), bucket.allow("a")] == [True, False]
    assert bucket.allow("b") and bucket.allow("c")  # "a" is forgotten: three addresses
    assert [bucket.allow("a") for _ in range(3)] == [True, True, False]
    assert BURST >= 10  # SharePoint batches, but a tenant with many lists sends bursts


def test_the_admin_page_shows_each_lists_subscription(emulator: Emulator, make_app: MakeApp,
                                                      tmp_path: Path):
    mirror = tmp_path / "mirror"
    site = emulator.site_url("intranet")
    index = SearchIndex.create(mirror)
    with index.batch() as batch:
        for list_id, title in ((LIST_A, "Dokumenter"), (LIST_B, "Webstedssider")):
            batch.set_checkpoint(f"list:{list_id}", {"list_id": list_id, "site_url": site,
                                                     "title": title, "kind": "documents"})
    client = make_app(INDEX_DIR=mirror, ADMIN_GROUP=group(p.IT)[6:]).test_client()
    SignIn(client, emulator)(p.IT_ADMIN)
    client.set_cookie("lang", "en")
    assert "Not configured: changes are found by polling." in client.get("/admin").text
    expires = datetime.now(UTC) + timedelta(days=100)
    save_webhooks(mirror, WebhookStatus(True, "https://intra.example/webhooks/sharepoint", (
        ListWebhook(LIST_A, site, "Dokumenter", "sub-1", expires, datetime.now(UTC)),
        ListWebhook(LIST_B, site, "Webstedssider", checked=datetime.now(UTC),
                    error="Failed to validate the notification URL"))))
    page = client.get("/admin").text
    assert title_of(page) == "Sync status – Intranet"
    assert "1 of 2 lists subscribed; SharePoint notifies https://intra.example/webhooks" in page
    rows = {row.find("th").text: "".join(row.findall("td")[-1].itertext())
            for row in parse_html(page).iter("tr") if row.find("td") is not None}
    assert rows["Dokumenter"].startswith("Until ")
    assert rows["Webstedssider"] == "Failed: Failed to validate the notification URL"


# --- end to end ----------------------------------------------------------------------------------

def _until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _all_subscribed(index_dir: Path) -> bool:
    status = load_webhooks(index_dir)
    return bool(status.lists) and len(status.subscribed) == len(status.lists)


def _titles(index_dir: Path) -> set[str]:
    return {doc.title for doc in SearchIndex.open(index_dir).all_documents()}


@pytest.mark.slow
def test_a_published_news_item_reaches_the_index_through_a_notification(
        emulator: Emulator, make_app: MakeApp, tmp_path: Path, serve_wsgi):
    mirror = tmp_path / "mirror"
    url = f"{serve_wsgi(make_app(INDEX_DIR=mirror))}{HOOK}"
    env = os.environ | tenant_settings(emulator) | {
        "INDEX_DIR": str(mirror), "POLL_INTERVAL": "3600", "WEBHOOK_URL": url,
        "WEBHOOK_CLIENT_STATE": CLIENT_STATE}
    title = "Svømmehallen åbner igen efter renoveringen"
    with (tmp_path / "watch.log").open("w") as log:
        watch = subprocess.Popen([sys.executable, "-m", "indexer.cli", "watch"], env=env,
                                 cwd=tmp_path, stdout=log, stderr=log)
        try:
            assert _until(lambda: _all_subscribed(mirror), 300), "no subscriptions were made"
            passes = load_record(mirror)["totals"]["passes"]
            assert title not in _titles(mirror)
            EditorClient(emulator.sharepoint_url, emulator.editor_key).publish_news(
                "intranet", title, text="Fra mandag er der åbent i alle baner.")
            # polling is an hour away: only the notification can bring it
            assert _until(lambda: title in _titles(mirror), 60), "the news never arrived"
            assert _until(lambda: load_record(mirror)["totals"]["passes"] > passes, 60)
        finally:
            watch.send_signal(signal.SIGTERM)
            watch.wait(timeout=120)
    assert watch.returncode == 0, (tmp_path / "watch.log").read_text()
