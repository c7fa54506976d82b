"""Builders for cases: a resident's submitted application, made through the forms services."""

from __future__ import annotations

from civic.cases.services import application_submit
from civic.forms.models import FormDefinition
from civic.forms.services import draft_start, draft_step_save

PARKING_ANSWERS = {
    "about_you": {},
    "car": {"licence_plate": "AB-123-C", "car_use": "own", "start_date": "2027-01-01"},
    "permit": {"permit_kind": "resident"},
}


def a_submitted_application(*, applicant: str, form: str = "parking-permit", subject: str = ""):
    """Submit the parking permit form for ``applicant``; returns the submission."""
    definition = FormDefinition.objects.get(code=form)
    draft = draft_start(form=definition, applicant=applicant, subject=subject or applicant)
    for step, answers in PARKING_ANSWERS.items():
        draft = draft_step_save(draft=draft, step=step, answers=dict(answers), confirm_prefill=True)
    return application_submit(draft=draft)
