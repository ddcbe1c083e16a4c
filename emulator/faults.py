"""Fault injection: throttling, latency, dropped connections, truncated bodies, expired tokens.

A test adds rules with ``state.faults.add(kind, ...)`` (or ``POST /_emulator/faults``). Each
rule picks requests (path substring or regex, methods, by default only SharePoint ``/_api/``
paths), fires ``count`` times or with a ``probability`` drawn from its own seeded
``random.Random``, and is dropped once its count is spent. Kinds:

- ``throttle``: answer 429 or 503 with ``Retry-After`` (seconds, or an HTTP date) and,
  if ``rate_limit_reset`` is set, ``RateLimit-Limit``/``-Remaining``/``-Reset``;
- ``latency``: wait ``delay`` seconds, then serve the request normally;
- ``drop``: close the connection without any response (logged as status 444);
- ``truncate``: serve the request but send only half the body under the full Content-Length;
- ``revoke_tokens``: set ``state.tokens_revoked_before`` to now and answer 401, as SharePoint
  does for an expired token; tokens fetched after that answer are accepted;
- ``expire_change_tokens``: consulted, not applied here. The SharePoint layer calls
  :meth:`Faults.change_tokens_expired` in GetChanges and, when it is true, answers as for a
  token older than the retained change log (the tenant's ``expired_token_behaviour``).
  Tokens also age naturally when ``tenant.clock`` is advanced past ``change_retention_days``.

Faults never touch the editor API (``/_emulator/``), which also controls them.
:meth:`Faults.chaos` adds one rule of every kind at once, with odds and timings drawn from a
seed: the same seed gives the same rules (a chaos run of the indexer).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import random
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

from flask import Flask, Response, current_app, has_request_context, request

KINDS = ("throttle", "latency", "drop", "truncate", "revoke_tokens", "expire_change_tokens")
EDITOR_PREFIX = "/_emulator/"
DROPPED_STATUS = 444  # what the request log shows for a dropped connection
SHAREPOINT_APP_ID = "00000003-0000-0ff1-ce00-000000000000"
_TRUNCATE = "emulator.truncate"


@dataclass
class Fault:
    """One rule: which requests it matches, how often it fires, and what goes wrong.

    Matching: ``path`` (substring, any case), ``pattern`` (regex searched in the path),
    ``methods`` (empty: all), ``api_only`` (only paths with ``/_api/``). Firing: ``count``
    times (None: until removed), each time with ``probability`` drawn from a
    ``random.Random(seed)``. Throttles answer ``status`` 429 or 503 with ``retry_after``
    seconds, sent as an HTTP date if ``retry_after_date``, plus ``RateLimit-*`` headers
    when ``rate_limit_reset`` is set. Latency waits ``delay`` seconds.
    """

    kind: str
    path: str = ""
    pattern: str = ""
    methods: list[str] = field(default_factory=list)
    api_only: bool = True
    count: int | None = None
    probability: float = 1.0
    seed: int | None = None
    status: int = 429
    retry_after: int = 2
    retry_after_date: bool = False
    rate_limit_reset: int | None = None
    rate_limit_limit: int = 1200
    delay: float = 1.0
    id: int = field(default=0, init=False)
    fired: int = field(default=0, init=False)
    _random: random.Random = field(init=False, repr=False, compare=False)
    _regex: re.Pattern | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {', '.join(KINDS)}")
        if self.kind == "throttle" and self.status not in (429, 503):
            raise ValueError("a throttle answers 429 or 503")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        if self.count is not None and self.count < 1:
            raise ValueError("count must be at least 1")
        methods = [self.methods] if isinstance(self.methods, str) else self.methods
        self.methods = [m.upper() for m in methods]
        self._random = random.Random(self.seed)
        self._regex = re.compile(self.pattern) if self.pattern else None

    def matches(self, method: str, path: str | None) -> bool:
        """Whether this rule applies to a request (``path`` None: any path)."""
        if self.methods and method.upper() not in self.methods:
            return False
        if path is None:
            return True
        if self.api_only and "/_api/" not in path.lower():
            return False
        if self.path and self.path.lower() not in path.lower():
            return False
        return self._regex is None or self._regex.search(path) is not None

    def to_dict(self) -> dict:
        """The rule as JSON-ready values."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if not f.name.startswith("_")}


