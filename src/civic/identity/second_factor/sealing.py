"""The TOTP seed at rest: encrypted with Fernet (AES-128-CBC and HMAC-SHA256, from the
``cryptography`` package) under a key derived from CIVIC_SECRET_KEY with HKDF-SHA256.

The key is derived, not the secret key itself, so that the seed's key serves nothing else.
Keys in SECRET_KEY_FALLBACKS still open seeds sealed before a key rotation; a seed no key
opens (the secret key was replaced without a fallback) reads as None, and its owner's factor
must be reset.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"civic.identity.staff-second-factor.v1"


def _fernet_key(secret_key: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret_key.encode()
    )
    return base64.urlsafe_b64encode(derived)


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_fernet_key(key)) for key in keys])


def seal(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def unseal(token: str) -> str | None:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None
