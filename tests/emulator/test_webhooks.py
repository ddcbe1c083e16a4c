"""SharePoint list webhooks in the emulator: subscriptions over REST, the validation handshake,
the 180-day limit, renewal, and notifications that name the list but never the change."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
import requests
from werkzeug.wrappers import Request, Response

from emulator import editing
from emulator.server import Emulator
from emulator.webhooks import webhooks_store

NOMETADATA = "application/json;odata=nometadata"
NOTIFICATION_KEYS = {"subscriptionId", "clientState", "expirationDateTime", "resource",
                     "tenantId", "siteUrl", "webId"}


@dataclass
class Receiver:
    """A subscriber's endpoint: answers the handshake as ``handshake`` says, answers
    notifications with ``statuses`` (then 200), and records what it was sent."""

    handshake: str = "echo"  # echo, wrong, error or slow
    statuses: list[int] = field(default_factory=list)
    validations: list[tuple[str, bytes]] = field(default_factory=list)
    notifications: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ, start_response):
        request = Request(environ)
        token = request.args.get("validationtoken")
        with self.lock:
            if token is None:
                self.notifications.append(json.loads(request.get_data()))
                status = self.statuses.pop(0) if self.statuses else 200
                return Response(status=status)(environ, start_response)
            self.validations.append((token, request.get_data()))
        if self.handshake == "slow":
            time.sleep(1.0)
        answers = {"echo": (token, 200), "slow": (token, 200), "wrong": ("hello", 200),
                   "error": (token, 500)}
        text, status = answers[self.handshake]
        return Response(text, status, mimetype="text/plain")(environ, start_response)

    def wait_for(self, count: int, seconds: float = 30) -> list[dict]:
        """The notifications, once there are ``count`` of them (fails after ``seconds``)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.notifications) >= count:
                    return list(self.notifications)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} notifications, got {self.notifications}")


@pytest.fixture
def subscriber(serve_wsgi) -> Callable[..., tuple[Receiver, str]]:
    """``subscriber(**behaviour)``: a running receiver and its notification URL."""

    def start(**behaviour) -> tuple[Receiver, str]:
        receiver = Receiver(**behaviour)
        return receiver, f"{serve_wsgi(receiver)}/hooks/sharepoint"

    return start


@pytest.fixture
def api(emu: Emulator, bearer: dict[str, str]) -> Callable[..., requests.Response]:
    """``api(method, site, path, body)``: a raw REST call as the intranet app, nometadata."""

    def call(method: str, site: str, path: str, body: dict | None = None,
             **headers: str) -> requests.Response:
        return requests.request(method, f"{emu.site_url(site)}/_api/{path}", json=body,
                                headers=bearer | {"Accept": NOMETADATA} | headers, timeout=30)

    return call


def _docs(emu: Emulator, site: str = "intranet"):
    return emu.tenant.sites[f"/sites/{site}"].list_by_title("Dokumenter")


def _in(emu: Emulator, days: float) -> str:
    return (emu.tenant.clock.now() + timedelta(days=days)).isoformat()


def _subscribe(api, emu: Emulator, url: str, lst=None, days: float = 90,
               client_state: str = "s3cret") -> requests.Response:
    lst = lst or _docs(emu)
    return api("POST", "intranet", f"web/lists(guid'{lst.id}')/subscriptions", {
        "resource": f"{emu.site_url('intranet')}/_api/web/lists('{lst.id}')",
        "notificationUrl": url, "expirationDateTime": _in(emu, days),
        "clientState": client_state})


def test_a_subscription_is_made_after_the_url_echoes_the_validation_token(
        emu: Emulator, api, subscriber):
    receiver, url = subscriber()
    docs = _docs(emu)
    created = _subscribe(api, emu, url)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["notificationUrl"], body["resource"], body["clientState"]) == (
        url, docs.id, "s3cret")
    assert datetime.fromisoformat(body["expirationDateTime"]) > emu.tenant.clock.now()
    [(token, sent)] = receiver.validations
    assert len(token) >= 16 and sent == b""
    listed = api("GET", "intranet", f"web/lists(guid'{docs.id}')/subscriptions").json()["value"]
    assert [s["id"] for s in listed] == [body["id"]]
    one = api("GET", "intranet", f"web/lists('{docs.id}')/subscriptions('{body['id']}')")
    assert one.json()["notificationUrl"] == url
    verbose = api("GET", "intranet", f"web/lists(guid'{docs.id}')/subscriptions",
                  Accept="application/json;odata=verbose").json()["d"]["results"]
    assert verbose[0]["__metadata"]["type"] == "Microsoft.SharePoint.Webhooks.Subscription"


@pytest.mark.parametrize("handshake", ["wrong", "error", "slow"])
def test_a_url_that_does_not_echo_the_token_in_time_gets_no_subscription(
        emu: Emulator, api, subscriber, handshake: str):
    webhooks_store(emu.state).validation_timeout = 0.3
    receiver, url = subscriber(handshake=handshake)
    refused = _subscribe(api, emu, url)
    assert refused.status_code == 400
    assert refused.json()["odata.error"]["message"]["value"] == (
        f"Failed to validate the notification URL '{url}'.")
    assert len(receiver.validations) == 1
    path = f"web/lists(guid'{_docs(emu).id}')/subscriptions"
    assert api("GET", "intranet", path).json()["value"] == []


