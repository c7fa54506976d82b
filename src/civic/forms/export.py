"""A resident's drafts and uploaded files as their access or portability export gives them
(GDPR arts. 15, 20). Like the cases (cases.export): in full what is about them (drafts for
them, whoever fills them in, and the files attached to any application about them); of
drafts they fill in for someone else only that they do (the answers are the other person's).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from civic.core.i18n import tr
from civic.forms.models import Draft, Upload


def _moment(value) -> str | None:
    return value.isoformat() if value else None


def _unsent() -> QuerySet[Draft]:
    return (
        Draft.objects.filter(submission__isnull=True)
        .select_related("version__form")
        .order_by("started_at", "pk")
    )


def drafts_exported(*, personal_number: str) -> dict[str, list[dict[str, Any]]]:
    """``about_you``: the unsent drafts for the person, with their answers and prefilled values;
    ``for_others``: the drafts they fill in for someone else, by form and dates only."""
    return {
        "about_you": [
            {
                "form": draft.version.form.code,
                "form_title": tr(draft.version.form.title),
                "form_version": draft.version.number,
                "started_by_someone_else": draft.applicant != personal_number,
                "step": draft.step,
                "started_at": _moment(draft.started_at),
                "updated_at": _moment(draft.updated_at),
                "answers": draft.answers,
                "prefilled": draft.prefilled,
            }
            for draft in _unsent().filter(subject=personal_number)
        ],
        "for_others": [
            {
                "form": draft.version.form.code,
                "started_at": _moment(draft.started_at),
                "updated_at": _moment(draft.updated_at),
            }
            for draft in _unsent()
            .filter(applicant=personal_number)
            .exclude(subject=personal_number)
        ],
    }


def uploads_about(*, personal_number: str) -> QuerySet[Upload]:
    """Files attached to applications (sent or not) about the person, oldest first."""
    return (
        Upload.objects.filter(draft__subject=personal_number)
        .select_related("draft__submission", "draft__version__form")
        .order_by("uploaded_at", "pk")
    )
