"""The development provider's signing keys: ES256 (P-256), derived from the portal's secret key.

Every process derives the same key from `MIJNHAREN_SECRET_KEY`, so nothing is stored and several
processes (or a restart) sign and verify alike. Each provider has its own key, labelled by name.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from joserfc.jwk import ECKey, KeySet

SIGNING_ALGORITHM = "ES256"
_KEY_LABEL = "mijn-haren dev-idp signing key v1:"
# The order n of the P-256 group; a private scalar must lie in [1, n - 1].
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def _private_scalar(secret_key: str, provider: str) -> int:
    digest = hmac.new(
        secret_key.encode(), (_KEY_LABEL + provider).encode(), hashlib.sha256
    ).digest()
    return int.from_bytes(digest, "big") % (_P256_ORDER - 1) + 1


@lru_cache(maxsize=16)
def signing_key(secret_key: str, provider: str) -> ECKey:
    """The private signing key of one provider; its `kid` is the RFC 7638 thumbprint."""
    private = ec.derive_private_key(_private_scalar(secret_key, provider), ec.SECP256R1())
    thumbprint = ECKey.import_key(private).thumbprint()
    return ECKey.import_key(private, {"kid": thumbprint, "use": "sig", "alg": SIGNING_ALGORITHM})


def public_jwks(secret_key: str, provider: str) -> dict[str, Any]:
    """The JSON Web Key Set to publish: only the public half of the signing key."""
    return {"keys": [signing_key(secret_key, provider).as_dict(private=False)]}


def verification_keys(secret_key: str, provider: str) -> KeySet:
    """The key set to check this provider's own tokens with."""
    return KeySet.import_key_set(public_jwks(secret_key, provider))  # type: ignore[arg-type]
