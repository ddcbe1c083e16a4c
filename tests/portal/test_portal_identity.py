"""The id_token checks msal does not make, and the principals of a sign-in."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from portal_support import group, user

from emulator.sample import people as p
from portal.identity import (
    IdTokenInvalid,
    OidcMetadata,
    SignInError,
    has_group_overage,
    principals_of,
    validate_id_token,
)


@pytest.fixture
def entra(app):
    """The portal's Entra ID client."""
    return app.extensions["portal.entra"]


@pytest.fixture
def claims(emulator):
    """Claims of a genuine id_token for the portal from the sample tenant."""
    state = emulator.state
    oid = p.stable_oid("user", p.TEACHER)
    return {"aud": emulator.registration.client_id, "iss": f"{emulator.authority}/v2.0",
            "sub": "pairwise", "oid": oid, "tid": state.tenant_id, "name": "Mette Hansen",
            "preferred_username": p.TEACHER, "groups": [group(p.TEACHERS)[6:]]}


def validate(entra, token):
    """Validate ``token`` as the portal's callback does."""
    return validate_id_token(token, entra.metadata, entra.client_id, entra.tenant_id)


def test_genuine_token_is_accepted(emulator, entra, claims):
    assert validate(entra, emulator.state.signer.sign(claims))["oid"] == claims["oid"]


def test_token_signed_with_another_key_is_rejected(emulator, entra, claims):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    forged = jwt.encode(claims | {"iat": now, "exp": now + 600}, key, algorithm="RS256",
                        headers={"kid": emulator.state.signer.kid})
    with pytest.raises(IdTokenInvalid, match="Signature"):
        validate(entra, forged)


def test_token_with_an_unknown_key_id_is_rejected(emulator, entra, claims):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    forged = jwt.encode(claims | {"iat": now, "exp": now + 600}, key, algorithm="RS256",
                        headers={"kid": "someone-elses"})
    with pytest.raises(IdTokenInvalid, match="unknown key"):
        validate(entra, forged)


def test_unsigned_token_is_rejected(entra, claims):
    now = int(time.time())
    unsigned = jwt.encode(claims | {"iat": now, "exp": now + 600}, None, algorithm="none")
    with pytest.raises(IdTokenInvalid, match="algorithm"):
        validate(entra, unsigned)


def test_hs256_token_is_rejected(emulator, entra, claims):
    now = int(time.time())
    secret = "a-shared-secret-long-enough-for-hs256"
    token = jwt.encode(claims | {"iat": now, "exp": now + 600}, secret, algorithm="HS256",
                       headers={"kid": emulator.state.signer.kid})
    with pytest.raises(IdTokenInvalid):
        validate(entra, token)


def test_expired_token_is_rejected(emulator, entra, claims):
    now = int(time.time())
    token = emulator.state.signer.sign(claims | {"iat": now - 7200, "nbf": now - 7200,
                                                 "exp": now - 3600})
    with pytest.raises(IdTokenInvalid, match="expired"):
        validate(entra, token)


@pytest.mark.parametrize(("claim", "value", "message"), [
    ("aud", "another-app", "(?i)audience"),
    ("iss", "https://evil.example/v2.0", "(?i)issuer"),
    ("tid", "00000000-0000-0000-0000-000000000000", "tenant"),
])
def test_token_for_another_app_issuer_or_tenant_is_rejected(emulator, entra, claims, claim,
                                                            value, message):
    with pytest.raises(IdTokenInvalid, match=message):
        validate(entra, emulator.state.signer.sign(claims | {claim: value}))


def test_token_without_oid_is_rejected(emulator, entra, claims):
    del claims["oid"]
    with pytest.raises(IdTokenInvalid, match="oid"):
        validate(entra, emulator.state.signer.sign(claims))


def test_principals_from_the_groups_claim(entra, claims):
    identity = principals_of(claims, None, entra.graph_url, entra.http)
    assert identity.principals == {"everyone", user(p.TEACHER), group(p.TEACHERS)}


def test_overage_without_an_access_token_fails(entra, claims):
    overage = claims | {"_claim_names": {"groups": "src1"}}
    del overage["groups"]
    assert has_group_overage(overage)
    with pytest.raises(SignInError, match="overage"):
        principals_of(overage, None, entra.graph_url, entra.http)


def test_overage_with_a_rejected_access_token_fails(entra, claims):
    overage = claims | {"_claim_names": {"groups": "src1"}}
    with pytest.raises(SignInError, match="getMemberObjects"):
        principals_of(overage, "not-a-token", entra.graph_url, entra.http)


def test_unreachable_discovery_is_a_sign_in_error(entra):
    metadata = OidcMetadata("https://127.0.0.1:9/tenant", entra.http)
    with pytest.raises(SignInError, match="cannot read"):
        metadata.document()
    with pytest.raises(SignInError, match="unreachable a moment ago"):
        metadata.document()  # not asked again at once


def test_callback_rejects_a_forged_token_from_msal(client, auth, monkeypatch, emulator, claims):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = int(time.time())
    forged = jwt.encode(claims | {"iat": now, "exp": now + 600}, key, algorithm="RS256",
                        headers={"kid": emulator.state.signer.kid})
    monkeypatch.setattr("msal.ConfidentialClientApplication.acquire_token_by_auth_code_flow",
                        lambda self, flow, answer, **kw: {"id_token": forged,
                                                          "access_token": "x"})
    response = client.get(auth.pick(auth.start(), p.TEACHER))
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_callback_rejects_a_token_for_another_app(client, auth, monkeypatch, emulator, claims):
    token = emulator.state.signer.sign(claims | {"aud": "another-app"})
    monkeypatch.setattr("msal.ConfidentialClientApplication.acquire_token_by_auth_code_flow",
                        lambda self, flow, answer, **kw: {"id_token": token})
    response = client.get(auth.pick(auth.start(), p.TEACHER))
    assert response.status_code == 400
    assert client.get("/").status_code == 302
