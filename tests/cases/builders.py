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


#: A rent benefit application (the Tax Administration's housing-allowance form).
HOUSING_ANSWERS = {
    "about_you": {},
    "home": {"rent": "725.50"},
    "income": {"monthly_income": "2345.67"},
    "payment": {"iban": "NL91ABNA0417164300"},
}


def a_submitted_application(
    *,
    applicant: str,
    form: str = "parking-permit",
    subject: str = "",
    answers: dict | None = None,
):
    """Submit a demo form for ``applicant`` (the parking permit's, unless ``form`` and its
    ``answers`` per step say otherwise); returns the submission (its reference is the case's)."""
    definition = FormDefinition.objects.get(code=form)
    draft = draft_start(form=definition, applicant=applicant, subject=subject or applicant)
    for step, given in (answers or PARKING_ANSWERS).items():
        draft = draft_step_save(draft=draft, step=step, answers=dict(given), confirm_prefill=True)
    return application_submit(draft=draft)
