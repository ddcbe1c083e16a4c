"""App-only access tokens for SharePoint, fetched by msal with a certificate credential."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msal
import requests

from indexer.sharepoint.errors import TokenFetchFailed

log = logging.getLogger(__name__)

MICROSOFT_AUTHORITY_HOST = "login.microsoftonline.com"

# Discovery documents, shared by every token provider of the process (msal's ``http_cache``).
_HTTP_CACHE: dict = {}


class TrustingSession(requests.Session):
    """A session that verifies TLS with one CA file (or the system's) and never waits forever.

    ``verify`` is set on every request, because requests prefers ``REQUESTS_CA_BUNDLE`` over a
    session-level ``verify``.
    """

    def __init__(self, ca_file: Path | None, timeout: float) -> None:
        super().__init__()
        self.ca_file = str(ca_file) if ca_file else True
        self.timeout = timeout

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send with this session's CA file (unless the call names one) and a timeout."""
        kwargs.setdefault("verify", self.ca_file)
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().request(method, url, **kwargs)


def resource_scope(sharepoint_url: str) -> str:
    """The app-only scope of a SharePoint origin: ``https://contoso.sharepoint.com/.default``."""
    parts = urlsplit(sharepoint_url)
    return f"{parts.scheme}://{parts.netloc}/.default"


class TokenProvider:
    """Fetches, caches and refreshes the app-only token; call it to get one.

    The call returns what ``ClientContext.with_access_token`` wants. Its ``expires_in`` counts
    down to the refresh point (``refresh_margin`` seconds before the token expires), so the
    library asks again in time. :meth:`force_refresh` replaces a token SharePoint rejected.
    """

    def __init__(self, *, authority: str, client_id: str, key_file: Path, thumbprint: str,
                 sharepoint_url: str, ca_file: Path | None = None, timeout: float = 10.0,
                 refresh_margin: float = 300.0, clock: Callable[[], float] = time.time) -> None:
        self.authority = authority.rstrip("/")
        self.scope = resource_scope(sharepoint_url)
        self.fetches = 0  # tokens fetched from Entra ID, for metrics and tests
        self._client_id = client_id
        self._credential = {"private_key": Path(key_file).read_text(), "thumbprint": thumbprint}
        self._http = TrustingSession(ca_file, timeout)
        self._margin = refresh_margin
        self._clock = clock
        self._lock = threading.Lock()
        self._app: msal.ConfidentialClientApplication | None = None
        self._token: str | None = None
        self._refresh_at = 0.0

    def __call__(self) -> dict[str, Any]:
        """A valid token as ``{"access_token", "token_type", "expires_in"}``."""
        with self._lock:
            if self._token is None or self._clock() >= self._refresh_at:
                self._fetch()
            return self._response()

    def force_refresh(self, rejected: str | None = None) -> dict[str, Any]:
        """Replace the current token, unless it already differs from the ``rejected`` header."""
        with self._lock:
            if rejected is None or rejected == self.authorization():
                self._fetch()
            return self._response()

    def authorization(self) -> str | None:
        """The ``Authorization`` header value of the current token, without fetching one."""
        return f"Bearer {self._token}" if self._token else None

    def _response(self) -> dict[str, Any]:
        expires_in = max(0, int(self._refresh_at - self._clock()))
        return {"access_token": self._token, "token_type": "Bearer", "expires_in": expires_in}

    def _fetch(self) -> None:
        app = self._application()
        for cached in list(app.token_cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN)):
            app.token_cache.remove_at(cached)  # msal would hand back the token being replaced
        try:
            result = app.acquire_token_for_client([self.scope])
        except requests.RequestException as error:
            raise TokenFetchFailed(
                f"{self.authority} unreachable: {type(error).__name__}") from error
        if "access_token" not in result:
            description = (result.get("error_description") or "").splitlines()
            raise TokenFetchFailed(f"{result.get('error', 'no token')}: "
                                   f"{description[0] if description else 'no description'}")
        lifetime = float(result.get("expires_in", 3600))
        self._token = result["access_token"]
        self._refresh_at = self._clock() + lifetime - min(self._margin, lifetime / 2)
        self.fetches += 1
        log.info("fetched an app-only token for %s (valid %d s)", self.scope, lifetime)

    def _application(self) -> msal.ConfidentialClientApplication:
        if self._app is None:
            host = (urlsplit(self.authority).hostname or "").lower()
            try:
                self._app = msal.ConfidentialClientApplication(
                    self._client_id, client_credential=self._credential, authority=self.authority,
                    instance_discovery=host == MICROSOFT_AUTHORITY_HOST, http_client=self._http,
                    http_cache=_HTTP_CACHE, token_cache=msal.TokenCache())
            except (ValueError, requests.RequestException) as error:
                raise TokenFetchFailed(f"authority {self.authority} not usable: "
                                       f"{type(error).__name__}: {error}") from error
        return self._app
