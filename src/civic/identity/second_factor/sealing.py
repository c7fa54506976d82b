"""The TOTP seed at rest: encrypted with AES-256-GCM (the ``cryptography`` package) under a key
derived from CIVIC_SECRET_KEY with HKDF-SHA256, a fresh 96-bit nonce each time, and the owner
named as associated data, so that a seed copied onto another user's row does not open.

The key is derived, not the secret key itself, so that it serves nothing else. Keys in
SECRET_KEY_FALLBACKS still open seeds sealed before a key rotation; a seed that no key opens
(the secret key was replaced without a fallback) reads as None, and its owner's factor must be
reset.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"civic.identity.staff-second-factor.v1"
_NONCE_BYTES = 12


def _key(secret_key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        secret_key.encode()
    )


def _keys() -> list[bytes]:
    return [_key(k) for k in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))]


def _owner(user_id: int) -> bytes:
    return f"user {user_id}".encode()


def seal(text: str, *, user_id: int) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_keys()[0]).encrypt(nonce, text.encode(), _owner(user_id))
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(token: str, *, user_id: int) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(token.encode())
    except ValueError:
        return None
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    for key in _keys():
        try:
            return AESGCM(key).decrypt(nonce, sealed, _owner(user_id)).decode()
        except (InvalidTag, ValueError):
            continue
    return None
