"""Prometheus ``/metrics``: the portal's requests, sign-ins and searches, and the mirror's state.

Request counters are prometheus_client metrics; under gunicorn every worker writes its own in
the folder named by ``PROMETHEUS_MULTIPROC_DIR`` (deploy/gunicorn.conf.py sets it) and a scrape
adds them up, whichever worker answers. The index and the indexer's figures are read at scrape
time from the index and the indexer's pass record, so they are the same in every worker.

Only a scraper that sends ``METRICS_TOKEN`` as a bearer token, or comes from
``METRICS_IP_RANGES``, may read it; with neither set, nobody may.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, g, request
from flask_login import user_logged_in
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import CollectorRegistry

from indexer.backend import open_index
from indexer.index import IndexUnavailable
from indexer.status import last_success, load_record
from indexer.wakeup import pending
from portal.sessions import is_kiosk_address as in_ranges  # any list of IP ranges

blueprint = Blueprint("metrics", __name__)
MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
SEARCH_BUCKETS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter("portal_http_requests", "HTTP requests answered, by endpoint and status.",
                   ["endpoint", "method", "status"])
LATENCY = Histogram("portal_http_request_duration_seconds",
                    "Time to answer a request, by endpoint.", ["endpoint"],
                    buckets=LATENCY_BUCKETS)
SIGNINS = Counter("portal_signins", "Sign-ins through Entra ID, by outcome.", ["outcome"])
SEARCH_LATENCY = Histogram("portal_search_duration_seconds",
                           "Time to answer a search (the results page of a query).",
                           buckets=SEARCH_BUCKETS)
WEBHOOK_REQUESTS = Counter(
    "portal_webhook_requests",
    "Requests to /webhooks/sharepoint by outcome: validation, accepted, refused (wrong "
    "clientState), invalid, too_large, rate_limited, unavailable.", ["outcome"])
WEBHOOK_NOTIFICATIONS = Counter("portal_webhook_notifications",
                                "SharePoint webhook notifications accepted (one per list).")


class MirrorCollector:
    """The index and the indexer's figures, read when scraped."""

    def __init__(self, index_dir: Path, index_url: str = "") -> None:
        self.index_dir = Path(index_dir)
        self.index_url = index_url

    def collect(self) -> Iterator[Metric]:
        """Index size, last sync age, sync errors, throttling and extraction failures."""
        record = load_record(self.index_dir)
        available = GaugeMetricFamily("portal_index_available",
                                      "Whether the search index can be opened (1) or not (0).")
        try:
            with closing(open_index(self.index_url, self.index_dir)) as index:
                documents, synced = index.doc_count(), last_success(self.index_dir, record)
        except IndexUnavailable:
            available.add_metric([], 0)
            yield available
        else:
            available.add_metric([], 1)
            yield available
            yield GaugeMetricFamily("indexer_index_documents", "Documents in the search index.",
                                    value=documents)
            yield GaugeMetricFamily("indexer_index_size_bytes", "Size of the index on disk.",
                                    value=_size(self.index_dir))
            if synced is not None:
                yield GaugeMetricFamily(
                    "indexer_last_sync_age_seconds",
                    "Seconds since the last sync pass that synced something.",
                    value=(datetime.now(UTC) - synced).total_seconds())
        yield from _pass_metrics(record)
        yield GaugeMetricFamily("indexer_sync_requests_pending",
                                "Requests for a pass that the indexer has not taken yet.",
                                value=len(pending(self.index_dir)))


def _pass_metrics(record: dict) -> Iterator[Metric]:
    totals = record.get("totals", {})
    last = record.get("last_pass", {})
    yield CounterMetricFamily("indexer_sync_passes", "Sync passes run.",
                              value=totals.get("passes", 0))
    yield CounterMetricFamily("indexer_sync_failed_passes",
                              "Sync passes that synced nothing.",
                              value=totals.get("failed_passes", 0))
    errors = CounterMetricFamily("indexer_sync_errors", "Lists and sites a pass failed on.",
                                 labels=["scope"])
    errors.add_metric(["list"], totals.get("list_errors", 0))
    errors.add_metric(["site"], totals.get("site_errors", 0))
    yield errors
    yield GaugeMetricFamily("indexer_last_pass_failed_sites",
                            "Sites the last pass could not sync.",
                            value=len(last.get("failed_sites", {})))
    yield CounterMetricFamily("indexer_extraction_failures",
                              "Files whose text could not be read, as passes met them.",
                              value=totals.get("extract_failures", 0))
    yield CounterMetricFamily("indexer_throttled_responses",
                              "429 and 503 answers from SharePoint.",
                              value=totals.get("throttled", 0))
    yield CounterMetricFamily("indexer_throttle_wait_seconds",
                              "Seconds the indexer waited because SharePoint throttled it.",
                              value=totals.get("throttle_wait", 0.0))


def _size(folder: Path) -> int:
    return sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file())


def _process_metrics() -> CollectorRegistry:
    """This process's metrics, or every worker's when gunicorn runs several."""
    if not os.environ.get(MULTIPROCESS):
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    return registry


class _Scrape:
    """The process metrics followed by the mirror's."""

    def __init__(self, index_dir: Path, index_url: str) -> None:
        self.sources = (_process_metrics(), MirrorCollector(index_dir, index_url))

    def collect(self) -> Iterator[Metric]:
        for source in self.sources:
            yield from source.collect()


def _refusal() -> Response | None:
    """None if the scraper may read the metrics, else the 401 or 403 to answer."""
    config = current_app.config
    if in_ranges(request.remote_addr, config["METRICS_IP_RANGES"]):
        return None
    token = config["METRICS_TOKEN"]
    if not token:
        return Response("forbidden\n", 403, mimetype="text/plain")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return None
    return Response("a bearer token is needed\n", 401, mimetype="text/plain",
                    headers={"WWW-Authenticate": 'Bearer realm="metrics"'})


@blueprint.get("/metrics")
def scrape() -> Response:
    """The metrics in Prometheus's text format, to an allowed scraper."""
    refusal = _refusal()
    if refusal is not None:
        return refusal
    config = current_app.config
    body = generate_latest(_Scrape(config["INDEX_DIR"], config["INDEX_URL"]))
    return Response(body, 200, headers={"Content-Type": CONTENT_TYPE_LATEST})


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    endpoint = request.url_rule.endpoint if request.url_rule else "none"
    method = request.method if request.method in METHODS else "other"  # labels stay few
    REQUESTS.labels(endpoint, method, str(response.status_code)).inc()
    if started is not None:
        elapsed = time.perf_counter() - started
        LATENCY.labels(endpoint).observe(elapsed)
        if endpoint == "search.results" and request.args.get("q", "").strip():
            SEARCH_LATENCY.observe(elapsed)
    if endpoint == "auth.callback" and response.status_code >= 400:
        SIGNINS.labels("failure").inc()
    return response


def _signed_in(sender: Flask, **_: object) -> None:
    SIGNINS.labels("success").inc()


def init_app(app: Flask) -> None:
    """Time every request (register first, so the timer covers the others' hooks)."""
    app.before_request(_start_timer)
    app.after_request(_observe)
    user_logged_in.connect(_signed_in, app)
    app.register_blueprint(blueprint)
