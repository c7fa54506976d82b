"""Signing and verifying webhook deliveries, after the Standard Webhooks specification
(https://www.standardwebhooks.com): headers webhook-id, webhook-timestamp and webhook-signature,
the signature an HMAC-SHA256 over "id.timestamp.body" with the subscription's secret.

Subscribers use ``webhook_verify`` (Civic ships it for them): it refuses a tampered body or
header, a timestamp outside the tolerance (a replay of an old message) and, given a store of
ids already seen, a replay of a recent one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping, MutableSet

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
TOLERANCE_SECONDS = 300


class WebhookRefused(Exception):
    pass


def secret_new() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    return (
        "v1," + base64.b64encode(hmac.new(_key(secret), signed, hashlib.sha256).digest()).decode()
    )


def webhook_headers(
    secret: str, message_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
        "content-type": "application/cloudevents+json",
    }


def webhook_verify(
    secret: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    seen: MutableSet[str] | None = None,
    now: int | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> str:
    """Return the message id of a genuine, fresh, first-seen delivery; raise WebhookRefused otherwise."""
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        message_id = lowered["webhook-id"]
        timestamp = int(lowered["webhook-timestamp"])
        offered = lowered["webhook-signature"].split()
    except (KeyError, ValueError):
        raise WebhookRefused("the webhook headers are missing or malformed") from None
    now = int(time.time()) if now is None else now
    if abs(now - timestamp) > tolerance:
        raise WebhookRefused("the webhook timestamp is too old or in the future (a replay?)")
    expected = signature(secret, message_id, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in offered):
        raise WebhookRefused("the webhook signature does not match (tampered, or the wrong secret)")
    if seen is not None:
        if message_id in seen:
            raise WebhookRefused(f"webhook {message_id} was already received (a replay)")
        seen.add(message_id)
    return message_id
