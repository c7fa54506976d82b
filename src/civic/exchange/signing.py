"""Ed25519 signatures over checkpoints, in the C2SP signed-note checkpoint form.

The key lives in a PEM file (CIVIC_AUDITLOG_KEY_FILE); the embedded default makes one under
var/keys on first use. Each public key that signs is recorded, so checkpoints signed before a
key rotation still verify.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from civic.core.keyfiles import key_file_create_once
from civic.exchange import note

ORIGIN = "civic.invalid/access-log"


def checkpoint_note(size: int, root: bytes, timestamp: dt.datetime) -> bytes:
    """The signed text: origin, size, base64 root (C2SP tlog-checkpoint), then the time."""
    when = timestamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return (
        f"{settings.AUDITLOG_ORIGIN}\n{size}\n{base64.b64encode(root).decode()}\n{when}\n".encode()
    )


@cache
def private_key() -> Ed25519PrivateKey:
    path = Path(settings.AUDITLOG_KEY_FILE)
    if not path.exists():
        made = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Several processes may start at once: all sign with the one key that reached the file.
        key_file_create_once(path, made)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} does not hold an Ed25519 private key")
    return key


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def sign(note: bytes) -> tuple[str, str, bytes]:
    """Returns (signature in base64, key id, raw public key)."""
    key = private_key()
    public = public_bytes(key.public_key())
    return base64.b64encode(key.sign(note)).decode(), key_id(public), public


def verify(note: bytes, signature_b64: str, public: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(base64.b64decode(signature_b64), note)
    except (InvalidSignature, ValueError):
        return False
    return True


def verifier(public: bytes) -> note.Verifier:
    """The log's key as a signed-note verifier, named after the origin (tlog-checkpoint)."""
    return note.Verifier(settings.AUDITLOG_ORIGIN, note.ED25519, public)


def vkey() -> str:
    """The verifier key a witness is given (`--log-key`), for the current signing key."""
    return verifier(public_bytes(private_key().public_key())).vkey()
