"""Fault injection as a client sees it: throttling, latency, drops, truncation, expiry."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import msal
import pytest
import requests
from flask import Flask

from emulator import editing
from emulator.directory import Directory
from emulator.faults import KINDS, REQUEST_KINDS, Faults
from emulator.server import Emulator
from emulator.tenant import Tenant

API_PATH = "/sites/intranet/_api/web/lists"


@pytest.fixture
def emu(serve: Callable[[Tenant], Emulator]) -> Emulator:
    """A running emulator with one site and one user."""
    directory = Directory("5f0c7d1e-0000-4000-8000-000000000001", "kommune.test")
    anna = directory.add_user("anna", "Anna Andersen")
    tenant = Tenant("Testkommune", directory)
    editing.create_site(tenant, "intranet", "Intranet", owners=[anna.login_name])
    return serve(tenant)


def get(emu: Emulator, path: str = API_PATH, **kwargs) -> requests.Response:
    return requests.get(emu.sharepoint_url + path, timeout=10, **kwargs)


def test_without_rules_requests_pass_and_nothing_is_counted(emu: Emulator) -> None:
    response = get(emu)

    assert response.status_code not in (429, 503) and "Retry-After" not in response.headers
    assert emu.state.faults.injected() == {}


def test_throttle_429_with_retry_after_seconds_and_rate_limit_headers(emu: Emulator) -> None:
    emu.state.faults.add("throttle", count=1, retry_after=7, rate_limit_reset=9)

    throttled = get(emu, headers={"Accept": "application/json;odata=verbose"})
    after = get(emu)

    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "7"
    assert throttled.headers["RateLimit-Limit"] == "1200"
    assert throttled.headers["RateLimit-Remaining"] == "0"
    assert throttled.headers["RateLimit-Reset"] == "9"
    assert throttled.json()["error"]["message"]["value"] == "The request has been throttled."
    assert after.status_code != 429
    assert emu.state.faults.injected() == {"throttle": 1}
    assert [r.status for r in emu.state.requests.matching(API_PATH)][0] == 429


def test_throttle_503_with_retry_after_as_http_date(emu: Emulator) -> None:
    emu.state.faults.add("throttle", status=503, retry_after=30, retry_after_date=True)

    response = get(emu)

    assert response.status_code == 503
    wait = (parsedate_to_datetime(response.headers["Retry-After"]) - datetime.now(UTC))
    assert 29 <= wait.total_seconds() <= 32
    assert "RateLimit-Limit" not in response.headers
    assert response.json()["odata.error"]["message"]["value"] == "Server Too Busy"


def test_rules_match_path_regex_methods_and_only_api_paths_by_default(emu: Emulator) -> None:
    faults = emu.state.faults
    faults.add("throttle", path="/_api/web/lists", methods=["post"])
    faults.add("throttle", pattern=r"^/sites/[^/]+/SitePages/.+\.aspx$", api_only=False,
               status=503)

    assert get(emu).status_code != 429
    assert requests.post(emu.sharepoint_url + API_PATH, timeout=10).status_code == 429
    assert get(emu, "/sites/intranet/SitePages/Home.aspx").status_code == 503
    assert get(emu, "/sites/intranet/Shared Documents/a.docx").status_code not in (429, 503)


def test_faults_never_touch_the_editor_api(emu: Emulator) -> None:
    emu.state.faults.add("throttle", api_only=False)
    emu.state.faults.add("drop", api_only=False)

    response = get(emu, "/_emulator/faults",
                   headers={"Authorization": f"Bearer {emu.editor_key}"})

    assert response.status_code == 200
    assert get(emu, "/anything").status_code == 429


def test_latency_delays_the_matching_requests_only(emu: Emulator) -> None:
    emu.state.faults.add("latency", delay=0.3, count=1)

    started = time.monotonic()
    first = get(emu)
    slow = time.monotonic() - started
    second = get(emu)

    assert slow >= 0.3
    assert first.status_code == second.status_code
    assert emu.state.faults.injected() == {"latency": 1} and emu.state.faults.rules == []


def test_latency_adds_to_another_fault(emu: Emulator) -> None:
    emu.state.faults.add("latency", delay=0.2, count=1)
    emu.state.faults.add("throttle", count=1)

    started = time.monotonic()
    assert get(emu).status_code == 429
    assert time.monotonic() - started >= 0.2


def test_dropped_connection_gives_no_response(emu: Emulator) -> None:
    emu.state.faults.add("drop", count=2)

    with pytest.raises(requests.ConnectionError):
        get(emu)
    with pytest.raises(requests.ConnectionError):
        requests.post(emu.sharepoint_url + API_PATH, data=b"x" * 200_000, timeout=10)

    assert get(emu).status_code not in (429, 503)
    assert emu.state.faults.injected() == {"drop": 2}
    assert [r.status for r in emu.state.requests.matching(API_PATH)][:2] == [444, 444]


def test_dropped_connection_over_tls(emu: Emulator) -> None:
    emu.state.faults.add("drop", count=1, path="/v1.0/", api_only=False)

    with pytest.raises(requests.ConnectionError):
        requests.get(f"{emu.graph_url}/v1.0/me", verify=str(emu.ca_file), timeout=10)


def test_truncated_body_breaks_the_read(emu: Emulator) -> None:
    emu.state.faults.add("truncate", count=1)

    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        get(emu)
    assert get(emu).content
    assert emu.state.faults.injected() == {"truncate": 1}


class TrustingSession(requests.Session):
    """requests trusting the emulator's CA on every request, whatever REQUESTS_CA_BUNDLE says."""

    def __init__(self, ca_file: Path) -> None:
        super().__init__()
        self.ca_file = str(ca_file)

    def request(self, *args, **kwargs) -> requests.Response:
        kwargs.setdefault("verify", self.ca_file)
        kwargs.setdefault("timeout", 10)
        return super().request(*args, **kwargs)


