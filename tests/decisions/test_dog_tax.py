"""Dog tax assessed by the rules at registration: the amount from the ordinance's rates, an
assistance dog always to a person, and only the persons register read for it."""

from __future__ import annotations

import pytest
from django.test import TestCase

from civic.cases.models import Case, Decision, Task
from civic.cases.services import application_submit
from civic.decisions.models import RuleOutcome, RuleSetMode
from civic.exchange.models import AccessLogEntry
from civic.forms.models import FormDefinition
from civic.forms.services import draft_start, draft_step_save
from civic.registers.selectors import demo_resident_personal_number

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOG = {"dog_name": "Bobbie", "chip_number": "528140000123456", "since": "2025-06-01"}


def _register_dogs(applicant: str, dogs: int, assistance: str) -> Case:
    definition = FormDefinition.objects.get(code="dog-tax")
    draft = draft_start(form=definition, applicant=applicant, subject=applicant)
    draft = draft_step_save(draft=draft, step="about_you", answers={}, confirm_prefill=True)
    draft = draft_step_save(
        draft=draft,
        step="dogs",
        answers={"dogs": [dict(DOG)] * dogs, "assistance_dog": assistance},
    )
    if assistance == "yes":
        from django.core.files.uploadedfile import SimpleUploadedFile

        proof = SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")
        draft = draft_step_save(
            draft=draft, step="assistance", answers={}, files={"assistance_proof": proof}
        )
    with TestCase.captureOnCommitCallbacks(execute=True):  # the rules run after the commit
        submission = application_submit(draft=draft)
    return Case.objects.get(submission=submission)


@pytest.fixture
def deciding(jurisdiction):
    RuleSetMode.objects.filter(case_type="dog-tax").update(mode="deciding")
    return demo_resident_personal_number()


def test_two_dogs_are_assessed_at_the_ordinances_rates(deciding):
    case = _register_dogs(deciding, dogs=2, assistance="no")
    decision = Decision.objects.get(case=case)
    assert decision.automated and decision.outcome == "granted"
    assert "€330" in decision.reasons  # 132 for the first dog, 198 for the second (2026)
    assert "Verordening hondenbelasting Havenstad" in decision.reasons
    # Only what the rule set needs was read: the persons register, not income or vehicles.
    entries = AccessLogEntry.objects.filter(case=case.reference, actor="automated-decisions")
    assert entries.exists()
    for entry in entries:
        assert entry.fields == "identity.birth_date,residence.address"


def test_an_assistance_dog_goes_to_a_person(deciding):
    case = _register_dogs(deciding, dogs=1, assistance="yes")
    assert not Decision.objects.filter(case=case).exists()
    assert "assistance dog" in Task.objects.get(case=case).title
    assert RuleOutcome.objects.get(case_reference=case.reference).route == "caseworker"
