"""Running the portal in production: health checks, /metrics, logs, gunicorn and the guide."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from portal_support import PORTAL_URL, SignIn, build_documents, portal_config
from prometheus_client.parser import text_string_to_metric_families

from emulator.announce import tenant_settings
from emulator.sample import catalogue as c
from emulator.sample import people as p
from emulator.server import Emulator
from indexer.cli import make_client
from indexer.extract import Extractor
from indexer.index import SearchIndex
from indexer.listsync import ListReport
from indexer.settings import SETTINGS as INDEXER_SETTINGS
from indexer.settings import load_settings
from indexer.sharepoint.http import TransportStats
from indexer.status import record_pass, run_pass
from indexer.sync import Syncer, SyncReport
from portal import create_app
from portal import logs as portal_logs
from portal.settings import SETTINGS as PORTAL_SETTINGS

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-token-4f0c9a"
DEPLOY_VARIABLES = {"PORTAL_BIND", "WEB_CONCURRENCY", "PROMETHEUS_MULTIPROC_DIR"}
MakeApp = Callable[..., Flask]


@pytest.fixture
def make_app(emulator: Emulator, index_dir: Path, tmp_path: Path) -> Iterator[MakeApp]:
    """``make_app(**settings)``: the portal on the test index with some settings changed."""
    apps: list[Flask] = []

    def make(**overrides: object) -> Flask:
        apps.append(create_app(portal_config(emulator, tmp_path, **overrides)))
        return apps[-1]

    yield make
    for app in apps:
        app.extensions["portal.content"].close()


def _age_index(index_dir: Path, hours: float) -> None:
    """Make the index look last written ``hours`` ago."""
    then = time.time() - hours * 3600
    for toc in index_dir.glob("*.toc"):
        os.utime(toc, (then, then))


def _record(index_dir: Path, report: SyncReport, before: TransportStats | None = None,
            after: TransportStats | None = None) -> None:
    record_pass(index_dir, report, datetime.now(UTC), before or TransportStats(),
                after or TransportStats())


# --- health ----------------------------------------------------------------------------------

def test_readyz_fails_while_the_last_successful_sync_is_too_old(make_app: MakeApp,
                                                                index_dir: Path):
    client = make_app(MAX_SYNC_AGE_MINUTES="30").test_client()
    unlimited = make_app(MAX_SYNC_AGE_MINUTES="0").test_client()
    assert client.get("/readyz").text == "ok\n"
    _age_index(index_dir, hours=2)
    stale = client.get("/readyz")
    assert (stale.status_code, stale.text) == (503, "last sync too old\n")
    assert stale.mimetype == "text/plain"
    assert unlimited.get("/readyz").status_code == 200
    assert client.get("/healthz").status_code == 200
    _record(index_dir, SyncReport(failed_sites={"https://x/sites/hr": "403 Forbidden"}))
    assert client.get("/readyz").status_code == 503  # a pass that synced nothing
    _record(index_dir, SyncReport())
    assert (client.get("/readyz").status_code, client.get("/readyz").text) == (200, "ok\n")


# --- metrics ---------------------------------------------------------------------------------

def _metrics(client: FlaskClient, **headers: str) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"} | headers)
    assert response.status_code == 200, response.text
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples}


def _value(metrics: dict, name: str, **labels: str) -> float:
    return metrics.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_closed_unless_configured(make_app: MakeApp):
    client = make_app().test_client()
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 403


def test_metrics_need_the_bearer_token(make_app: MakeApp):
    client = make_app(METRICS_TOKEN=TOKEN).test_client()
    missing = client.get("/metrics")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    for wrong in (f"Bearer {TOKEN}x", "Bearer", f"Basic {TOKEN}", TOKEN):
        assert client.get("/metrics", headers={"Authorization": wrong}).status_code == 401
    assert "portal_http_requests_total" in client.get(
        "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text


def test_metrics_from_an_allowed_address_range(make_app: MakeApp):
    direct = make_app(METRICS_IP_RANGES="10.0.0.0/8").test_client()
    assert direct.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200
    assert direct.get("/metrics").status_code == 403  # 127.0.0.1, and no token is configured
    spoofed = {"X-Forwarded-For": "10.1.2.3"}
    assert direct.get("/metrics", headers=spoofed).status_code == 403
    proxied = make_app(METRICS_IP_RANGES="10.0.0.0/8", TRUSTED_PROXIES="1").test_client()
    assert proxied.get("/metrics", headers=spoofed).status_code == 200


def test_metrics_count_requests_by_endpoint_sign_ins_and_searches(
        make_app: MakeApp, emulator: Emulator):
    client = make_app(METRICS_TOKEN=TOKEN).test_client()
    before = _metrics(client)
    SignIn(client, emulator)(p.TEACHER)
    assert client.get("/auth/callback").status_code == 400  # a callback without a sign-in
    for _ in range(2):
        assert client.get("/news/n05").status_code == 200
    assert client.get("/search?q=personalehåndbog").status_code == 200
    assert client.get("/no/such/page").status_code == 404
    assert client.open("/", method="BREW").status_code == 405
    after = _metrics(client)
    article = {"endpoint": "home.article", "method": "GET", "status": "200"}
    assert _value(after, "portal_http_requests_total", **article) == \
        _value(before, "portal_http_requests_total", **article) + 2
    assert _value(after, "portal_http_request_duration_seconds_count",
                  endpoint="home.article") >= 2
    assert _value(after, "portal_http_requests_total", endpoint="none", method="GET",
                  status="404") >= 1
    assert _value(after, "portal_http_requests_total", endpoint="none", method="other",
                  status="405") >= 1  # an invented method adds no label value of its own
    for outcome in ("success", "failure"):
        assert _value(after, "portal_signins_total", outcome=outcome) == \
            _value(before, "portal_signins_total", outcome=outcome) + 1
    assert _value(after, "portal_search_duration_seconds_count") == \
        _value(before, "portal_search_duration_seconds_count") + 1
    text = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text
    assert "/news/n05" not in text and "personalehåndbog" not in text
    assert _value(after, "portal_index_available") == 1
    assert _value(after, "indexer_index_documents") == len(build_documents("x"))
    assert _value(after, "indexer_index_size_bytes") > 0
    assert 0 <= _value(after, "indexer_last_sync_age_seconds") < 3600


def test_metrics_report_what_the_indexer_met(make_app: MakeApp, index_dir: Path):
    client = make_app(METRICS_TOKEN=TOKEN).test_client()
    report = SyncReport(
        lists=[ListReport("https://t/sites/hr", "Dokumenter", full=True, extract_failures=2),
               ListReport("https://t/sites/hr", "Webstedssider", error="HTTP 500")],
        failed_sites={"https://t/sites/it": "403 Forbidden"})
    _record(index_dir, report, TransportStats(throttled=1, throttle_wait=1.5),
            TransportStats(throttled=4, throttle_wait=9.0))
    metrics = _metrics(client)
    assert _value(metrics, "indexer_sync_passes_total") == 1
    assert _value(metrics, "indexer_sync_errors_total", scope="list") == 1
    assert _value(metrics, "indexer_sync_errors_total", scope="site") == 1
    assert _value(metrics, "indexer_last_pass_failed_sites") == 1
    assert _value(metrics, "indexer_extraction_failures_total") == 2
    assert _value(metrics, "indexer_throttled_responses_total") == 3
    assert _value(metrics, "indexer_throttle_wait_seconds_total") == 7.5
    _record(index_dir, SyncReport(failed_sites={"https://t/sites/it": "403 Forbidden"}))
    metrics = _metrics(client)  # a pass on which every site failed
    assert _value(metrics, "indexer_sync_passes_total") == 2
    assert _value(metrics, "indexer_sync_failed_passes_total") == 1
    assert _value(metrics, "indexer_sync_errors_total", scope="site") == 2


# --- logs ------------------------------------------------------------------------------------

@pytest.fixture
def captured_logs() -> Iterator[Callable[[dict], io.StringIO]]:
    """``capture(config)``: the portal's logging set up as in production, into a buffer."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level

    def capture(config: dict) -> io.StringIO:
        buffer = io.StringIO()
        portal_logs.configure(config, stream=buffer, level=logging.DEBUG)
        return buffer

    yield capture
    root.handlers[:], level = saved
    root.setLevel(level)