def new_app_token(emu: Emulator) -> dict[str, str]:
    """Headers with a new app-only SharePoint token (a fresh msal app, so nothing cached)."""
    certificate = emu.registration.certificate
    with TrustingSession(emu.ca_file) as http:
        app = msal.ConfidentialClientApplication(
            emu.registration.client_id, authority=emu.authority, instance_discovery=False,
            client_credential={"private_key": certificate.key_file.read_text(),
                               "thumbprint": certificate.thumbprint}, http_client=http)
        result = app.acquire_token_for_client(scopes=[f"{emu.sharepoint_url}/.default"])
    return {"Authorization": f"Bearer {result['access_token']}"}


def test_revoked_tokens_are_refused_until_a_new_one_is_fetched(emu: Emulator) -> None:
    old = new_app_token(emu)
    assert get(emu, "/sites/intranet/_api/web", headers=old).status_code == 200
    emu.state.faults.add("revoke_tokens", count=1)

    by_fault = get(emu, "/sites/intranet/_api/web", headers=old)
    by_sharepoint = get(emu, "/sites/intranet/_api/web", headers=old)
    renewed = get(emu, "/sites/intranet/_api/web", headers=new_app_token(emu))

    assert (by_fault.status_code, by_sharepoint.status_code, renewed.status_code) == (
        401, 401, 200)
    assert emu.state.faults.injected() == {"revoke_tokens": 1}


def test_revoked_tokens_answer_401_and_a_new_token_is_not_revoked(emu: Emulator) -> None:
    state = emu.state
    old = state.signer.verify(state.signer.sign({"sub": "indexer"}))
    state.faults.add("revoke_tokens", count=1)

    response = get(emu, headers={"Authorization": "Bearer old"})
    new = state.signer.verify(state.signer.sign({"sub": "indexer"}))

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith(f'Bearer realm="{state.tenant_id}"')
    assert "expired" in response.json()["error_description"]
    assert response.headers["x-ms-diagnostics"].startswith("3000003;")
    assert old["iat"] < state.tokens_revoked_before <= new["iat"]
    assert state.faults.injected() == {"revoke_tokens": 1}


def test_expired_change_tokens_are_consulted_not_applied(emu: Emulator) -> None:
    faults = emu.state.faults
    faults.add("expire_change_tokens", count=2, path="/getchanges")
    app = Flask(__name__)

    assert get(emu).status_code not in (429, 503)
    with app.test_request_context(f"{API_PATH}(guid'x')/GetChanges", method="POST"):
        assert faults.change_tokens_expired() is True
    with app.test_request_context(API_PATH, method="GET"):
        assert faults.change_tokens_expired() is False
    assert faults.change_tokens_expired() is True
    assert faults.change_tokens_expired() is False
    assert faults.injected() == {"expire_change_tokens": 2}