def test_an_unreachable_url_gets_no_subscription(emu: Emulator, api, serve_wsgi):
    url = f"{serve_wsgi(Response('gone', 404))}/nothing"
    assert _subscribe(api, emu, url).status_code == 400
    assert _subscribe(api, emu, "not a url").status_code == 400


def test_expiration_must_lie_within_180_days(emu: Emulator, api, subscriber):
    receiver, url = subscriber()
    for days in (180.01, 365, -1):
        refused = _subscribe(api, emu, url, days=days)
        assert refused.status_code == 400
        assert "within 6 months" in refused.json()["odata.error"]["message"]["value"]
    assert receiver.validations == []  # refused before any handshake
    assert _subscribe(api, emu, url, days=179.99).status_code == 201


def test_a_subscription_is_renewed_moved_and_removed(emu: Emulator, api, subscriber):
    _, url = subscriber()
    other_receiver, other_url = subscriber()
    docs = _docs(emu)
    created = _subscribe(api, emu, url, days=10).json()
    path = f"web/lists(guid'{docs.id}')/subscriptions('{created['id']}')"
    renewed = api("PATCH", "intranet", path, {"expirationDateTime": _in(emu, 170)})
    assert renewed.status_code == 204
    expiry = datetime.fromisoformat(api("GET", "intranet", path).json()["expirationDateTime"])
    assert expiry - emu.tenant.clock.now() > timedelta(days=169)
    too_far = api("PATCH", "intranet", path, {"expirationDateTime": _in(emu, 200)})
    assert too_far.status_code == 400
    assert datetime.fromisoformat(api("GET", "intranet", path).json()["expirationDateTime"]) \
        == expiry
    moved = api("POST", "intranet", path, {"notificationUrl": other_url},
                **{"X-HTTP-Method": "MERGE"})
    assert moved.status_code == 204 and len(other_receiver.validations) == 1
    assert api("GET", "intranet", path).json()["notificationUrl"] == other_url
    assert api("DELETE", "intranet", path).status_code == 204
    assert api("GET", "intranet", path).status_code == 404


def test_an_expired_subscription_is_dropped(emu: Emulator, api, subscriber):
    _, url = subscriber()
    assert _subscribe(api, emu, url, days=1).status_code == 201
    emu.tenant.clock.advance(timedelta(days=2))
    path = f"web/lists(guid'{_docs(emu).id}')/subscriptions"
    assert api("GET", "intranet", path).json()["value"] == []


def test_changes_are_notified_with_the_list_never_the_change(emu: Emulator, api, subscriber):
    receiver, url = subscriber()
    tenant, site = emu.tenant, emu.tenant.sites["/sites/intranet"]
    docs, pages = _docs(emu), editing.site_pages(site)
    documents = _subscribe(api, emu, url, docs).json()
    news = _subscribe(api, emu, url, pages, client_state="other").json()
    anna = tenant.directory.user_by_upn("anna@kommune.example")
    with tenant.lock:
        editing.add_file(tenant, site, docs, "", "Hemmeligt notat.txt", b"indhold", anna)
    [first] = receiver.wait_for(1)
    assert [set(entry) for entry in first["value"]] == [NOTIFICATION_KEYS]
    [entry] = first["value"]
    assert entry | {"expirationDateTime": None} == {
        "subscriptionId": documents["id"], "clientState": "s3cret", "resource": docs.id,
        "tenantId": tenant.directory.tenant_id, "siteUrl": "/sites/intranet",
        "webId": site.web_id, "expirationDateTime": None}
    assert entry["expirationDateTime"].endswith(".0000000Z")
    assert "Hemmeligt" not in json.dumps(first)
    with tenant.lock:  # changes to both lists within one look: one request for both
        editing.add_file(tenant, site, docs, "", "Andet notat.txt", b"mere", anna)
        editing.add_page(tenant, site, "Nyt.aspx", "Nyhed", "<div></div>", anna)
    second = receiver.wait_for(2)[1]
    assert sorted(e["subscriptionId"] for e in second["value"]) == sorted(
        [documents["id"], news["id"]])


def test_a_failed_delivery_is_tried_again(emu: Emulator, api, subscriber):
    receiver, url = subscriber(statuses=[503])
    webhooks_store(emu.state).retry_seconds = 0.2
    tenant, site = emu.tenant, emu.tenant.sites["/sites/hr"]
    docs = _docs(emu, "hr")
    created = api("POST", "hr", f"web/lists(guid'{docs.id}')/subscriptions", {
        "notificationUrl": url, "expirationDateTime": _in(emu, 30)})
    assert created.status_code == 201, created.text
    with tenant.lock:
        editing.add_file(tenant, site, docs, "", "Ny.txt", b"x",
                         tenant.directory.user_by_upn("bo@kommune.example"))
    first, again = receiver.wait_for(2)
    assert first == again and first["value"][0]["clientState"] is None