class TokenRecorder:
    """Keeps every token a requests session receives or sends (to look for them in logs)."""

    def __init__(self) -> None:
        self.values: set[str] = set()

    def __call__(self, response: requests.Response, *args: object, **kwargs: object) -> None:
        sent = response.request.headers.get("Authorization", "")
        if sent.startswith("Bearer "):
            self.values.add(sent.removeprefix("Bearer "))
        if "json" in response.headers.get("Content-Type", ""):
            body = response.json()
            if isinstance(body, dict):
                self.values.update(str(body[k]) for k in ("access_token", "refresh_token",
                                                          "id_token") if k in body)


def _sync(emulator: Emulator, index_dir: Path, recorder: TokenRecorder | None = None) -> None:
    settings = load_settings(tenant_settings(emulator) | {"INDEX_DIR": str(index_dir)})
    client = make_client(settings, sleep=lambda seconds: None)
    if recorder is not None:
        client.session.hooks["response"].append(recorder)
    with Extractor(timeout=30) as extractor:
        syncer = Syncer(settings, SearchIndex.open_or_create(index_dir), client, extractor)
        run_pass(syncer, index_dir)


def test_logs_hold_no_token_secret_key_or_document_text(
        make_app: MakeApp, emulator: Emulator, tmp_path: Path, captured_logs):
    app = make_app(LOG_FORMAT="json", LOG_SEARCH_QUERIES="true")
    buffer = captured_logs(app.config)
    recorder = TokenRecorder()
    app.extensions["portal.entra"].http.hooks["response"].append(recorder)
    client = app.test_client()
    SignIn(client, emulator)(p.TEACHER)
    assert client.get("/search?q=velkommen intranettet").status_code == 200
    _sync(emulator, tmp_path / "synced", recorder)
    lines = buffer.getvalue().splitlines()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    text = buffer.getvalue()
    assert len(recorder.values) >= 3  # Graph access, refresh and id tokens; SharePoint's
    key = Path(app.config["CERTIFICATE_KEY_FILE"]).read_text().splitlines()[1]
    secrets = [*recorder.values, app.config["CLIENT_SECRET"], app.config["SECRET_KEY"], key]
    assert [s[:12] for s in secrets if s in text] == []
    assert "PRIVATE KEY" not in text
    assert c.SECRET_WORD not in text and "Personalehåndbogen beskriver" not in text
    searches = [e for e in entries if "velkommen intranettet" in e["message"]]
    assert len(searches) == 1
    search_line = json.dumps(searches[0])
    who = (emulator.tenant.directory.user_by_upn(p.TEACHER).oid, p.TEACHER, "127.0.0.1")
    assert [value for value in who if value in search_line] == []


