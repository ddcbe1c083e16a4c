"""Signing and checking the JWTs that the emulator's Entra ID issues."""

from __future__ import annotations

import base64
import hashlib
import json
import time

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class Signer:
    """An RSA key pair that signs id and access tokens (RS256) and publishes its JWKS."""

    def __init__(self) -> None:
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public_der = self._key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        self.kid = base64.urlsafe_b64encode(hashlib.sha1(public_der).digest()).rstrip(b"=").decode()

    def sign(self, claims: dict, lifetime: int = 3600) -> str:
        """Sign ``claims``, adding ``iat``, ``nbf`` and ``exp`` unless given."""
        now = int(time.time())
        body = {"iat": now, "nbf": now, "exp": now + lifetime} | claims
        return jwt.encode(body, self._key, algorithm="RS256", headers={"kid": self.kid})

    def verify(self, token: str, audience: str | list[str] | None = None,
               issuer: str | None = None, leeway: int = 0) -> dict:
        """Check signature, expiry and (when given) audience and issuer; raise jwt errors."""
        options = {"verify_aud": audience is not None, "require": ["exp", "iat"]}
        return jwt.decode(token, self._key.public_key(), algorithms=["RS256"], audience=audience,
                          issuer=issuer, leeway=leeway, options=options)

    def jwks(self) -> dict:
        """The public key set, as served at the ``keys`` endpoint."""
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [jwk | {"kid": self.kid, "use": "sig", "alg": "RS256"}]}
