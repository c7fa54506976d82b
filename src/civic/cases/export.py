"""A resident's cases as their access or portability export gives them (GDPR arts. 15, 20):
in full the cases about them (timeline they see, questions asked, the decision, what they
sent); of cases they started for someone else, only that they did (what is in them is the
other person's). A few queries for any number of cases."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from civic.cases.models import AnswerDocument, Case, CaseEvent
from civic.core.i18n import tr


def _moment(value) -> str | None:
    return value.isoformat() if value else None


def _full(case: Case) -> dict[str, Any]:
    decision = getattr(case, "decision", None)
    submission = case.submission
    return {
        "reference": case.reference,
        "case_type": case.case_type.code,
        "case_type_name": tr(case.case_type.name),
        "agency": case.agency.code,
        "state": case.state,
        "opened_at": _moment(case.opened_at),
        "deadline": case.deadline.isoformat(),
        "closed_at": _moment(case.closed_at),
        "applied_by_someone_else": case.applicant != case.subject,
        "timeline": [
            {
                "at": _moment(event.at),
                "kind": event.kind,
                "from_state": event.from_state,
                "to_state": event.to_state,
                "text": tr(event.texts.get("text")) if event.texts.get("text") else event.text,
            }
            for event in case.events.all()
        ],
        "information_requests": [
            {
                "question": request.question,
                "asked_at": _moment(request.asked_at),
                "answer_due": request.answer_due.isoformat(),
                "answer": request.answer,
                "answered_at": _moment(request.answered_at),
            }
            for request in case.information_requests.all()
        ],
        "decision": {
            "outcome": decision.outcome,
            "reasons": tr(decision.reasons_texts) if decision.reasons_texts else decision.reasons,
            "decided_at": _moment(decision.decided_at),
            "automated": decision.automated,
        }
        if decision
        else None,
        "submission": {
            "reference": submission.reference,
            "submitted_at": _moment(submission.submitted_at),
            "answers": submission.answers,
            "prefilled": submission.prefilled,
        }
        if submission
        else None,
    }


def cases_exported(*, personal_number: str) -> dict[str, list[dict[str, Any]]]:
    """``about_you``: every case about the person, oldest first, in full; ``for_others``: the
    cases they started for someone else, by reference, type and state only."""
    about = (
        Case.objects.filter(subject=personal_number)
        .select_related("case_type", "agency", "submission", "decision")
        .prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.filter(public=True).order_by("at", "pk")),
            "information_requests",
        )
        .order_by("opened_at", "pk")
    )
    others = (
        Case.objects.filter(applicant=personal_number)
        .exclude(subject=personal_number)
        .select_related("case_type")
        .order_by("opened_at", "pk")
    )
    return {
        "about_you": [_full(case) for case in about],
        "for_others": [
            {
                "reference": case.reference,
                "case_type": case.case_type.code,
                "state": case.state,
                "opened_at": _moment(case.opened_at),
                "closed_at": _moment(case.closed_at),
            }
            for case in others
        ],
    }


def answer_documents_about(*, personal_number: str):
    """Files sent with answers to questions in cases about the person, oldest first."""
    return (
        AnswerDocument.objects.filter(answer_to__case__subject=personal_number)
        .select_related("answer_to__case")
        .order_by("uploaded_at", "pk")
    )