class Faults:
    """The fault rules of one emulator and how many faults of each kind were injected."""

    def __init__(self) -> None:
        self._rules: tuple[Fault, ...] = ()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._injected: Counter[str] = Counter()

    def add(self, kind: str, **options) -> Fault:
        """Add a rule (see :class:`Fault` for the options) and return it."""
        rule = Fault(kind, **options)
        with self._lock:
            rule.id = next(self._ids)
            self._rules = (*self._rules, rule)
        return rule

    def remove(self, rule_id: int) -> bool:
        """Remove one rule; False if there was none with that id."""
        with self._lock:
            kept = tuple(r for r in self._rules if r.id != rule_id)
            found, self._rules = len(kept) != len(self._rules), kept
        return found

    def clear(self, reset_counts: bool = False) -> None:
        """Remove every rule (and, if asked, forget the counts)."""
        with self._lock:
            self._rules = ()
            if reset_counts:
                self._injected.clear()

    @property
    def rules(self) -> list[Fault]:
        """The rules still in force, oldest first."""
        return list(self._rules)

    def injected(self) -> dict[str, int]:
        """How many faults of each kind were injected so far."""
        with self._lock:
            return dict(self._injected)

    def take(self, kinds: tuple[str, ...], method: str, path: str | None) -> list[Fault]:
        """Fire the matching rules of ``kinds``: every latency and at most one other fault."""
        if not self._rules:
            return []
        fired: list[Fault] = []
        with self._lock:
            for rule in self._rules:
                settled = any(r.kind != "latency" for r in fired)
                if (rule.kind not in kinds or (settled and rule.kind != "latency")
                        or not rule.matches(method, path)):
                    continue
                if rule.probability < 1.0 and rule._random.random() >= rule.probability:
                    continue
                rule.fired += 1
                self._injected[rule.kind] += 1
                fired.append(rule)
            self._rules = tuple(r for r in self._rules
                                if r.count is None or r.fired < r.count)
        return fired

    def chaos(self, seed: int, rate: float = 0.1, delay: float = 0.05) -> list[Fault]:
        """Add one rule of every kind, each firing at random; the same seed, the same rules.

        Throttles (429 and 503, ``Retry-After`` of 1-3 seconds, as seconds or a date),
        drops, truncations and latency (up to ``delay`` seconds) each fire with a
        probability around ``rate``; a token revocation and a change-token expiry fire at
        most once each (a revocation makes SharePoint answer 401 and costs up to a second).
        The rules' order, which decides the one fault a request gets, is drawn too.
        """
        rng = random.Random(seed)

        def odds() -> dict:
            return {"probability": min(1.0, rate * rng.uniform(0.5, 1.5)),
                    "seed": rng.getrandbits(32)}

        options: list[tuple[str, dict]] = [
            ("throttle", {"status": 429, "retry_after": rng.randint(1, 3), **odds()}),
            ("throttle", {"status": 503, "retry_after": rng.randint(1, 3),
                          "retry_after_date": rng.random() < 0.5, **odds()}),
            ("drop", odds()),
            ("truncate", odds()),
            ("latency", {"delay": rng.uniform(delay / 2, delay), **odds()}),
            ("revoke_tokens", {"count": 1, **odds()}),
            ("expire_change_tokens", {"count": 1, "path": "/getchanges", **odds()}),
        ]
        rng.shuffle(options)
        return [self.add(kind, **values) for kind, values in options]

    def change_tokens_expired(self) -> bool:
        """Whether GetChanges must answer as for an expired change token (one firing).

        The SharePoint layer calls this while serving GetChanges; rules of kind
        ``expire_change_tokens`` match on the current request's method and path.
        """
        if not self._rules:
            return False
        method, path = (request.method, request.path) if has_request_context() else ("POST", None)
        return bool(self.take(("expire_change_tokens",), method, path))


