"""What Entra ID remembers between requests: authorization codes, refresh tokens, sign-ins."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from emulator.state import EmulatorState

# Entra's authorization codes live about ten minutes. They age with the tenant clock, so a
# test can expire one by advancing it; tokens use real time, as their readers do.
CODE_LIFETIME = timedelta(minutes=10)

_create_lock = threading.Lock()


@dataclass
class AuthorizationCode:
    """What a code stands for: who signed in to which app, and the PKCE challenge."""

    client_id: str
    redirect_uri: str
    user_oid: str
    scope: str
    nonce: str | None
    code_challenge: str
    issued: datetime
    redeemed: bool = False


@dataclass(frozen=True)
class RefreshGrant:
    """What a refresh token stands for; ``issued`` is epoch seconds."""

    client_id: str
    user_oid: str
    scope: str
    issued: float


class EntraStore:
    """Codes, refresh tokens and browser sessions of one emulator, safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._codes: dict[str, AuthorizationCode] = {}
        self._refresh: dict[str, RefreshGrant] = {}
        self._sessions: dict[str, str] = {}

    def add_code(self, code: AuthorizationCode) -> str:
        """Store a new code and return its value."""
        value = secrets.token_urlsafe(48)
        with self._lock:
            self._codes[value] = code
        return value

    def redeem_code(self, value: str,
                    check: Callable[[AuthorizationCode], None]) -> AuthorizationCode | None:
        """Run ``check`` on the code (it raises to refuse) and mark it redeemed if it passes.

        Returns None for an unknown code. The check sees ``redeemed`` set by an earlier use.
        """
        with self._lock:
            code = self._codes.get(value)
            if code is not None:
                check(code)
                code.redeemed = True
            return code

    def add_refresh_token(self, grant: RefreshGrant) -> str:
        """Store a refresh grant and return its opaque token."""
        value = "1.AQ" + secrets.token_urlsafe(64)
        with self._lock:
            self._refresh[value] = grant
        return value

    def refresh_grant(self, value: str) -> RefreshGrant | None:
        """The grant behind a refresh token (it stays valid after use, as in Entra)."""
        with self._lock:
            return self._refresh.get(value)

    def start_session(self, user_oid: str) -> str:
        """Remember a browser sign-in; return the session cookie value."""
        value = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[value] = user_oid
        return value

    def session_user(self, value: str | None) -> str | None:
        """The user signed in with this session cookie, if any."""
        with self._lock:
            return self._sessions.get(value or "")

    def end_session(self, value: str | None) -> None:
        """Forget a browser sign-in."""
        with self._lock:
            self._sessions.pop(value or "", None)


def entra_store(state: EmulatorState) -> EntraStore:
    """The Entra store of a running emulator, created on first use."""
    with _create_lock:
        store = state.stores.get("entra")
        if store is None:
            store = state.stores["entra"] = EntraStore()
        return store