def test_search_queries_are_not_logged_unless_configured(make_app: MakeApp, emulator: Emulator,
                                                         captured_logs):
    app = make_app()
    buffer = captured_logs(app.config)
    client = app.test_client()
    SignIn(client, emulator)(p.TEACHER)
    assert client.get("/search?q=velkommen").status_code == 200
    development_server = logging.getLogger("werkzeug")  # `flask run` logs each request line
    development_server.info('"%s" %s %s', "GET /search?q=velkommen HTTP/1.1", "200", "-")
    assert "GET /search HTTP/1.1" in buffer.getvalue()
    assert "velkommen" not in buffer.getvalue()


def test_a_secret_that_reaches_a_log_line_is_blanked(make_app: MakeApp, captured_logs):
    app = make_app(LOG_FORMAT="text", METRICS_TOKEN=TOKEN)
    buffer = captured_logs(app.config)
    log = logging.getLogger("somewhere")
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"
    log.info("sent Authorization: Bearer %s", jwt)
    log.info("token answer %s", {"refresh_token": "1.AQxyzzy", "token_type": "Bearer"})
    log.info("callback %s/auth/callback?code=0.AXcodevalue&state=s", PORTAL_URL)
    log.info("config %s and %s", app.config["CLIENT_SECRET"], TOKEN)
    log.error("key\n-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----")
    text = buffer.getvalue()
    for leaked in (jwt, "1.AQxyzzy", "0.AXcodevalue", app.config["CLIENT_SECRET"], TOKEN,
                   "MIIEvQ"):
        assert leaked not in text
    assert text.count("[redacted]") == 6
    assert "INFO" in text and "somewhere: sent Authorization: Bearer [redacted]" in text


