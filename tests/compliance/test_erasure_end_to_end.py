"""An erasure request (GDPR art. 17) end to end: the resident files it on their page, the data
protection officer answers it on theirs, the erasure service runs; afterwards the access log
still verifies (`civic auditlog verify` and the exchange's verify service) and holds nothing
about the erased person in clear. An erasure that fails half-way is rolled back and leaves the
log verifying too."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from civic.compliance import services
from civic.compliance.models import SubjectRequest
from civic.exchange import auditlog
from civic.exchange.models import AccessLogEntry
from civic.exchange.own_data import own_data
from civic.exchange.pseudonyms import person_pseudonym
from civic.exchange.verify import auditlog_verify
from civic.forms.models import Draft, FormDefinition, Upload
from civic.forms.services import draft_start
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from civic.notify.models import Preference
from civic.notify.services import preference_set
from civic.registers.models import PersonRecord
from tests.builders import create_staff, with_training
from tests.portal.test_acting_for_someone import a_parent_with_a_minor_child, log_in

pytestmark = pytest.mark.django_db
EMAIL = "erase.me@example.org"


@pytest.fixture
def resident(jurisdiction, settings, tmp_path) -> str:
    """A resident whose data was read (in the log) and who keeps a draft with a file and an
    e-mail address with Civic."""
    settings.MEDIA_ROOT = tmp_path
    number, _child = a_parent_with_a_minor_child()
    own_data(personal_number=number)
    draft = draft_start(
        form=FormDefinition.objects.get(code="dog-tax"), applicant=number, subject=number
    )
    draft.answers = {"dog_name": "Bello-to-be-erased"}
    draft.save()
    Upload.objects.create(
        draft=draft,
        field="proof",
        file=ContentFile(b"my passport", name="passport.pdf"),
        name="passport.pdf",
        content_type="application/pdf",
        size=11,
        scan="clean",
    )
    preference_set(personal_number=number, email=EMAIL, by_email=True)
    return number


@pytest.fixture
def officer(jurisdiction):
    return with_training(
        create_staff(roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="havenstad"))
    )


def _verifies() -> str:
    auditlog.integrate_all()
    out = StringIO()
    call_command("auditlog", "verify", stdout=out)
    report = auditlog_verify()
    assert report.ok and report.entries > 0, report.problems
    return out.getvalue()


def _in_clear(number: str) -> list[str]:
    """What of the person could be read in clear in the stored log."""
    record = PersonRecord.objects.filter(person__personal_number=number).latest("valid_from")
    clear = [number, record.given_names, record.family_name, EMAIL, "Bello-to-be-erased"]
    stored = " ".join(str(v) for row in AccessLogEntry.objects.values() for v in row.values())
    return [value for value in clear if value and value in stored]


def test_an_erasure_filed_by_the_resident_and_answered_by_staff_leaves_the_log_verifying(
    client, resident, officer, django_capture_on_commit_callbacks
):
    assert _verifies().startswith("ok:")
    log_in(client, resident)
    filed = client.post("/my/privacy/", {"kind": "erasure", "details": "Forget me."})
    made = SubjectRequest.objects.get(personal_number=resident, kind="erasure")
    assert filed.status_code == 302
    client.logout()
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(
            f"/staff/privacy/requests/{made.pk}/", {"action": "complete", "text": ""}
        )

    assert answered.status_code == 302
    made.refresh_from_db()
    assert made.state == "done"
    assert {item["what"] for item in made.erasure["erased"]} == {"drafts", "contact_details"}
    assert not Draft.objects.filter(applicant=resident).exists()
    assert not Upload.objects.filter(draft__applicant=resident).exists()
    assert not Preference.objects.filter(personal_number=resident).exists()
    assert _verifies().startswith("ok:")
    assert AccessLogEntry.objects.filter(subject=person_pseudonym(resident)).exists()
    assert _in_clear(resident) == []
    log_in(client, resident)
    page = client.get(f"/my/privacy/{made.case.reference}/").content.decode()
    assert "17(3)(b)" in page, "the resident reads what was kept and why"


def test_an_erasure_failing_half_way_is_rolled_back_and_the_log_still_verifies(
    resident, officer, monkeypatch
):
    before = _verifies()
    entries = AccessLogEntry.objects.count()
    made = services.subject_request_start(personal_number=resident, kind="erasure")

    def broken(**_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("civic.compliance.erasure.preference_erase", broken)
    with pytest.raises(RuntimeError):
        services.subject_request_complete(user=officer, request_id=made.pk)

    made.refresh_from_db()
    assert made.state == "open" and made.erasure == {}
    assert Draft.objects.filter(applicant=resident).count() == 1, "the drafts came back"
    assert Upload.objects.filter(draft__applicant=resident).count() == 1
    assert Preference.objects.get(personal_number=resident).email == EMAIL
    assert AccessLogEntry.objects.count() >= entries, "nothing of the log was undone"
    assert _verifies().startswith("ok:") and before.startswith("ok:")
    assert _in_clear(resident) == []
