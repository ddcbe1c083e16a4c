"""The Entra ID client: msal's authorization code flow with PKCE, then our own checks.

One msal application per sign-in step, each with an empty token cache that is dropped with it:
the portal keeps no tokens. Discovery is fetched once per process (a shared ``http_cache``).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import msal

from indexer.sharepoint.auth import MICROSOFT_AUTHORITY_HOST, TrustingSession
from portal.identity import (
    AnswerRejected,
    Identity,
    OidcMetadata,
    SignInError,
    principals_of,
    validate_id_token,
)
from portal.settings import authority, origin

SCOPES = ["User.Read"]  # Graph, for getMemberObjects when the groups overflow the token
HTTP_TIMEOUT = 10.0
REJECTED_GRANT_ERRORS = frozenset({"invalid_grant"})  # the code in the answer is no good


class Entra:
    """Sign-in and sign-out against the configured tenant."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.authority = authority(config)
        self.client_id = str(config["CLIENT_ID"])
        self.tenant_id = str(config["TENANT_ID"])
        self.graph_url = str(config["GRAPH_URL"])
        self._secret = str(config["CLIENT_SECRET"])
        ca_file = config["CA_FILE"]
        self.http = TrustingSession(Path(ca_file) if ca_file else None, HTTP_TIMEOUT)
        self.metadata = OidcMetadata(self.authority, self.http)
        self._http_cache: dict = {}

    def _app(self) -> msal.ConfidentialClientApplication:
        host = (urlsplit(self.authority).hostname or "").lower()
        try:
            return msal.ConfidentialClientApplication(
                self.client_id, client_credential=self._secret, authority=self.authority,
                instance_discovery=host == MICROSOFT_AUTHORITY_HOST, http_client=self.http,
                http_cache=self._http_cache, token_cache=msal.TokenCache())
        except Exception as error:  # msal raises ValueError or a requests error
            raise SignInError(f"the authority {self.authority} is not usable: {error!r}") from error

    def start(self, redirect_uri: str, shared_computer: bool) -> dict[str, Any]:
        """A new flow (state, nonce, PKCE verifier, auth_uri) to keep in the session.

        A shared computer asks for ``prompt=select_account``, so the next person at it is never
        signed in silently as the last one. The response comes in the query: a ``form_post``
        cross-site POST would arrive without the SameSite=Lax session cookie that holds the
        flow. msal warns about that choice on every call, so the warning is silenced here.
        """
        extra = {"prompt": "select_account"} if shared_computer else {}
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="response_mode='form_post'",
                                    category=UserWarning)
            try:
                return self._app().initiate_auth_code_flow(SCOPES, redirect_uri=redirect_uri,
                                                           **extra)
            except ValueError as error:
                raise SignInError(f"cannot start a sign-in: {error}") from error

    def finish(self, flow: dict[str, Any], answer: dict[str, str]) -> Identity:
        """Redeem the code, validate the id_token and compute the user's principals."""
        try:
            result = self._app().acquire_token_by_auth_code_flow(flow, answer, scopes=SCOPES)
        except ValueError as error:  # state mismatch or a reused flow
            raise AnswerRejected(f"the answer does not match its flow: {error}") from error
        except RuntimeError as error:  # msal's id_token checks: nonce, issuer, audience
            raise AnswerRejected(f"the id_token does not match its flow: {error}") from error
        if result.get("error") in REJECTED_GRANT_ERRORS:  # a used, expired or stolen code
            raise AnswerRejected(f"{result['error']}: "
                                 f"{(result.get('error_description') or '').splitlines()[:1]}")
        if "id_token" not in result:
            raise SignInError(f"{result.get('error', 'no id_token')}: "
                              f"{(result.get('error_description') or '').splitlines()[:1]}")
        claims = validate_id_token(result["id_token"], self.metadata, self.client_id,
                                   self.tenant_id)
        return principals_of(claims, result.get("access_token"), self.graph_url, self.http)

    def logout_url(self, post_logout_redirect_uri: str) -> str | None:
        """Entra's end-session URL that comes back to us, or None if discovery is unreachable."""
        try:
            endpoint = self.metadata.document().get("end_session_endpoint")
        except SignInError:
            return None
        if not endpoint:
            return None
        query = urlencode({"post_logout_redirect_uri": post_logout_redirect_uri,
                           "client_id": self.client_id})
        return f"{endpoint}?{query}"

    def form_targets(self) -> set[str]:
        """Origins the browser is sent to from our forms (for the CSP ``form-action``).

        Discovery is fetched once per process; while it is unreachable only the authority's
        origin is named.
        """
        targets = {origin(self.authority)}
        try:
            document = self.metadata.document()
        except SignInError:
            document = {}
        for key in ("authorization_endpoint", "end_session_endpoint"):
            if document.get(key):
                targets.add(origin(document[key]))
        return targets
