"""Data-subject requests (GDPR arts. 15–21) as cases: the resident makes one about themselves
(never about someone else), it opens a case of the privacy case type of its kind, due in one
month and extendable once by two more with a reason (art. 12(3)); a caseworker or the data
protection officer answers it. Rectification is routed to the register's authority as a
correction request; erasure erases what the law allows and refuses the rest citing art. 17(3)
(compliance.erasure). Keyword-only ``<noun>_<verb>`` functions, each atomic."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from civic.cases import services as cases
from civic.cases.selectors import case_for_staff
from civic.compliance import erasure
from civic.compliance.models import SubjectRequest
from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.core.i18n import every_language
from civic.core.numbers import personal_number_clean
from civic.exchange.selectors import OBJECTABLE, purpose_get
from civic.exchange.services import (
    correction_apply,
    correction_request_file,
    processing_limit_lift,
    processing_limit_set,
)
from civic.notify.services import notification_send

log = logging.getLogger("civic.compliance")

DETAILS_LENGTH = 4000
#: Art. 12(3): one month, extendable by two further months where necessary.
MONTHS_DUE, MONTHS_EXTENSION = 1, 2
#: The decision template of each kind's case type that a done request is decided with.
DONE_TEMPLATE = {
    "access": "provided",
    "portability": "provided",
    "rectification": "routed",
    "erasure": "erased",
}


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day if it has fewer (31 Jan + 1: 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def subject_request_start(
    *,
    personal_number: str,
    kind: str,
    details: str = "",
    register: str = "",
    attribute: str = "",
    about: str = "",
) -> SubjectRequest:
    """The resident's request about themselves: ``about`` (if given) must be them; a request
    for someone else is refused, even for a child they may act for (the child's own right)."""
    me = personal_number_clean(personal_number)
    if about and about != me:
        raise CivicError(
            _("You can make a request about your own data only. Someone else makes their own.")
        )
    if kind not in SubjectRequest.Kind.values:
        raise CivicError(_("Choose what you are asking for."))
    details = details.strip()
    if len(details) > DETAILS_LENGTH:
        raise CivicError(
            _("Keep it to %(most)s characters; it has %(count)s.")
            % {"most": DETAILS_LENGTH, "count": len(details)}
        )
    if kind in {"rectification", "objection", "restriction"} and not details:
        raise CivicError(_("Say which data or which use of it your request is about, and why."))
    if kind == "rectification" and not (register and attribute):
        raise CivicError(_("Choose the value that is wrong."))
    case = cases.case_open_for_request(
        case_type=f"privacy-{kind}", personal_number=me, text=details
    )
    now = clock.now()
    return SubjectRequest.objects.create(
        case=case,
        kind=kind,
        personal_number=me,
        details=details,
        register=register,
        attribute=attribute,
        received_at=now,
        due_on=months_later(clock.today(), MONTHS_DUE),
    )


def _request_for(user, request_id: int) -> SubjectRequest:
    """The request, if its case is one the user may see (their agency's); locked."""
    found = (
        SubjectRequest.objects.select_for_update()
        .select_related("case")
        .filter(pk=request_id)
        .first()
    )
    if found is None or case_for_staff(user=user, reference=found.case.reference) is None:
        raise NotFound(_("There is no such request."))
    if found.state != SubjectRequest.State.OPEN:
        raise CivicError(_("This request has been answered already."))
    return found


def _decide(found: SubjectRequest, user, *, template: str, outcome: str, reasons: str) -> None:
    case = found.case
    if case.state == case.case_type.workflow["initial"]:
        case = cases.case_transition(
            case=case, transition="start_review", user=user, expected_version=case.version
        )
    cases.case_decide(
        case=case,
        user=user,
        outcome=outcome,
        template=template,
        reasons=reasons,
        expected_version=case.version,
    )


def _close(found: SubjectRequest, user, state: str, outcome: str) -> SubjectRequest:
    found.state, found.outcome = state, outcome
    found.handled_at, found.handled_by = clock.now(), user
    found.save(
        update_fields=["state", "outcome", "erasure", "correction", "handled_at", "handled_by"]
    )
    return found


@transaction.atomic
def subject_request_extend(*, user, request_id: int, reason: str) -> SubjectRequest:
    """Once, by two months, with the reason the resident is told (art. 12(3))."""
    found = _request_for(user, request_id)
    reason = reason.strip()
    if not reason:
        raise CivicError(_("Say why the request needs more time; the resident is told."))
    if found.extended_reason:
        raise CivicError(_("The request has been extended already: the law allows it once."))
    found.due_on = months_later(found.due_on, MONTHS_EXTENSION)
    found.extended_reason = reason[:DETAILS_LENGTH]
    found.save(update_fields=["due_on", "extended_reason"])
    due = found.due_on
    cases.case_deadline_extend(
        case=found.case,
        user=user,
        until=due,
        message=every_language(
            lambda: (
                _("We need more time to answer your request: until %(date)s. Why: %(reason)s")
                % {"date": due.isoformat(), "reason": reason}
            )
        ),
    )
    return found


@transaction.atomic
def subject_request_complete(
    *, user, request_id: int, note: str = "", value: str = ""
) -> SubjectRequest:
    """Do what the request asks where the platform can: an access or portability request is
    answered by the export the resident downloads; a rectification is routed to the
    register's authority, and, when the handler's agency is that authority and gives the right
    ``value``, corrected at once as a new version of the register; an erasure erases what the law allows and refuses the rest, each
    with its reason (all or nothing: a failure half-way erases nothing)."""
    found = _request_for(user, request_id)
    if found.kind not in DONE_TEMPLATE:
        raise CivicError(_("Decide this request with its outcome and reasons."))
    outcome, template, state = "granted", DONE_TEMPLATE[found.kind], SubjectRequest.State.DONE
    if found.kind == "rectification":
        filed = correction_request_file(
            personal_number=found.personal_number,
            filed_by=found.personal_number,
            register=found.register,
            attribute=found.attribute,
            shown_value="",
            explanation=found.details,
        )
        found.correction = filed.reference
        if value.strip() and filed.authority == found.case.agency.code:
            correction_apply(reference=filed.reference, value=value, authority=filed.authority)
    elif found.kind == "erasure":
        found.erasure = erasure.erasure_run(personal_number=found.personal_number)
        if not found.erasure["erased"]:
            outcome, template = "refused", "refused-17-3"
            state = SubjectRequest.State.REFUSED
    _decide(found, user, template=template, outcome=outcome, reasons=note)
    return _close(found, user, state, note.strip())


@transaction.atomic
def subject_request_decide(
    *, user, request_id: int, granted: bool, reasons: str, purpose: str = ""
) -> SubjectRequest:
    """An objection or restriction, upheld or not, with the handler's reasons. Upheld, it takes
    effect in the exchange at once: an objection stops every release of the person's data
    under ``purpose`` (one resting on a public task or legitimate interests); a restriction
    stops every release but those art. 18(2) allows, until it is lifted."""
    found = _request_for(user, request_id)
    templates = {
        "objection": ("upheld", "rejected"),
        "restriction": ("restricted", "not-restricted"),
    }
    if found.kind not in templates:
        raise CivicError(_("This request is answered with its own action."))
    if not reasons.strip():
        raise CivicError(_("Give the reasons; the resident reads them."))
    if granted and found.kind == "objection":
        objected = purpose_get(code=purpose) if purpose else None
        if objected is None or objected.legal_ground not in OBJECTABLE:
            raise CivicError(
                _(
                    "Choose the use objected to: a purpose resting on a public task or "
                    "legitimate interests (GDPR art. 21(1))."
                )
            )
        found.purpose = objected.code
        processing_limit_set(
            personal_number=found.personal_number,
            kind="objection",
            purpose=objected,
            reference=found.case.reference,
        )
    elif granted:
        processing_limit_set(
            personal_number=found.personal_number,
            kind="restriction",
            reference=found.case.reference,
        )
    template = templates[found.kind][0 if granted else 1]
    _decide(
        found, user, template=template, outcome="granted" if granted else "refused", reasons=reasons
    )
    found.save(update_fields=["purpose"])
    return _close(
        found,
        user,
        SubjectRequest.State.DONE if granted else SubjectRequest.State.REFUSED,
        reasons.strip(),
    )


@transaction.atomic
def subject_request_restriction_lift(*, user, request_id: int, reason: str) -> SubjectRequest:
    """Lift a granted restriction: the resident is told first, with the reason (art. 18(3)),
    then every use of their data is allowed again."""
    found = (
        SubjectRequest.objects.select_for_update()
        .select_related("case", "case__case_type")
        .filter(pk=request_id)
        .first()
    )
    if found is None or case_for_staff(user=user, reference=found.case.reference) is None:
        raise NotFound(_("There is no such request."))
    if (
        found.kind != "restriction"
        or found.state != SubjectRequest.State.DONE
        or found.lifted_at is not None
    ):
        raise CivicError(_("There is no restriction in force to lift for this request."))
    reason = reason.strip()
    if not reason:
        raise CivicError(_("Say why the restriction is lifted; the resident is told first."))
    notification_send(
        personal_number=found.personal_number,
        template="message-from-caseworker",
        reference=found.case.reference,
        context={
            "reference": found.case.reference,
            "service": found.case.case_type.name,
            "message": every_language(
                lambda: (
                    _(
                        "The restriction of the use of your data is being lifted: your data may "
                        "be used again as before. Why: %(reason)s"
                    )
                    % {"reason": reason}
                )
            ),
        },
    )
    processing_limit_lift(reference=found.case.reference)
    found.lifted_at = clock.now()
    found.save(update_fields=["lifted_at"])
    return found
