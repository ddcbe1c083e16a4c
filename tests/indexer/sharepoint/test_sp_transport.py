"""The session under the library: throttling, broken transfers, 401s, paging and User-Agent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests

from emulator import bulk
from emulator.server import Emulator
from indexer.sharepoint.client import SharePointClient
from indexer.sharepoint.errors import SharePointUnavailable, ThrottledError, TokenRejected
from indexer.sharepoint.http import server_wait


def test_429_waits_the_seconds_of_retry_after(emulator: Emulator, client: SharePointClient,
                                              sleeps: list[float]) -> None:
    emulator.state.faults.add("throttle", status=429, retry_after=7, count=2, path="/_api/web")

    assert client.site().title == "Intranet"

    assert sleeps == [7, 7]
    stats = client.stats
    assert (stats.throttled, stats.throttle_wait, stats.retries) == (2, 14, 2)


def test_429_waits_until_the_http_date_of_retry_after(emulator: Emulator,
                                                      client: SharePointClient,
                                                      sleeps: list[float]) -> None:
    emulator.state.faults.add("throttle", status=429, retry_after=20, retry_after_date=True,
                              count=1, path="/_api/web")

    client.site()

    [wait] = sleeps
    assert 18 <= wait <= 21  # whole seconds of an HTTP date, measured against our clock


def test_ratelimit_reset_wins_when_it_is_longer(emulator: Emulator, client: SharePointClient,
                                                sleeps: list[float]) -> None:
    emulator.state.faults.add("throttle", status=429, retry_after=2, rate_limit_reset=9,
                              count=1, path="/_api/web")

    client.site()

    assert sleeps == [9]


def test_503_is_retried_after_its_retry_after(emulator: Emulator, client: SharePointClient,
                                              sleeps: list[float]) -> None:
    emulator.state.faults.add("throttle", status=503, retry_after=3, count=1, path="/_api/web")

    client.site()

    assert sleeps == [3]
    assert client.stats.throttled == 1


def test_throttling_past_the_budget_raises_throttled_error(emulator: Emulator,
                                                           client: SharePointClient,
                                                           sleeps: list[float]) -> None:
    emulator.state.faults.add("throttle", status=429, retry_after=100, path="/_api/web")

    with pytest.raises(ThrottledError) as caught:
        client.site()

    assert sleeps == [100, 100]  # a third wait would pass max_total_wait (250 s)
    assert caught.value.retry_after == 100


def test_a_dropped_connection_is_retried(emulator: Emulator, client: SharePointClient,
                                         sleeps: list[float]) -> None:
    emulator.state.faults.add("drop", count=1, path="/_api/web")

    assert client.site().title == "Intranet"

    [wait] = sleeps
    assert 0.5 <= wait <= 1.0  # the first backoff, jittered
    assert client.stats.failures == 1


def test_a_connection_that_keeps_dropping_is_unavailable(emulator: Emulator,
                                                         client: SharePointClient,
                                                         sleeps: list[float]) -> None:
    emulator.state.faults.add("drop", path="/_api/web")

    with pytest.raises(SharePointUnavailable, match="ConnectionError after 6 attempts"):
        client.site()

    assert len(sleeps) == client.settings.max_attempts - 1
    assert all(0.5 * 2 ** n <= wait <= 2 ** n for n, wait in enumerate(sleeps))  # jittered


def test_a_truncated_body_is_retried(emulator: Emulator, client: SharePointClient) -> None:
    emulator.state.faults.add("truncate", count=1, path="/_api/web")

    assert client.site().title == "Intranet"

    assert client.stats.failures == 1
    assert [r.status for r in emulator.state.requests.matching("/_api/Web?")] == [200, 200]


def test_paging_survives_broken_pages_without_duplicates(emulator: Emulator,
                                                         client: SharePointClient) -> None:
    intranet = emulator.tenant.site_by_url("/sites/intranet")
    documents = intranet.list_by_title("Dokumenter")
    editor = emulator.tenant.directory.user_by_upn("sofie.lund@sundby.onmicrosoft.com")
    now = datetime.now(UTC)
    bulk.add_files(emulator.tenant, intranet, documents, [
        bulk.NewFile("", f"Referat {n:04d}.txt", b"referat", editor, now) for n in range(1200)])
    expected = sorted(documents.items)

    listing = client.documents(documents.id)
    ids = [next(listing)["Id"]]  # the first page is in: break the second one twice
    emulator.state.faults.add("drop", count=1, path="/items")
    emulator.state.faults.add("truncate", count=1, path="/items")
    ids += [item["Id"] for item in listing]

    assert ids == expected
    pages = [r for r in emulator.state.requests.matching() if "/items?" in r.path.lower()]
    assert [p.status for p in pages] == [200, 444, 200, 200, 200]  # the 2nd page broke twice
    assert client.stats.failures == 2


def test_a_401_fetches_a_new_token_once(emulator: Emulator, client: SharePointClient) -> None:
    client.site()
    emulator.state.faults.add("revoke_tokens", count=1, path="/_api/web")

    assert client.document_libraries()

    assert client.token_provider.fetches == 2
    assert client.stats.token_refreshes == 1
    client.site()  # the library still caches the revoked token: the session sends the new one
    assert [r.status for r in emulator.state.requests.matching("/_api/") if r.status == 401] \
        == [401]


def test_a_second_401_with_a_fresh_token_is_token_rejected(emulator: Emulator,
                                                           client: SharePointClient) -> None:
    emulator.state.faults.add("revoke_tokens", count=2, path="/_api/web")

    with pytest.raises(TokenRejected):
        client.site()

    assert client.token_provider.fetches == 2


def test_every_request_carries_the_user_agent(emulator: Emulator,
                                              client: SharePointClient) -> None:
    sent: list[str] = []

    def remember(response: requests.Response, *args: object, **kwargs: object) -> None:
        sent.append(response.request.headers["User-Agent"])

    client.session.hooks["response"].append(remember)
    client.site()
    client.document_libraries()

    assert len(sent) == len(emulator.state.requests.matching("/_api/")) >= 3
    assert set(sent) == {"NONISV|Sundby Kommune|Intranetportal/test"}


@pytest.mark.parametrize(("headers", "wait"), [
    ({"Retry-After": "12"}, 12.0),
    ({"Retry-After": "Thu, 01 Jan 2026 00:01:00 GMT"}, 60.0),
    ({"Retry-After": "5", "RateLimit-Reset": "40"}, 40.0),
    ({"Retry-After": "in a while"}, None),
    ({}, None),
])
def test_server_wait(headers: dict[str, str], wait: float | None) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC).timestamp()

    assert server_wait(headers, now) == wait
