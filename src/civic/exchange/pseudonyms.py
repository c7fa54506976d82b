"""Keyed pseudonyms for subjects: the access log and consents never hold an identifier in clear.

HMAC-SHA256 under a key of Civic's own (CIVIC_PSEUDONYM_KEY, or one derived from the secret
key). The same subject always gets the same pseudonym, so a resident's data tracker finds
their entries; without the key nobody can tell whose entry it is, and erasing the register
data leaves the log intact and verifiable.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from django.conf import settings


@cache
def _key() -> bytes:
    configured = settings.PSEUDONYM_KEY
    if configured:
        return configured.encode()
    # Derived, so that the embedded default needs no extra secret; production sets its own.
    return hashlib.sha256(b"civic pseudonym key v1\x00" + settings.SECRET_KEY.encode()).digest()


def pseudonym(register: str, identifier: str) -> str:
    """The pseudonym of ``identifier`` in ``register``'s subject space (persons share one)."""
    space = "person" if register in {"persons", "income"} else register
    return hmac.new(_key(), f"{space}:{identifier}".encode(), hashlib.sha256).hexdigest()[:32]


def person_pseudonym(personal_number: str) -> str:
    return pseudonym("persons", personal_number)
