"""The HTTP session under Office365-REST-Python-Client: retries, throttling, 401s, User-Agent.

The library sends every request through ``ctx.with_transport(session=…)``'s session, so retries
made here are invisible to it: a page of ``get_all()`` that fails is fetched again, and paging
never restarts at page 1. Every request here reads; retrying a POST (form digest, GetChanges,
search) is safe.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from indexer.sharepoint.auth import TokenProvider
from indexer.sharepoint.constants import THROTTLED_STATUSES, UNAVAILABLE_STATUSES
from indexer.sharepoint.errors import SharePointUnavailable, ThrottledError, TokenRejected

log = logging.getLogger(__name__)

# Failures after which the same request may well succeed: a dropped or refused connection,
# a timeout, a body that broke off or arrived garbled.
BROKEN_TRANSFER = (requests.ConnectionError, requests.Timeout,
                   requests.exceptions.ChunkedEncodingError,
                   requests.exceptions.ContentDecodingError)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try one request: attempts, exponential backoff and a cap on total waiting."""

    max_attempts: int = 6
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    max_total_wait: float = 300.0


@dataclass
class TransportStats:
    """What the session did, for metrics, the status page and tests."""

    requests: int = 0  # HTTP requests sent, retries included
    retries: int = 0  # requests sent again after a failure or a throttling answer
    throttled: int = 0  # 429 and 503 answers
    throttle_wait: float = 0.0  # seconds spent waiting because of them
    failures: int = 0  # dropped connections, broken bodies, 502 and 504 answers
    token_refreshes: int = 0  # new tokens fetched because SharePoint answered 401


class Backoff:
    """The attempts and waits of one request: exponential, jittered, capped, honouring hints."""

    def __init__(self, policy: RetryPolicy, sleep: Callable[[float], None],
                 rng: Callable[[], float]) -> None:
        self.policy = policy
        self.attempt = 1
        self.waited = 0.0
        self._sleep = sleep
        self._rng = rng

    def wait(self, hint: float | None = None) -> float | None:
        """Sleep before the next attempt and return how long; None when the budget is spent.

        The wait is the greater of the server's ``hint`` and the jittered exponential backoff.
        """
        policy = self.policy
        backoff = min(policy.backoff_cap, policy.backoff_base * 2 ** (self.attempt - 1))
        delay = backoff * (0.5 + self._rng() / 2)
        if hint is not None:
            delay = max(delay, hint)
        if self.attempt >= policy.max_attempts or self.waited + delay > policy.max_total_wait:
            return None
        self._sleep(delay)
        self.waited += delay
        self.attempt += 1
        return delay


