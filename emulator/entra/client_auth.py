"""How an app proves itself at the token endpoint: a client secret or a signed assertion.

A certificate assertion is a JWT the app signs with its private key: RS256 with ``x5t`` (the
SHA-1 thumbprint, base64url; msal keeps the padding) or PS256 with ``x5t#S256``. Its ``aud`` is
the token endpoint, ``iss`` and ``sub`` are the client id. msal reuses one assertion for up to
nine minutes, and Entra accepts that, so a repeated ``jti`` is not refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import UTC, datetime

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from werkzeug.datastructures import MultiDict

from emulator.directory import App
from emulator.entra.errors import EntraError
from emulator.state import EmulatorState

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_DOCS = "https://learn.microsoft.com/entra/identity-platform/certificate-credentials"
CLOCK_SKEW = 300  # seconds of leeway on the assertion's lifetime, as Entra allows

# appidacr values: how the client authenticated.
PUBLIC, SECRET, CERTIFICATE = "0", "1", "2"


def authenticate_client(state: EmulatorState, app: App, form: MultiDict,
                        basic: tuple[str, str] | None, grant_type: str) -> str:
    """Check the credential the app sent; return its ``appidacr`` or raise ``invalid_client``."""
    secret = form.get("client_secret") or (basic[1] if basic else None)
    assertion = form.get("client_assertion")
    if not (app.secrets or app.certificates):
        if secret or assertion:
            raise EntraError("invalid_client", 700025, "Client is public so neither "
                             "'client_assertion' nor 'client_secret' should be presented.", 401)
        return PUBLIC
    if assertion:
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            raise EntraError("invalid_request", 900144, "The request body must contain the "
                             f"following parameter: 'client_assertion_type' = '{ASSERTION_TYPE}'.")
        verify_assertion(state, app, assertion)
        return CERTIFICATE
    if secret:
        if secret not in app.secrets:
            raise EntraError(
                "invalid_client", 7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is "
                "the client secret value, not the client secret ID, for a secret added to app "
                f"'{app.client_id}'.", 401)
        return SECRET
    if grant_type == "client_credentials":
        raise EntraError("invalid_client", 7000216, "'client_assertion', 'client_secret' or "
                         "'request' is required for the 'client_credentials' grant type.", 401)
    raise EntraError("invalid_client", 7000218, "The request body must contain the following "
                     "parameter: 'client_assertion' or 'client_secret'.", 401)


def _thumbprint_hex(encoded: str) -> str:
    """Hex of a base64url thumbprint, with or without padding."""
    raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    return raw.hex().upper()


def _find_certificate(app: App, header: dict) -> x509.Certificate:
    """The registered certificate the header names; raise AADSTS700027 if there is none."""
    algorithm = hashlib.sha256 if "x5t#S256" in header else hashlib.sha1
    try:
        wanted = _thumbprint_hex(header.get("x5t#S256") or header.get("x5t") or "")
    except (binascii.Error, ValueError):
        wanted = ""
    for pem in app.certificates.values():
        cert = x509.load_pem_x509_certificate(pem)
        der = cert.public_bytes(serialization.Encoding.DER)
        if wanted and algorithm(der).hexdigest().upper() == wanted:
            return cert
    raise EntraError(
        "invalid_client", 700027,
        "The certificate with identifier used to sign the client assertion is not registered "
        f"on application. [Reason - The key was not found., Thumbprint of key used by client: "
        f"'{wanted}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to "
        f"see configured keys for app Id '{app.client_id}'. Review the documentation at "
        "https://docs.microsoft.com/en-us/graph/deployments to determine the corresponding "
        "service endpoint and https://docs.microsoft.com/en-us/graph/api/application-get?"
        "view=graph-rest-1.0&tabs=http to build a query request URL, such as "
        f"'https://graph.microsoft.com/beta/applications/{app.client_id}']", 401)


def _token_endpoints(state: EmulatorState) -> list[str]:
    directory = state.tenant.directory
    return [f"{state.login_url}/{tenant}/oauth2/v2.0/token"
            for tenant in (directory.tenant_id, directory.domain)]


def _time_range_error(claims: dict) -> EntraError:
    def stamp(epoch: float | None) -> str:
        if epoch is None:
            return "(none)"
        return datetime.fromtimestamp(epoch, UTC).strftime("%m/%d/%Y %H:%M:%S")

    return EntraError(
        "invalid_client", 700024,
        f"Client assertion is not within its valid time range. Current time: "
        f"{stamp(datetime.now(UTC).timestamp())}, assertion valid from "
        f"{stamp(claims.get('nbf', claims.get('iat')))}, expiry time of assertion "
        f"{stamp(claims.get('exp'))}. Review the documentation at {ASSERTION_DOCS}.", 401)


def verify_assertion(state: EmulatorState, app: App, assertion: str) -> dict:
    """Verify a certificate assertion against the app's registered certificates."""
    try:
        header = jwt.get_unverified_header(assertion)
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.InvalidTokenError as exc:
        raise EntraError("invalid_client", 50027,
                         f"JWT token is invalid or malformed. {exc}", 401) from exc
    if header.get("alg") not in ("RS256", "PS256"):
        raise EntraError("invalid_client", 5002738,
                         f"Invalid JWT token. '{header.get('alg')}' is not a supported signature "
                         "algorithm. Supported signing algorithms are: 'RS256, PS256'", 401)
    cert = _find_certificate(app, header)
    try:
        claims = jwt.decode(assertion, cert.public_key(), algorithms=[header["alg"]],
                            audience=_token_endpoints(state), leeway=CLOCK_SKEW,
                            options={"require": ["exp", "aud", "iss", "sub"]})
    except jwt.InvalidSignatureError as exc:
        raise EntraError("invalid_client", 700027,
                         "Client assertion failed signature validation.", 401) from exc
    except (jwt.ExpiredSignatureError, jwt.ImmatureSignatureError) as exc:
        raise _time_range_error(unverified) from exc
    except jwt.InvalidAudienceError as exc:
        raise EntraError(
            "invalid_client", 700023,
            "Client assertion audience claim does not match Realm issuer. Review the "
            f"documentation at {ASSERTION_DOCS}.", 401) from exc
    except jwt.InvalidTokenError as exc:
        raise EntraError("invalid_client", 50027,
                         f"JWT token is invalid or malformed. {exc}", 401) from exc
    if claims["iss"] != app.client_id or claims["sub"] != app.client_id:
        raise EntraError("invalid_client", 700021,
                         "Client assertion application identifier doesn't match 'client_id' "
                         f"parameter. Review the documentation at {ASSERTION_DOCS}.", 401)
    return claims