def _pattern(emu: Emulator, seed: int) -> list[int]:
    emu.state.faults.clear()
    emu.state.faults.add("throttle", probability=0.5, seed=seed)
    return [get(emu).status_code == 429 for _ in range(24)]


def test_probability_with_a_seed_is_reproducible(emu: Emulator) -> None:
    first, again, other = _pattern(emu, 7), _pattern(emu, 7), _pattern(emu, 8)

    assert first == again
    assert first != other
    assert 0 < sum(first) < len(first)
    assert emu.state.faults.injected()["throttle"] == sum(first) * 2 + sum(other)


def test_spent_rules_are_removed_so_the_fast_path_returns() -> None:
    faults = Faults()
    rule = faults.add("throttle", count=2)

    assert faults.take(("throttle",), "GET", API_PATH) == [rule]
    assert faults.take(("throttle",), "GET", API_PATH) == [rule]
    assert faults.rules == [] and faults.take(("throttle",), "GET", API_PATH) == []
    assert faults.injected() == {"throttle": 2}


def _chaos(seed: int) -> tuple[list[dict], list[str]]:
    faults = Faults()
    rules = [{k: v for k, v in r.to_dict().items() if k != "id"} for r in faults.chaos(seed)]
    fired = []
    for number in range(400):
        path = f"/sites/intranet/_api/web/lists/items({number})"
        fired += [r.kind for r in faults.take(REQUEST_KINDS, "GET", path)]
        expiry = faults.take(("expire_change_tokens",), "POST", "/_api/getchanges")
        fired += [r.kind for r in expiry]
    return rules, fired


def test_chaos_from_a_seed_injects_every_kind_the_same_way_each_time() -> None:
    first, again, other = _chaos(11), _chaos(11), _chaos(12)

    assert first == again
    assert first[0] != other[0] and first[1] != other[1]
    rules, fired = first
    assert {rule["kind"] for rule in rules} == set(KINDS)
    assert set(fired) == set(KINDS)
    assert fired.count("revoke_tokens") == fired.count("expire_change_tokens") == 1
    assert 0.02 < fired.count("drop") / 400 < 0.25
    assert all(1 <= r["retry_after"] <= 3 for r in rules if r["kind"] == "throttle")


def test_invalid_rules_are_refused_over_http(emu: Emulator) -> None:
    invalid = [{"kind": "meteor"}, {"kind": "throttle", "status": 500},
               {"kind": "drop", "count": 0}, {"kind": "latency", "probability": 2},
               {"kind": "drop", "colour": "red"}, {"count": 1}]

    statuses = [requests.post(f"{emu.sharepoint_url}/_emulator/faults", json=options,
                              headers={"Authorization": f"Bearer {emu.editor_key}"},
                              timeout=10).status_code for options in invalid]

    assert statuses == [400] * len(invalid)
    assert emu.state.faults.rules == []


def test_faults_are_controlled_and_counted_over_http(emu: Emulator) -> None:
    url, auth = f"{emu.sharepoint_url}/_emulator/faults", {
        "Authorization": f"Bearer {emu.editor_key}"}
    created = requests.post(url, json={"kind": "throttle", "count": 1, "retry_after": 3},
                            headers=auth, timeout=10)
    kept = requests.post(url, json={"kind": "latency", "delay": 0.01}, headers=auth,
                         timeout=10).json()

    assert created.status_code == 201
    assert get(emu).headers["Retry-After"] == "3"
    listing = requests.get(url, headers=auth, timeout=10).json()
    assert [r["id"] for r in listing["rules"]] == [kept["id"]]
    assert listing["injected"] == {"throttle": 1, "latency": 1}
    assert requests.delete(f"{url}/{kept['id']}", headers=auth, timeout=10).status_code == 200
    assert requests.delete(f"{url}/{kept['id']}", headers=auth, timeout=10).status_code == 404
    cleared = requests.delete(url, params={"counts": "1"}, headers=auth, timeout=10).json()
    assert cleared == {"rules": [], "injected": {}}
    assert requests.get(url, timeout=10).status_code == 401