def _delta_seconds(value: str | None, now: float) -> float | None:
    """Seconds from a ``Retry-After`` value: delta seconds, or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None


def server_wait(headers: Mapping[str, str], now: float) -> float | None:
    """The wait SharePoint asks for: the greater of ``Retry-After`` and ``RateLimit-Reset``."""
    waits = [w for w in (_delta_seconds(headers.get("Retry-After"), now),
                         _delta_seconds(headers.get("RateLimit-Reset"), now)) if w is not None]
    return max(waits) if waits else None


def _path(url: str | bytes) -> str:
    return urlsplit(url.decode() if isinstance(url, bytes) else url).path


class SharePointSession(requests.Session):
    """The requests session the library sends SharePoint REST calls through."""

    def __init__(self, *, user_agent: str, tokens: TokenProvider | None = None,
                 ca_file: Path | None = None, timeout: float | tuple[float, float] = (10, 60),
                 policy: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time,
                 rng: Callable[[], float] = random.random) -> None:
        super().__init__()
        self.headers["User-Agent"] = user_agent
        self.policy = policy or RetryPolicy()
        self._tokens = tokens
        self._verify: str | bool = str(ca_file) if ca_file else True
        self._timeout = timeout
        self._sleep, self._clock, self._rng = sleep, clock, rng
        self._stats = TransportStats()
        self._lock = threading.Lock()

    @property
    def stats(self) -> TransportStats:
        """A snapshot of the counters."""
        with self._lock:
            return dataclasses.replace(self._stats)

    def backoff(self) -> Backoff:
        """A fresh retry budget for one request."""
        return Backoff(self.policy, self._sleep, self._rng)

    def request(self, method: str | bytes, url: str | bytes, **kwargs: Any) -> requests.Response:
        """Send, retrying broken transfers, throttling and gateway errors, and one 401."""
        kwargs.setdefault("verify", self._verify)
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._timeout
        headers = kwargs["headers"] = self._current_token(dict(kwargs.get("headers") or {}))
        backoff = self.backoff()
        refreshed = False
        while True:
            response = self._attempt(method, url, kwargs, backoff)
            if response is None:
                continue
            if response.status_code == 401 and "Authorization" in headers and self._tokens:
                response.close()
                if refreshed:
                    raise TokenRejected(f"{method} {_path(url)}: 401 with a fresh token")
                refreshed = True
                headers["Authorization"] = self._refresh(headers["Authorization"])
                continue
            if not self._waited_after(response, backoff, method, url):
                return response

    def retry_broken_transfer(self, backoff: Backoff, what: str, error: Exception) -> None:
        """Wait before trying a broken transfer again; SharePointUnavailable when spent."""
        self._count(failures=1)
        delay = backoff.wait()
        if delay is None:
            raise SharePointUnavailable(
                f"{what}: {type(error).__name__} after {backoff.attempt} attempts") from error
        self._count(retries=1)
        log.info("%s: %s, trying again in %.1f s", what, type(error).__name__, delay)

    def _attempt(self, method: str | bytes, url: str | bytes, kwargs: dict,
                 backoff: Backoff) -> requests.Response | None:
        """One request; None when it broke and a retry is due."""
        self._count(requests=1)
        try:
            return super().request(method, url, **kwargs)
        except requests.exceptions.SSLError:
            raise  # a trust problem: trying again cannot help
        except BROKEN_TRANSFER as error:
            self.retry_broken_transfer(backoff, f"{method} {_path(url)}", error)
            return None

    def _waited_after(self, response: requests.Response, backoff: Backoff,
                      method: str | bytes, url: str | bytes) -> bool:
        """Whether the answer asks for a retry, after waiting; raises when the budget is spent."""
        status = response.status_code
        throttled = status in THROTTLED_STATUSES
        if not throttled and status not in UNAVAILABLE_STATUSES:
            return False
        hint = server_wait(response.headers, self._clock())
        response.close()
        delay = backoff.wait(hint)
        what = f"{method} {_path(url)}: HTTP {status}"
        if delay is None:
            if throttled:
                self._count(throttled=1)
                raise ThrottledError(f"{what}, gave up after {backoff.attempt} attempts",
                                     retry_after=hint or 0.0)
            self._count(failures=1)
            raise SharePointUnavailable(f"{what}, gave up after {backoff.attempt} attempts")
        if throttled:
            self._count(throttled=1, throttle_wait=delay, retries=1)
            log.warning("%s, waiting %.1f s as asked", what, delay)
        else:
            self._count(failures=1, retries=1)
        return True

    def _current_token(self, headers: dict[str, str]) -> dict[str, str]:
        """Swap a token the library still caches after a forced refresh for the current one."""
        current = self._tokens.authorization() if self._tokens else None
        sent = headers.get("Authorization", "")
        if current and sent.startswith("Bearer ") and sent != current:
            headers["Authorization"] = current
        return headers

    def _refresh(self, rejected: str) -> str:
        token = self._tokens.force_refresh(rejected)
        self._count(token_refreshes=1)
        return f"{token['token_type']} {token['access_token']}"

    def _count(self, **increments: float) -> None:
        with self._lock:
            for name, value in increments.items():
                setattr(self._stats, name, getattr(self._stats, name) + value)