REQUEST_KINDS = ("throttle", "latency", "drop", "truncate", "revoke_tokens")


def install(app: Flask) -> None:
    """Hook fault injection into ``app`` (before routing, so it fires on any path)."""
    app.before_request(_inject)
    app.after_request(_truncate)


def _inject() -> Response | None:
    faults: Faults = current_app.extensions["emulator"].faults
    if not faults._rules or request.path.startswith(EDITOR_PREFIX):
        return None
    fired = faults.take(REQUEST_KINDS, request.method, request.path)
    delay = sum(rule.delay for rule in fired if rule.kind == "latency")
    if delay:
        time.sleep(delay)
    fault = next((rule for rule in fired if rule.kind != "latency"), None)
    if fault is None:
        return None
    if fault.kind == "truncate":
        request.environ[_TRUNCATE] = True
        return None
    if fault.kind == "throttle":
        return throttled(fault)
    return _drop() if fault.kind == "drop" else _revoke_tokens()


def _error(status: int, code: str, message: str) -> Response:
    """A SharePoint REST error in the form the client asked for (verbose or nometadata)."""
    accept = request.headers.get("Accept", "").lower().replace(" ", "")
    odata = next((f for f in ("verbose", "nometadata") if f"odata={f}" in accept),
                 "minimalmetadata")
    payload = {"code": code, "message": {"lang": "en-US", "value": message}}
    body = {"error": payload} if odata == "verbose" else {"odata.error": payload}
    return Response(json.dumps(body), status,
                    content_type=f"application/json;odata={odata};charset=utf-8")


def throttled(rule: Fault) -> Response:
    """SharePoint's answer to a throttled request."""
    if rule.status == 429:
        response = _error(429, "activityLimitReached", "The request has been throttled.")
    else:
        response = _error(503, "serverTooBusy", "Server Too Busy")
    if rule.retry_after_date:
        when = datetime.fromtimestamp(math.ceil(time.time()) + rule.retry_after, UTC)
        response.headers["Retry-After"] = format_datetime(when, usegmt=True)
    else:
        response.headers["Retry-After"] = str(rule.retry_after)
    if rule.rate_limit_reset is not None:
        response.headers["RateLimit-Limit"] = str(rule.rate_limit_limit)
        response.headers["RateLimit-Remaining"] = "0"
        response.headers["RateLimit-Reset"] = str(rule.rate_limit_reset)
    return response


def _drop() -> Response:
    """Shut the socket down; werkzeug's write then fails quietly as a dropped connection."""
    sock = request.environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    return Response(status=DROPPED_STATUS)


def _revoke_tokens() -> Response:
    """Reject every access token issued so far, then answer 401 as SharePoint does for one.

    Tokens carry whole-second ``iat`` values, so the answer waits for the next second:
    a token the client fetches after it is then never older than the revocation. Later
    requests with old tokens are refused by the services' own token checks.
    """
    state = current_app.extensions["emulator"]
    now = time.time()
    state.tokens_revoked_before = now
    time.sleep(int(now) + 1 - now)
    reason = "Invalid JWT token. The token is expired."
    response = Response(json.dumps({"error_description": reason}), 401,
                        content_type="application/json")
    response.headers["WWW-Authenticate"] = (
        f'Bearer realm="{state.tenant_id}",client_id="{SHAREPOINT_APP_ID}",'
        'trusted_issuers="00000001-0000-0000-c000-000000000000@*",'
        f'authorization_uri="{state.login_url}/common/oauth2/authorize"')
    response.headers["x-ms-diagnostics"] = f'3000003;reason="{reason}";category="invalid_client"'
    return response


def _truncate(response: Response) -> Response:
    """Send half the body under the full Content-Length; the client sees a broken read."""
    if not request.environ.get(_TRUNCATE):
        return response
    response.direct_passthrough = False
    data = response.get_data()
    response.set_data(data[: len(data) // 2])
    response.headers["Content-Length"] = str(max(len(data), len(data) // 2 + 1))
    return response
