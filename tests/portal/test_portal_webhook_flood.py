"""``POST /webhooks/sharepoint`` under a flood of bad requests over real HTTP, from many
addresses at once: oversized, half-sent, with a wrong clientState or broken JSON. SharePoint's
handshake still answers, nothing bad wakes the indexer, and the wake-up folder never holds more
than one request per list (one pending pass), however many notifications come.
"""

from __future__ import annotations

import json
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from portal_support import portal_config

from emulator.server import Emulator
from indexer.wakeup import SUFFIX, Waiter, Wakeup, wakeup_dir
from portal import create_app
from portal.webhooks import MAX_BODY

CLIENT_STATE = "flodbølge-hemmelighed"
HOOK = "/webhooks/sharepoint"
LIST_A = "6f1d2c1e-0b8a-4c7e-9e55-3a1b2c3d4e5f"
SHAREPOINT = "52.104.8.10"  # where the real notifications and the handshake come from
ATTACKERS = 40


@pytest.fixture
def hook_app(emulator: Emulator, tmp_path: Path) -> Iterator[Flask]:
    """The portal with webhooks on, behind one trusted proxy (so X-Forwarded-For counts)."""
    app = create_app(portal_config(emulator, tmp_path, WEBHOOK_CLIENT_STATE=CLIENT_STATE,
                                   TRUSTED_PROXIES=1, PROPAGATE_EXCEPTIONS=False))
    yield app
    app.extensions["portal.content"].close()


def notification(list_id: str, client_state: str = CLIENT_STATE) -> bytes:
    return json.dumps({"value": [{"subscriptionId": "s", "clientState": client_state,
                                  "resource": list_id, "tenantId": "t"}]}).encode()


def bad_requests() -> list[tuple[str, bytes, dict[str, str]]]:
    """(query, body, headers) of each kind of bad request."""
    return [
        ("", b"x" * (MAX_BODY + 1), {}),  # oversized, with its length
        ("", notification(LIST_A, "guessed"), {}),  # a wrong clientState
        ("", notification(LIST_A, ""), {}),
        ("", b'{"value": [{"clientState": ', {}),  # broken JSON
        ("", b"[" * 50_000, {}),  # deep nesting
        ("", json.dumps({"value": [{}] * 3000}).encode(), {}),
        ("?validationtoken=<script>", b"", {}),
        ("?validationtoken=" + "x" * 5000, b"", {}),
        ("", b"\xff\xfe\x00", {"Content-Type": "application/json; charset=utf-16"}),
    ]


def half_sent(origin: str) -> socket.socket:
    """A connection that promises a large body and never sends it (slowloris)."""
    parts = urlsplit(origin)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
    sock.sendall(f"POST {HOOK} HTTP/1.1\r\nHost: x\r\nContent-Length: 60000\r\n"
                 "Content-Type: application/json\r\n\r\n{\"value\"".encode())
    return sock


def test_a_flood_of_bad_requests_leaves_the_handshake_working_and_wakes_nothing(
        hook_app: Flask, serve_wsgi: Callable, tmp_path: Path):
    origin = serve_wsgi(hook_app)
    slow = [half_sent(origin) for _ in range(8)]
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def attack(number: int) -> None:
        with requests.Session() as session:
            for _ in range(2):
                for query, body, headers in bad_requests():
                    address = f"10.66.{number // 250}.{number % 250}"
                    try:
                        answer = session.post(origin + HOOK + query, data=body, timeout=30,
                                              headers=headers | {"X-Forwarded-For": address})
                        status = answer.status_code
                    except requests.ConnectionError:
                        status = 0  # the server closed on an oversized body: fine
                    with lock:
                        statuses[status] = statuses.get(status, 0) + 1

    with ThreadPoolExecutor(8) as pool:
        flood = [pool.submit(attack, n) for n in range(ATTACKERS)]
        handshakes = []
        for n in range(5):
            token = f"9b1d6e4a-handshake-{n}"
            answer = requests.post(f"{origin}{HOOK}?validationtoken={token}", timeout=30,
                                   headers={"X-Forwarded-For": SHAREPOINT})
            handshakes.append((answer.status_code, answer.text == token))
        for future in flood:
            future.result()
    for sock in slow:
        sock.close()
    assert handshakes == [(200, True)] * 5
    assert set(statuses) <= {0, 400, 403, 413, 429} and 500 not in statuses
    assert sum(statuses.values()) == ATTACKERS * 2 * len(bad_requests())
    assert not wakeup_dir(tmp_path / "index").exists() or \
        list(wakeup_dir(tmp_path / "index").glob(f"*{SUFFIX}")) == []
    genuine = requests.post(origin + HOOK, data=notification(LIST_A), timeout=30,
                            headers={"X-Forwarded-For": SHAREPOINT})
    assert genuine.status_code == 202


def test_many_notifications_make_at_most_one_pending_pass_per_list(
        hook_app: Flask, serve_wsgi: Callable, tmp_path: Path):
    origin = serve_wsgi(hook_app)
    lists = [str(uuid.UUID(int=n)) for n in range(1, 31)]

    def notify(number: int) -> int:
        address = f"10.77.{number // 250}.{number % 250}"
        with requests.Session() as session:
            return [session.post(origin + HOOK, data=notification(list_id), timeout=30,
                                 headers={"X-Forwarded-For": address}).status_code
                    for list_id in lists[number % 3::3]][-1]

    waiter = Waiter(tmp_path / "index", threading.Event())  # `indexer watch`, mid-pass
    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(notify, range(24))) == {202}
    folder = wakeup_dir(tmp_path / "index")
    assert sorted(path.name for path in folder.glob(f"*{SUFFIX}")) == \
        sorted(f"{list_id}{SUFFIX}" for list_id in lists)
    assert waiter.take() == Wakeup(everything=False, list_ids=frozenset(lists))  # one pass
    assert list(folder.glob(f"*{SUFFIX}")) == []
