"""Signing and verifying webhook deliveries, after the Standard Webhooks specification
(https://www.standardwebhooks.com): headers webhook-id, webhook-timestamp and webhook-signature,
the signature an HMAC-SHA256 over "id.timestamp.body" with the subscription's secret.

Subscribers use ``webhook_verify`` (Civic ships it for them): it refuses a tampered body or
header, a timestamp outside the tolerance (a replay of an old message) and, given a store of
ids already seen, a replay of a recent one.

Civic sends a delivery again when it got no 2xx answer (the receiver was down, timed out, or
its answer was lost; or a worker died before recording the answer), always with the same
webhook-id — the CloudEvent's id — and a fresh timestamp and signature. A receiver dedupes on
the webhook-id: ``webhook_verify`` with a lasting ``seen`` store adds each id it accepts and
raises ``WebhookReplayed`` for one it has seen, which the receiver answers with 2xx so that
Civic stops re-sending what it already has; a receiver that fails to store an event it
accepted removes the id again (``seen.discard(id)``) before answering 5xx.
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


class WebhookReplayed(WebhookRefused):
    """A genuine delivery whose id was seen before: a re-send of what the receiver has (answer
    it with 2xx), or a replay by someone else (nothing to do either way)."""

    def __init__(self, message_id: str) -> None:
        super().__init__(f"webhook {message_id} was already received (a replay)")
        self.message_id = message_id


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
            raise WebhookReplayed(message_id)
        seen.add(message_id)
    return message_id
