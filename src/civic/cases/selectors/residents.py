"""A resident's cases, one case and its public timeline, the questions open to them, and when
to expect a decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import ngettext

from civic.cases import workflow as flow
from civic.cases.models import AnswerDocument, Case, CaseEvent, CaseType, InformationRequest
from civic.core.i18n import tr


def timeline(*, case: Case, public_only: bool = False) -> list[CaseEvent]:
    """The case's events in order, each with ``status`` (the new state's label, if any): the
    resident's wording on the public timeline, the staff's on the full one; ``text_shown`` and
    ``actor_shown`` in the reader's language."""
    events = list(case.events.filter(public=True) if public_only else case.events.all())
    for event in events:
        # What Civic wrote is shown in the reader's language; a person's words as written.
        event.text_shown = tr(event.texts["text"]) if "text" in event.texts else event.text
        event.actor_shown = tr(event.texts["actor"]) if "actor" in event.texts else event.actor
        event.status = (
            flow.state_label(case.case_type.workflow, event.to_state, for_staff=not public_only)
            if event.to_state
            else ""
        )
    return events


def cases_of_resident(*, personal_number: str, offset: int = 0, limit: int = 50) -> list[Case]:
    """Cases a resident applied for or that are about them, newest first (one index each)."""
    return list(
        Case.objects.filter(Q(applicant=personal_number) | Q(subject=personal_number))
        .select_related("case_type", "agency")
        .order_by("-opened_at", "-pk")[offset : offset + limit]
    )


def cases_of_resident_count(*, personal_number: str) -> int:
    return Case.objects.filter(Q(applicant=personal_number) | Q(subject=personal_number)).count()


def case_for_resident(*, personal_number: str, reference: str) -> Case | None:
    return (
        Case.objects.filter(reference=reference)
        .filter(Q(applicant=personal_number) | Q(subject=personal_number))
        .select_related("case_type", "agency")
        .first()
    )


def information_open(*, case: Case) -> list[InformationRequest]:
    return list(case.information_requests.filter(answered_at__isnull=True).order_by("asked_at"))


def expected_decision(*, case: Case) -> dict[str, Any]:
    """When the decision may be expected, as a range from the last 200 decided cases of this
    type (the middle half of their durations); the legal deadline when there is no history."""
    durations = sorted(
        (closed - opened).days
        for opened, closed in Case.objects.filter(
            case_type_id=case.case_type_id, closed_at__isnull=False
        )
        .order_by("-closed_at")
        .values_list("opened_at", "closed_at")[:200]
    )
    opened = case.opened_at.date()
    if len(durations) < 5:
        return {
            "from": None,
            "until": case.deadline,
            "from_history": False,
            "sample": len(durations),
        }
    low, high = durations[len(durations) // 4], durations[(3 * len(durations)) // 4]
    return {
        "from": opened + dt.timedelta(days=low),
        "until": min(case.deadline, opened + dt.timedelta(days=max(high, low))),
        "from_history": True,
        "sample": len(durations),
    }


def state_label(*, case: Case, for_staff: bool = False) -> str:
    return flow.state_label(case.case_type.workflow, case.state, for_staff=for_staff)


def answer_documents(*, case: Case) -> list[AnswerDocument]:
    """Documents the resident sent with answers to questions, oldest first."""
    return list(AnswerDocument.objects.filter(answer_to__case=case).order_by("uploaded_at", "pk"))


def answer_document_get(*, case: Case, document_id: int) -> AnswerDocument | None:
    return AnswerDocument.objects.filter(answer_to__case=case, pk=document_id).first()


def decision_period_words(service_code: str, _argument: str = "") -> str | None:
    """The legal time to decide on applications for a service, as its page says it ("8 weeks",
    "10 days"), from the service's case type; None when no case type handles the service."""
    days = (
        CaseType.objects.filter(service__code=service_code)
        .values_list("decision_period_days", flat=True)
        .first()
    )
    if days is None:
        return None
    if days % 7 == 0:
        weeks = days // 7
        return ngettext("%(count)d week", "%(count)d weeks", weeks) % {"count": weeks}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
