"""Field-level encryption: AES-256-GCM with the table, column and row id as associated data,
so a ciphertext copied to another row or field does not open. The key id travels with the
ciphertext, so rows sealed under an old key still open while a rotation runs.

Stored form: ``enc1:<key id>:<base64url(nonce | ciphertext | tag)>``. A value without the
prefix is clear (sealed later by the background pass). Imports only the kernel.
"""

from __future__ import annotations

import base64
import logging
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from civic.core import tracing
from civic.core.fieldkeys.base import FieldKeySource, KeyUnavailable
from civic.core.fieldkeys.registry import source_current
from civic.core.metrics import FIELD_INTEGRITY_FAILURES

#: Where an operator's alerting looks: every value that did not open, with its row and field
#: (never the value), and the request's trace id.
integrity_log = logging.getLogger("civic.integrity")

PREFIX = "enc1:"
#: Longest stored form of a value of ``n`` characters (UTF-8 up to 4 bytes each) with key ids
#: up to 16 characters: for sizing columns.
OVERHEAD = len(PREFIX) + 16 + 1 + 4 * (12 + 16) // 3 + 4


class FieldDecryptError(ValueError):
    """A sealed value that does not open: tampered, moved to another row or field, or its key
    is not in the key source. ``str()`` says which row and field, never the value: it is for the
    operators' log. What the person asking reads names neither (civic.api, core.middleware)."""

    def __init__(self, message: str, *, table: str = "", column: str = "", reason: str = ""):
        super().__init__(message)
        self.table, self.column, self.reason = table, column, reason


def _failed(message: str, *, table: str, column: str, reason: str) -> FieldDecryptError:
    """The error, logged and counted where it is found (a request, a job, a command alike)."""
    FIELD_INTEGRITY_FAILURES.labels(table=table, column=column, reason=reason).inc()
    integrity_log.error(
        "field integrity: %s (trace %s)",
        message,
        tracing.trace_id() or "-",
        extra={"table": table, "column": column, "reason": reason},
    )
    return FieldDecryptError(message, table=table, column=column, reason=reason)


def _aad(table: str, column: str, row_id: int) -> bytes:
    return f"{table}\x1f{column}\x1f{row_id}".encode()


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def key_id_of(value: str) -> str:
    return value[len(PREFIX) :].split(":", 1)[0]


def seal(
    value: str,
    *,
    table: str,
    column: str,
    row_id: int,
    source: FieldKeySource | None = None,
) -> str:
    source = source or source_current()
    if source is None:
        raise FieldDecryptError("field encryption is off (CIVIC_FIELD_KEYS=off)")
    key_id = source.current_id()
    nonce = os.urandom(12)
    sealed = AESGCM(source.key_get(key_id)).encrypt(
        nonce, value.encode(), _aad(table, column, row_id)
    )
    return f"{PREFIX}{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def unseal(
    value: str | None,
    *,
    table: str,
    column: str,
    row_id: int,
    source: FieldKeySource | None = None,
) -> str | None:
    """The clear value; a clear (not yet sealed) value as it is."""
    if not is_sealed(value):
        return value
    where = f"{table}.{column} of row {row_id}"
    source = source or source_current()
    at = {"table": table, "column": column}
    if source is None:
        raise _failed(f"{where} is encrypted but CIVIC_FIELD_KEYS is off", **at, reason="no-keys")
    key_id, _colon, body = value[len(PREFIX) :].partition(":")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        key = source.key_get(key_id)
        clear = AESGCM(key).decrypt(raw[:12], raw[12:], _aad(table, column, row_id))
    except KeyUnavailable as error:
        raise _failed(f"{where}: {error}", **at, reason="key-unavailable") from None
    except (InvalidTag, ValueError):
        raise _failed(
            f"{where} does not open with key {key_id!r}: tampered, moved from another row or "
            "field, or the wrong key",
            **at,
            reason="does-not-open",
        ) from None
    return clear.decode()
