"""Reads of privacy oversight for its pages and API: the access alerts of the user's agency,
and the record of processing activities (built in compliance.record)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from civic.cases.selectors import sees_privacy_cases
from civic.compliance.models import AccessAlert, SubjectRequest
from civic.compliance.record import processing_record
from civic.core.errors import CivicError
from civic.exchange.selectors import OBJECTABLE, processing_limits_of, purposes_list
from civic.identity.models import Role
from civic.identity.selectors import (
    agency_scoped,
    sees_every_agency,
    staff_agency_id,
    staff_has_role,
)

PAGE = 50


def access_alerts_list(*, user, show: str = "open") -> list[AccessAlert]:
    """The agency's alerts, newest first: those not yet acknowledged (``open``) or all."""
    alerts = agency_scoped(AccessAlert.objects.select_related("api_client"), user=user)
    if show == "open":
        alerts = alerts.filter(acknowledged_at__isnull=True)
    return list(alerts.order_by("-raised_at", "-pk")[:PAGE])


def access_alerts_open_count(*, user) -> int:
    return (
        agency_scoped(AccessAlert.objects.all(), user=user)
        .filter(acknowledged_at__isnull=True)
        .count()
    )


def access_alert_get(*, user, alert_id: int) -> AccessAlert | None:
    return (
        agency_scoped(AccessAlert.objects.all(), user=user)
        .select_related("api_client", "acknowledged_by")
        .filter(pk=alert_id)
        .first()
    )


class RecordRefused(CivicError):
    """Someone who may not read an agency's full record of processing asked for it."""

    code = "record-refused"
    status = 403


#: Who reads an agency's full record (with its grants and partner systems by name).
RECORD_READERS = (Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR)


def processing_record_of(*, user) -> dict:
    """The record of processing of the user's agency as controller, in full: its data
    protection officer's or administrator's; the operator's covers every controller."""
    if sees_every_agency(user=user):
        return processing_record()
    if staff_agency_id(user=user) is None or not any(
        staff_has_role(user=user, role=role) for role in RECORD_READERS
    ):
        raise RecordRefused(
            _(
                "Only a data protection officer or an administrator of an agency may read its "
                "record of processing; the public record is at /api/privacy/v1/processing/public."
            )
        )
    return processing_record(controller=user.agency.code)


def processing_record_public() -> dict:
    """Every controller's record, as anyone may read it: which agencies and kinds of
    recipient, not which grant or partner system."""
    return processing_record(public=True)


def subject_requests_of(*, personal_number: str) -> list[SubjectRequest]:
    """The resident's own requests, newest first."""
    return list(
        SubjectRequest.objects.filter(personal_number=personal_number).select_related("case")
    )


def subject_request_of(*, personal_number: str, reference: str) -> SubjectRequest | None:
    """The resident's request by its case reference; None for anyone else's (or none)."""
    return (
        SubjectRequest.objects.filter(personal_number=personal_number, case__reference=reference)
        .select_related("case", "case__case_type")
        .first()
    )


def subject_requests_list(*, user, show: str = "open") -> list[SubjectRequest]:
    """The requests the user's agency handles, soonest due first (``open``) or all; none for
    staff outside the Privacy team who are not the data protection officer."""
    if not sees_privacy_cases(user=user):
        return []
    found = agency_scoped(
        SubjectRequest.objects.select_related("case"), user=user, path="case__agency"
    )
    if show == "open":
        found = found.filter(state=SubjectRequest.State.OPEN)
    return list(found.order_by("due_on", "pk")[:PAGE])


def subject_request_get(*, user, request_id: int) -> SubjectRequest | None:
    if not sees_privacy_cases(user=user):
        return None
    return (
        agency_scoped(SubjectRequest.objects.all(), user=user, path="case__agency")
        .select_related("case", "case__case_type", "handled_by")
        .filter(pk=request_id)
        .first()
    )


def objectable_purposes() -> list:
    """The purposes an objection can be upheld against (GDPR art. 21(1))."""
    return [p for p in purposes_list() if p.legal_ground in OBJECTABLE]


def processing_limits_shown(*, personal_number: str) -> list[dict]:
    """The person's objections and restrictions, in force first, as their pages show them:
    what each covers, since when, until when, and how many reads it refused."""
    dutch = translation.get_language() == "nl"
    return [
        {
            "kind": limit.kind,
            "purpose": (
                (dutch and limit.purpose.name_nl) or limit.purpose.name if limit.purpose else ""
            ),
            "reference": limit.reference,
            "since": limit.since,
            "lifted_at": limit.lifted_at,
            "refusals": limit.refusals,
            "last_refused_at": limit.last_refused_at,
        }
        for limit in processing_limits_of(personal_number=personal_number)
    ]
