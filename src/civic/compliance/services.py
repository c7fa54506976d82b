"""Every write of privacy oversight: access alerts recorded, acknowledged, and a client revoked
from one. Keyword-only functions named ``<noun>_<verb>``, each atomic; every staff write is
scoped to the user's agency here, not in the view. Telling the officers of an alert
(``access_alert_tell``) is in compliance.notice, where the Celery task calls it; it is
re-exported here, as are the data-subject requests' (compliance.subject_requests)."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from civic.compliance.models import AccessAlert
from civic.compliance.notice import access_alert_tell
from civic.compliance.subject_requests import (
    subject_request_complete,
    subject_request_decide,
    subject_request_extend,
    subject_request_restriction_lift,
    subject_request_start,
)
from civic.compliance.tasks import access_alert_tell_task
from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.identity import services as identity
from civic.identity.models import Role
from civic.identity.selectors import agency_scoped, api_client_by_id, staff_has_role

log = logging.getLogger("civic.compliance")

__all__ = [
    "access_alert_acknowledge",
    "access_alert_client_revoke",
    "access_alert_record",
    "access_alert_tell",
    "subject_request_complete",
    "subject_request_decide",
    "subject_request_extend",
    "subject_request_restriction_lift",
    "subject_request_start",
]

#: Enough for the officer to see the pattern and find the requests in the access log.
EXAMPLES_KEPT = 12
TRACES_KEPT = 5
NOTE_LENGTH = 2000


def _merged(kept: list, more: list, most: int) -> list:
    return (kept + [item for item in more if item not in kept])[:most]


def _counts_merged(kind: str, kept: dict, more: dict) -> dict:
    """The alert's counts once more of its window is seen: the highest of each number, and for
    a walk, each kind of identifier walked and how many blocks."""
    merged = dict(kept)
    for key, value in _counts_first(kind, more).items():
        if isinstance(value, int | float) and isinstance(kept.get(key), int | float):
            merged[key] = max(kept[key], value)
        elif key not in kept:
            merged[key] = value
    if kind == AccessAlert.Kind.SEQUENTIAL:
        merged["walks"] = sorted({*kept.get("walks", []), *_counts_first(kind, more)["walks"]})
        merged["blocks"] = kept.get("blocks", 1) + 1
    return merged


def _counts_first(kind: str, counts: dict) -> dict:
    """The counts as an alert keeps them: a walk names the kinds of identifier walked, and
    how many blocks were."""
    if kind != AccessAlert.Kind.SEQUENTIAL:
        return dict(counts)
    first = {key: value for key, value in counts.items() if key != "walk"}
    return {**first, "walks": [counts["walk"]] if counts.get("walk") else [], "blocks": 1}


def access_alert_record(
    *,
    client_id: str,
    kind: str,
    window_start: dt.datetime,
    window_end: dt.datetime,
    counts: dict,
    examples: list[str],
    trace_id: str = "",
) -> AccessAlert | None:
    """Keep what the exchange saw: a new alert for the client, kind and window (its agency's
    data protection officers are told once it commits), or more of the same added to the one
    already raised (nobody is told twice). None for a client that no longer exists."""
    client = api_client_by_id(client_id=client_id)
    if client is None or kind not in AccessAlert.Kind.values:
        return None
    now = clock.now()
    traces = [trace_id] if trace_id else []
    with transaction.atomic():
        alert, created = AccessAlert.objects.select_for_update().get_or_create(
            api_client=client,
            kind=kind,
            window_start=window_start,
            defaults={
                "agency_id": client.agency_id,
                "window_end": window_end,
                "counts": _counts_first(kind, counts),
                "examples": examples[:EXAMPLES_KEPT],
                "trace_ids": traces,
                "raised_at": now,
                "updated_at": now,
            },
        )
        if not created:
            alert.counts = _counts_merged(kind, alert.counts, counts)
            alert.examples = _merged(alert.examples, examples, EXAMPLES_KEPT)
            alert.trace_ids = _merged(alert.trace_ids, traces, TRACES_KEPT)
            alert.updated_at = now
            alert.save(update_fields=["counts", "examples", "trace_ids", "updated_at"])
        else:
            log.warning("access alert %s: %s by API client %s", alert.pk, kind, client.client_id)
            transaction.on_commit(partial(_dispatch, alert.pk), robust=True)
    return alert


def _dispatch(alert_id: int) -> None:
    if settings.NOTIFY_DELIVERY == "celery":
        access_alert_tell_task.delay(alert_id)
    elif settings.NOTIFY_DELIVERY == "inline":
        access_alert_tell(alert_id=alert_id)


def _alert_for(user, alert_id: int) -> AccessAlert:
    """The alert, if it is the user's agency's and the user is its data protection officer."""
    if not staff_has_role(user=user, role=Role.DATA_PROTECTION_OFFICER):
        raise CivicError(_("Only a data protection officer can act on access alerts."))
    alert = (
        agency_scoped(AccessAlert.objects.select_for_update(), user=user)
        .select_related("api_client")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None:
        raise NotFound(_("There is no such access alert."))
    return alert


@transaction.atomic
def access_alert_acknowledge(*, user, alert_id: int, note: str = "") -> AccessAlert:
    """The officer has looked at the alert, and says what they found or did."""
    note = note.strip()
    if len(note) > NOTE_LENGTH:
        raise CivicError(
            _("Keep the note to %(most)s characters; it has %(count)s.")
            % {"most": NOTE_LENGTH, "count": len(note)}
        )
    alert = _alert_for(user, alert_id)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = clock.now()
        alert.acknowledged_by = user
    if note:
        alert.note = note
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
    return alert


@transaction.atomic
def access_alert_client_revoke(*, user, alert_id: int) -> AccessAlert:
    """Stop the client at its next call: its credentials are revoked (the agency makes a new
    client once the matter is settled). The alert is acknowledged with it."""
    alert = _alert_for(user, alert_id)
    client = alert.api_client
    if client.revoked_at is None:
        identity.api_client_revoke(client=client)
        log.warning("API client %s revoked from access alert %s", client.client_id, alert.pk)
    now = clock.now()
    alert.client_revoked_at = alert.client_revoked_at or now
    if alert.acknowledged_at is None:
        alert.acknowledged_at = now
        alert.acknowledged_by = user
    alert.save(update_fields=["client_revoked_at", "acknowledged_at", "acknowledged_by"])
    return alert
