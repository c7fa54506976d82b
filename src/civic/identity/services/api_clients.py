"""Partner systems' API clients: made, limited, authenticated and revoked."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets

from django.db import connection, transaction
from django.utils.translation import gettext as _

from civic.core import clock, memo
from civic.core.errors import CivicError
from civic.identity.events import api_client_revoked_publish
from civic.identity.models import (
    Agency,
    ApiClient,
)

log = logging.getLogger("civic.identity")


def _secret_digest(secret: str) -> str:
    # API secrets are 256 random bits, so a fast hash is safe and keeps each call cheap.
    return hashlib.sha256(secret.encode()).hexdigest()


def api_client_create(
    *,
    agency: Agency,
    name: str,
    subjects_per_minute: int | None = None,
    subjects_per_day: int | None = None,
) -> tuple[ApiClient, str]:
    """Create an API client; returns it with its secret, which is shown this once only. The
    limits left None follow the installation's defaults."""
    api_client_limits_check(subjects_per_minute, subjects_per_day)
    secret = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(
        agency=agency,
        name=name,
        client_id=f"{agency.code}-{secrets.token_hex(6)}",
        secret_hash=_secret_digest(secret),
        subjects_per_minute=subjects_per_minute,
        subjects_per_day=subjects_per_day,
    )
    return client, secret


def api_client_limits_check(per_minute: int | None, per_day: int | None) -> None:
    """Refuse limits that are no limits (CivicError saying why); None is the default."""
    for value in (per_minute, per_day):
        if value is not None and value < 1:
            raise CivicError(_("A limit is a whole number of at least 1, or the default."))
    if per_minute is not None and per_day is not None and per_minute > per_day:
        raise CivicError(
            _("A client's limit a minute (%(minute)s) cannot be above its limit a day (%(day)s).")
            % {"minute": per_minute, "day": per_day}
        )


def api_client_limits_set(
    *, client: ApiClient, subjects_per_minute: int | None, subjects_per_day: int | None
) -> ApiClient:
    """Set the subjects the exchange releases to ``client`` a minute and a day (None: the
    installation's default). Takes effect at the client's next call."""
    api_client_limits_check(subjects_per_minute, subjects_per_day)
    client.subjects_per_minute = subjects_per_minute
    client.subjects_per_day = subjects_per_day
    client.save(update_fields=["subjects_per_minute", "subjects_per_day"])
    log.info(
        "API client %s limits set: %s a minute, %s a day",
        client.client_id,
        subjects_per_minute or "default",
        subjects_per_day or "default",
    )
    return client


_CLIENT_LOOKUP = (
    f"SELECT c.id, c.name, c.secret_hash, c.revoked_at, c.subjects_per_minute, "  # noqa: S608
    f"c.subjects_per_day, a.id, a.code, a.name "
    f"FROM {ApiClient._meta.db_table} c JOIN {Agency._meta.db_table} a ON a.id = c.agency_id "
    f"WHERE c.client_id = %s"
)


def _client_row(client_id: str) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(_CLIENT_LOOKUP, [client_id])
        return cursor.fetchone()


def api_client_authenticate(*, client_id: str, secret: str) -> ApiClient | None:
    """The client, if the id and secret match and it is not revoked. Runs on every API call, so
    it is one fixed statement rather than a composed query, and its row is kept in the
    process's memo (core.memo: dropped in every process when a client or agency changes, so a
    revoked client is refused at its next call). The secret is checked on every call against
    the stored SHA-256; an unknown client id is never kept."""
    if "\x00" in client_id:
        # No client id holds one, and PostgreSQL refuses it as a parameter (a 500, not a 401).
        return None
    row = memo.remembered(("api-client", client_id), lambda: _client_row(client_id))
    if row is None:
        return None
    pk, name, secret_hash, revoked_at, per_minute, per_day, agency_pk, agency_code, agency_name = (
        row
    )
    if revoked_at is not None or not hmac.compare_digest(secret_hash, _secret_digest(secret)):
        return None
    return ApiClient(
        id=pk,
        client_id=client_id,
        name=name,
        secret_hash=secret_hash,
        subjects_per_minute=per_minute,
        subjects_per_day=per_day,
        agency=Agency(id=agency_pk, code=agency_code, name=agency_name),
    )


@transaction.atomic
def api_client_revoke(*, client: ApiClient) -> ApiClient:
    """Its next API call gets 401; its subscriptions end and nothing more is delivered to it,
    not even what was already queued (the exchange handles the event, in this transaction)."""
    client.revoked_at = client.revoked_at or clock.now()
    client.save(update_fields=["revoked_at"])
    api_client_revoked_publish(client_id=client.client_id)
    return client
