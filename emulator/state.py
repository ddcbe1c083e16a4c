"""What the parts of a running emulator share: tenant, keys, URLs, faults, request log."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from emulator.faults import Faults
from emulator.tenant import Tenant
from emulator.tokens import Signer


@dataclass(frozen=True)
class LoggedRequest:
    """One request the emulator answered (method, path with query, status)."""

    method: str
    path: str
    status: int


class RequestLog:
    """Every request the emulator answered, so tests can count what a client sent."""

    def __init__(self) -> None:
        self._entries: list[LoggedRequest] = []
        self._lock = threading.Lock()

    def add(self, entry: LoggedRequest) -> None:
        """Record one request."""
        with self._lock:
            self._entries.append(entry)

    def clear(self) -> None:
        """Forget everything recorded so far."""
        with self._lock:
            self._entries.clear()

    def matching(self, fragment: str = "/_api/") -> list[LoggedRequest]:
        """The recorded requests whose path contains ``fragment``."""
        with self._lock:
            return [e for e in self._entries if fragment in e.path]


@dataclass
class EmulatorState:
    """The state behind one running emulator.

    ``sharepoint_url`` is the plain-http origin serving SharePoint REST, the browser-facing
    sign-in page and the editor API; ``login_url`` is the https origin serving Entra ID's
    discovery, token and keys endpoints and Graph. Access tokens issued (``iat``) before
    ``tokens_revoked_before`` (epoch seconds) are answered with 401, as expired ones are.
    ``stores`` holds each service's own mutable data (authorization codes, subscriptions).
    ``editor_key`` is the bearer key the editor API (``/_emulator/``) requires.
    """

    tenant: Tenant
    signer: Signer
    sharepoint_url: str
    login_url: str
    ca_file: Path
    faults: Faults = field(default_factory=Faults)
    requests: RequestLog = field(default_factory=RequestLog)
    token_lifetime: int = 3600
    tokens_revoked_before: float = 0.0
    stores: dict = field(default_factory=dict)
    editor_key: str = ""

    @property
    def tenant_id(self) -> str:
        """The directory (tenant) id."""
        return self.tenant.directory.tenant_id

    @property
    def authority(self) -> str:
        """The msal authority URL of this tenant."""
        return f"{self.login_url}/{self.tenant_id}"

    @property
    def graph_url(self) -> str:
        """The Graph origin (served over https with Entra ID)."""
        return self.login_url


def current_state() -> EmulatorState:
    """The state of the emulator serving the current request."""
    return current_app.extensions["emulator"]
