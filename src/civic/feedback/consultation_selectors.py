"""Reads of public consultations: the public list and page (results only once published),
and the service owner's view of their agency's consultations."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from civic.core import clock
from civic.feedback.consultations import respondent_of
from civic.feedback.models import Consultation, ConsultationResponse, Moderation
from civic.identity.selectors import staff_agency_id


def state_of(consultation: Consultation) -> str:
    """upcoming, open, closed (results not yet published) or published."""
    now = clock.now()
    if consultation.published_at:
        return "published"
    if now < consultation.opens_at:
        return "upcoming"
    return "open" if now < consultation.closes_at else "closed"


def results_of(consultation: Consultation) -> dict[str, Any]:
    """Answers per option, with their share, and the written answers kept after moderation."""
    responses = consultation.responses.all()
    counts = dict(
        responses.values_list("option").annotate(n=Count("id")).values_list("option", "n")
    )
    total = sum(counts.values())
    return {
        "total": total,
        "options": [
            {
                "label": o["label"],
                "count": counts.get(o["value"], 0),
                "share": counts.get(o["value"], 0) / total if total else None,
            }
            for o in consultation.options
        ],
        "texts": list(
            responses.filter(moderation=Moderation.KEPT)
            .order_by("received_at")
            .values_list("text", flat=True)[:200]
        ),
    }


def consultations_public() -> list[dict[str, Any]]:
    """Every consultation that has opened, newest first, with its state."""
    found = Consultation.objects.filter(opens_at__lte=clock.now()).select_related("agency")
    return [{"consultation": c, "state": state_of(c)} for c in found]


def consultation_public(*, slug: str, personal_number: str | None) -> dict[str, Any] | None:
    """A consultation's public page: the question, whether this resident answered, and the
    results once published. None for one that does not exist or has not opened."""
    consultation = (
        Consultation.objects.filter(slug=slug, opens_at__lte=clock.now())
        .select_related("agency")
        .first()
    )
    if consultation is None:
        return None
    state = state_of(consultation)
    answered = bool(personal_number) and (
        ConsultationResponse.objects.filter(
            consultation=consultation, respondent=respondent_of(consultation, personal_number)
        ).exists()
    )
    return {
        "consultation": consultation,
        "state": state,
        "answered": answered,
        "results": results_of(consultation) if state == "published" else None,
    }


def consultations_for_staff(*, user) -> list[dict[str, Any]]:
    """The staff member's agency's consultations, with their answers and those to read."""
    agency = staff_agency_id(user=user)
    if agency is None:
        return []
    found = Consultation.objects.filter(agency_id=agency).annotate(
        answers=Count("responses"),
        to_read=Count("responses", filter=Q(responses__moderation=Moderation.PENDING)),
    )
    return [{"consultation": c, "state": state_of(c)} for c in found]


def consultation_for_staff(*, user, slug: str) -> dict[str, Any] | None:
    consultation = Consultation.objects.filter(
        slug=slug, agency_id=staff_agency_id(user=user)
    ).first()
    if consultation is None:
        return None
    return {
        "consultation": consultation,
        "state": state_of(consultation),
        "results": results_of(consultation),
        "to_read": list(
            consultation.responses.filter(moderation=Moderation.PENDING).order_by("received_at")[
                :100
            ]
        ),
    }


def consultation_exists(*, slug: str) -> bool:
    return Consultation.objects.filter(slug=slug).exists()


def consultation_answers_to_read(*, slug: str) -> list[ConsultationResponse]:
    """The written answers of a consultation still waiting for moderation (the demo reads
    them all)."""
    return list(
        ConsultationResponse.objects.filter(
            consultation__slug=slug, moderation=Moderation.PENDING
        ).order_by("received_at")
    )