# --- gunicorn --------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get_until_up(url: str, seconds: float = 60) -> requests.Response:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.slow
def test_gunicorn_serves_the_portal_with_the_deploy_config(emulator: Emulator, index_dir: Path,
                                                           tmp_path: Path):
    port = _free_port()
    config = portal_config(emulator, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    env |= {k: str(v) for k, v in config.items()
            if k in {s.env for s in PORTAL_SETTINGS} and not isinstance(v, bool)}
    env |= {"PORTAL_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "LOG_FORMAT": "json",
            "METRICS_TOKEN": TOKEN}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        first = _get_until_up(f"{base}/healthz")
        assert (first.status_code, first.text) == (200, "ok\n")
        for _ in range(19):
            assert requests.get(f"{base}/healthz?search=hemmelig", timeout=5).ok
        assert requests.get(f"{base}/readyz", timeout=5).status_code == 200
        scrape = requests.get(f"{base}/metrics", timeout=5,
                              headers={"Authorization": f"Bearer {TOKEN}"})
        metrics = {(s.name, tuple(sorted(s.labels.items()))): s.value
                   for family in text_string_to_metric_families(scrape.text)
                   for s in family.samples}
        live = {"endpoint": "status.live", "method": "GET", "status": "200"}
        assert _value(metrics, "portal_http_requests_total", **live) == 20  # all workers
    finally:
        server.terminate()
        out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err.decode()
    access = [json.loads(line) for line in out.decode().splitlines()]
    assert len([e for e in access if "GET /healthz" in e["message"]]) == 20
    assert "hemmelig" not in out.decode() + err.decode()
    workers = re.findall(r"Booting worker with pid", err.decode())
    assert len(workers) == 2


# --- the deployment guide --------------------------------------------------------------------

def _example_settings() -> dict[str, tuple[bool, str]]:
    """NAME -> (commented out, value) from deploy/intranet.env.example."""
    found = {}
    for line in (ROOT / "deploy" / "intranet.env.example").read_text().splitlines():
        match = re.match(r"^(#\s?)?([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            assert match.group(2) not in found, f"{match.group(2)} is listed twice"
            found[match.group(2)] = (bool(match.group(1)), match.group(3).strip('"'))
    return found


def test_the_environment_example_lists_every_setting_with_its_default():
    example = _example_settings()
    settings = {s.env: s for s in (*PORTAL_SETTINGS, *INDEXER_SETTINGS)}
    assert set(example) == set(settings) | DEPLOY_VARIABLES
    for name, (commented, value) in example.items():
        if commented and name in settings:
            assert value == settings[name].default, name


def test_the_readme_tables_match_the_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for heading, table in (("### Indexer settings", INDEXER_SETTINGS),
                           ("## Portal settings", PORTAL_SETTINGS)):
        section = readme.split(heading, 1)[1].split("\n#", 1)[0]
        rows = dict(re.findall(r"^\| `([A-Z_0-9]+)` \| ([^|]*) \|", section, re.M))
        assert list(rows) == [s.env for s in table]
        for setting in table:
            shown = rows[setting.env].strip().strip("`")
            assert shown in ({setting.default} if setting.default else {"", "—"}), setting.env


def test_the_deployment_guide_covers_the_deploy_files_and_is_linked():
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert "docs/deploy.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    for name in (*DEPLOY_VARIABLES, "deploy/gunicorn.conf.py", "deploy/nginx.conf",
                 "deploy/systemd/portal.service", "deploy/systemd/indexer.service",
                 "deploy/intranet.env.example", "Sites.Selected", "Sites.FullControl.All",
                 "User.Read", "/auth/callback", "openssl"):
        assert name in guide, name
    for path in re.findall(r"\]\((\.\./[^)#]+)", guide):
        assert (ROOT / "docs" / path).resolve().exists(), path
