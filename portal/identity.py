"""Who signed in: the id_token checks msal does not make, and the user's principals.

msal checks ``state``, PKCE and ``nonce`` only. :func:`validate_id_token` checks the signature
against the JWKS from discovery, ``aud``, ``iss``, ``exp`` and ``tid``. :func:`principals_of`
turns the claims into ``everyone``, ``user:<oid>`` and one ``group:<id>`` per group, asking
Graph ``getMemberObjects`` when the token carries the group overage claims instead.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
import requests

from indexer.document import principals_for

ALGORITHMS = ["RS256"]
REQUIRED_CLAIMS = ["exp", "iat", "aud", "iss", "sub", "tid", "oid"]
LEEWAY_SECONDS = 60
METADATA_TTL = 24 * 3600
RETRY_AFTER_FAILURE = 30


class SignInError(Exception):
    """Sign-in could not be completed; the message is for the log, not the user."""


class AnswerRejected(SignInError):
    """The answer that came back to the callback is not to be trusted."""


class IdTokenInvalid(AnswerRejected):
    """The id_token is forged, expired, for another app or from another tenant."""


@dataclass(frozen=True)
class Identity:
    """A validated sign-in: who, and what they hold."""

    oid: str
    name: str
    username: str
    principals: frozenset[str]


class OidcMetadata:
    """Discovery and the signing keys of one authority, fetched once and kept for a day.

    An id_token signed with an unknown key makes one early refetch of the keys (key rotation),
    at most once per ``RETRY_AFTER_FAILURE`` seconds.
    """

    def __init__(self, authority: str, http: requests.Session,
                 clock: Callable[[], float] = time.time) -> None:
        self.url = f"{authority.rstrip('/')}/v2.0/.well-known/openid-configuration"
        self._http = http
        self._clock = clock
        self._lock = threading.Lock()
        self._config: dict[str, Any] | None = None
        self._keys: jwt.PyJWKSet | None = None
        self._fetched = 0.0
        self._failed = -RETRY_AFTER_FAILURE

    def document(self) -> dict[str, Any]:
        """The discovery document; SignInError if it cannot be had."""
        with self._lock:
            self._refresh(force=False)
            return self._config

    def signing_key(self, kid: str | None) -> jwt.PyJWK:
        """The key with id ``kid``; IdTokenInvalid if the authority has none such."""
        with self._lock:
            self._refresh(force=False)
            key = self._find(kid)
            if key is None and self._clock() - self._fetched > RETRY_AFTER_FAILURE:
                self._refresh(force=True)
                key = self._find(kid)
        if key is None:
            raise IdTokenInvalid(f"the id_token is signed with an unknown key {kid!r}")
        return key

    def _find(self, kid: str | None) -> jwt.PyJWK | None:
        return next((key for key in self._keys.keys if key.key_id == kid), None)

    def _refresh(self, force: bool) -> None:
        now = self._clock()
        if self._config is not None and not force and now - self._fetched < METADATA_TTL:
            return
        if self._config is None and now - self._failed < RETRY_AFTER_FAILURE:
            raise SignInError(f"{self.url} was unreachable a moment ago")
        try:
            config = self._get_json(self.url)
            keys = jwt.PyJWKSet.from_dict(self._get_json(config["jwks_uri"]))
        except (requests.RequestException, ValueError, KeyError, jwt.PyJWTError) as error:
            self._failed = now
            if self._config is None:
                raise SignInError(f"cannot read {self.url}: {error!r}") from error
            return  # keep serving the metadata we have
        self._config, self._keys, self._fetched = config, keys, now

    def _get_json(self, url: str) -> dict[str, Any]:
        response = self._http.get(url)
        response.raise_for_status()
        return response.json()


def validate_id_token(token: str, metadata: OidcMetadata, client_id: str,
                      tenant_id: str) -> dict[str, Any]:
    """The claims of a genuine id_token for this app and tenant; IdTokenInvalid otherwise."""
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in ALGORITHMS:
            raise IdTokenInvalid(f"unexpected signing algorithm {header.get('alg')!r}")
        key = metadata.signing_key(header.get("kid"))
        issuer = metadata.document()["issuer"].replace("{tenantid}", tenant_id)
        claims = jwt.decode(token, key.key, algorithms=ALGORITHMS, audience=client_id,
                            issuer=issuer, leeway=LEEWAY_SECONDS,
                            options={"require": REQUIRED_CLAIMS})
    except jwt.PyJWTError as error:
        raise IdTokenInvalid(f"id_token rejected: {error}") from error
    if str(claims["tid"]).lower() != tenant_id.lower():
        raise IdTokenInvalid(f"id_token is from tenant {claims['tid']}, not {tenant_id}")
    return claims


def has_group_overage(claims: dict[str, Any]) -> bool:
    """Whether the token names a claim source for ``groups`` instead of carrying them."""
    return "groups" in (claims.get("_claim_names") or {})


def member_groups(graph_url: str, access_token: str, http: requests.Session) -> list[str]:
    """The signed-in user's group ids from Graph ``POST /v1.0/me/getMemberObjects``."""
    try:
        response = http.post(f"{graph_url.rstrip('/')}/v1.0/me/getMemberObjects",
                             json={"securityEnabledOnly": False},
                             headers={"Authorization": f"Bearer {access_token}"})
        response.raise_for_status()
        values = response.json()["value"]
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise SignInError(f"Graph getMemberObjects failed: {error!r}") from error
    return [str(value) for value in values]


def _identity(claims: dict[str, Any], groups: list[str]) -> Identity:
    """The signed-in user's identity and principals."""
    return Identity(oid=str(claims["oid"]).lower(), name=str(claims.get("name") or ""),
                    username=str(claims.get("preferred_username") or ""),
                    principals=principals_for(str(claims["oid"]), groups))


def principals_of(claims: dict[str, Any], access_token: str | None, graph_url: str,
                  http: requests.Session) -> Identity:
    """The identity of validated claims; the groups come from Graph on overage."""
    if has_group_overage(claims):
        if not access_token:
            raise SignInError("the token has the group overage but no access token for Graph")
        groups = member_groups(graph_url, access_token, http)
    else:
        groups = [str(g) for g in claims.get("groups") or []]
    return _identity(claims, groups)
