"""``POST /webhooks/sharepoint``: SharePoint list webhooks, turned into wake-ups of the indexer.

The endpoint needs no sign-in and no CSRF token: SharePoint calls it. It is off (404) while
``WEBHOOK_CLIENT_STATE`` is empty. It answers at once and never calls SharePoint:

- ``?validationtoken=…`` (the handshake when the indexer subscribes): 200, the token echoed
  as plain text, if it looks like a token (:data:`TOKEN`), else 400;
- a notification ``{"value": [{"clientState", "resource", …}, …]}``: 403 unless every
  ``clientState`` equals the setting (compared in constant time), else 202 after asking the
  indexer for a pass of each list named in ``resource`` (:func:`indexer.wakeup.request_pass`);
- bodies over :data:`MAX_BODY` bytes: 413; anything else malformed: 400.

Each portal process lets one remote address make :data:`BURST` requests at once and
:data:`RATE` a second after that (a token bucket per address); beyond that it answers 429 with
``Retry-After``. SharePoint tries a failed notification again later, and the indexer's polling
finds any change a notification missed.
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

from flask import Blueprint, Flask, Response, abort, current_app, request

from indexer.wakeup import request_pass
from portal.metrics import WEBHOOK_NOTIFICATIONS, WEBHOOK_REQUESTS
from portal.security import csrf

log = logging.getLogger(__name__)
blueprint = Blueprint("webhooks", __name__)

MAX_BODY = 64 * 1024  # bytes; SharePoint's notifications are a few hundred bytes each
RATE = 5.0  # requests a second per remote address, after the burst
BURST = 50
MAX_ADDRESSES = 10_000  # buckets kept; the least recently seen address is forgotten first
TOKEN = re.compile(r"[A-Za-z0-9._~:+/=-]{1,256}")
_LIMITER = "portal.webhook_limiter"


class TokenBucket:
    """A token bucket per address: ``burst`` requests at once, refilled at ``rate`` a second."""

    def __init__(self, rate: float = RATE, burst: int = BURST,
                 max_addresses: int = MAX_ADDRESSES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.max_addresses, self.clock = rate, burst, max_addresses, clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, address: str) -> bool:
        """Take a token for ``address``; False when its bucket is empty."""
        with self._lock:
            now = self.clock()
            tokens, last = self._buckets.pop(address, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            allowed = tokens >= 1
            self._buckets[address] = (tokens - 1 if allowed else tokens, now)
            while len(self._buckets) > self.max_addresses:
                self._buckets.popitem(last=False)
            return allowed

    @property
    def retry_after(self) -> int:
        """Whole seconds until an empty bucket holds a token again."""
        return max(1, math.ceil(1 / self.rate))


def _answer(outcome: str, text: str, status: int, **headers: str) -> Response:
    WEBHOOK_REQUESTS.labels(outcome).inc()
    return Response(text, status, headers=headers, mimetype="text/plain")


def _body() -> bytes | None:
    """The request body, or None when it is larger than :data:`MAX_BODY`."""
    if (request.content_length or 0) > MAX_BODY:
        return None
    body = request.stream.read(MAX_BODY + 1)
    return body if len(body) <= MAX_BODY else None


def _notifications(body: bytes) -> list[dict] | None:
    """The notifications of a body, or None when it is not SharePoint's shape."""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python's stack
        return None
    value = parsed.get("value") if isinstance(parsed, dict) else None
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        return None
    return value


def _is_list_id(value: object) -> bool:
    try:
        return isinstance(value, str) and bool(uuid.UUID(value))
    except ValueError:
        return False


def _same(given: object, expected: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())


@blueprint.post("/webhooks/sharepoint")
def sharepoint() -> Response:
    """Answer SharePoint's validation handshake, or take a batch of notifications."""
    client_state = current_app.config["WEBHOOK_CLIENT_STATE"]
    if not client_state:
        abort(404)
    limiter: TokenBucket = current_app.extensions[_LIMITER]
    if not limiter.allow(request.remote_addr or ""):
        return _answer("rate_limited", "too many requests\n", 429,
                       **{"Retry-After": str(limiter.retry_after)})
    token = request.args.get("validationtoken")
    if token is not None:
        if not TOKEN.fullmatch(token):
            return _answer("invalid", "not a validation token\n", 400)
        return _answer("validation", token, 200)
    body = _body()
    if body is None:
        return _answer("too_large", "too large\n", 413)
    notifications = _notifications(body)
    if notifications is None:
        return _answer("invalid", "not a SharePoint notification\n", 400)
    if not all(_same(n.get("clientState"), client_state) for n in notifications):
        log.warning("webhook notification with a wrong clientState from %s", request.remote_addr)
        return _answer("refused", "refused\n", 403)
    list_ids = sorted({n["resource"].lower() for n in notifications
                       if _is_list_id(n.get("resource"))})
    if not list_ids:
        return _answer("invalid", "no list named\n", 400)
    try:
        for list_id in list_ids:
            request_pass(current_app.config["INDEX_DIR"], list_id)
    except OSError as error:
        log.error("could not ask the indexer for a pass: %s", error)
        return _answer("unavailable", "try again later\n", 503)
    WEBHOOK_NOTIFICATIONS.inc(len(notifications))
    return _answer("accepted", "", 202)


def init_app(app: Flask) -> None:
    """Register the endpoint (exempt from CSRF) with its rate limiter."""
    app.extensions[_LIMITER] = TokenBucket()
    csrf.exempt(blueprint)
    app.register_blueprint(blueprint)
