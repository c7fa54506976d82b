"""Data-subject requests as cases: the resident starts one from /my/privacy/, it is due in one
month (extendable once by two), and a caseworker or the data protection officer answers it;
an access request's export downloads from the resident's page. Refused: a request for someone
else, another resident's request, an erasure the law forbids (with its reason), and an erasure
failing half-way (rolled back, nothing erased)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from civic.cases.models import Case
from civic.compliance import services
from civic.compliance.models import SubjectRequest
from civic.compliance.subject_requests import months_later
from civic.core import clock
from civic.core.errors import CivicError
from civic.exchange.models import AccessLogEntry
from civic.forms.models import Draft, FormDefinition, Upload
from civic.forms.services import draft_start
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from civic.notify.models import Message, Preference
from civic.notify.services import preference_set
from civic.registers.models import CorrectionRequest
from tests.builders import create_staff
from tests.portal.test_acting_for_someone import a_parent_with_a_minor_child, log_in

pytestmark = pytest.mark.django_db
MY = "/my/privacy/"


@pytest.fixture
def family(jurisdiction) -> tuple[str, str]:
    return a_parent_with_a_minor_child()


@pytest.fixture
def officer(jurisdiction):
    return create_staff(roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="havenstad"))


def _start(kind: str, number: str, **more) -> SubjectRequest:
    return services.subject_request_start(personal_number=number, kind=kind, **more)


def test_a_resident_asks_for_their_data_and_downloads_it_from_their_page(client, family):
    parent, _child = family
    log_in(client, parent)

    sent = client.post(MY, {"kind": "access", "details": ""})

    made = SubjectRequest.objects.get(personal_number=parent)
    assert sent.status_code == 302 and sent["Location"] == f"{MY}{made.case.reference}/"
    assert made.case.case_type.code == "privacy-access" and made.case.subject == parent
    assert made.due_on == months_later(clock.today(), 1)
    page = client.get(sent["Location"]).content.decode()
    assert "Download your data" in page
    download = client.get(f"{MY}{made.case.reference}/export.json")
    assert download.status_code == 200 and download["Cache-Control"] == "no-store"
    export = download.json()
    assert export["personal_number"] == parent and export["access_log"]
    logged = AccessLogEntry.objects.filter(purpose="data-subject-access", case=made.case.reference)
    assert logged.exists()
    assert made.case.reference in {e["reference"] for e in export["cases"]["about_you"]}


def test_a_request_for_someone_else_is_refused_and_nothing_is_made(client, family):
    parent, child = family
    log_in(client, parent)

    refused = client.post(MY, {"kind": "erasure", "about": child})

    assert refused.status_code == 400
    assert "You can make a request about your own data only" in refused.content.decode()
    assert "govuk-error-summary" in refused.content.decode()
    assert not SubjectRequest.objects.exists()
    assert not Case.objects.filter(case_type__code__startswith="privacy-").exists()


def test_another_residents_request_or_a_forged_reference_is_not_found(client, family):
    parent, child = family
    theirs = _start("access", child)
    log_in(client, parent)

    assert client.get(f"{MY}{theirs.case.reference}/").status_code == 404
    assert client.get(f"{MY}{theirs.case.reference}/export.json").status_code == 404
    assert client.get(f"{MY}000000-FORGED/export.json").status_code == 404
    assert not AccessLogEntry.objects.filter(case=theirs.case.reference).exists()


def test_the_officer_answers_an_access_request_and_the_case_is_decided(client, family, officer):
    made = _start("access", family[0])
    client.force_login(officer)

    listed = client.get("/staff/privacy/requests/").content.decode()
    done = client.post(f"/staff/privacy/requests/{made.pk}/", {"action": "complete", "text": ""})

    assert made.case.reference in listed
    assert done.status_code == 302
    made.refresh_from_db()
    assert made.state == "done" and made.handled_by == officer
    assert made.case.state == "decided" and made.case.decision.template == "provided"


def test_an_extension_moves_the_due_date_two_months_once_and_tells_the_resident(family, officer):
    made = _start("access", family[0])

    services.subject_request_extend(user=officer, request_id=made.pk, reason="Many archives")

    made.refresh_from_db()
    assert made.due_on == months_later(months_later(clock.today(), 1), 2)
    assert made.case.deadline == made.due_on
    told = Message.objects.filter(recipient=family[0], reference=made.case.reference)
    assert any("Many archives" in m.body for m in told)
    with pytest.raises(CivicError, match="once"):
        services.subject_request_extend(user=officer, request_id=made.pk, reason="Again")


def test_an_erasure_of_register_data_is_refused_citing_article_17_3(client, family, officer):
    parent, _child = family
    made = _start("erasure", parent)

    services.subject_request_complete(user=officer, request_id=made.pk)

    made.refresh_from_db()
    assert made.state == "refused" and made.erasure["erased"] == []
    assert made.case.decision.outcome == "refused"
    assert made.case.decision.template == "refused-17-3"
    log_in(client, parent)
    page = client.get(f"{MY}{made.case.reference}/").content.decode()
    assert "17(3)(b)" in page and "Wet basisregistratie personen" in page


def test_an_erasure_erases_unsent_drafts_and_contact_details_and_keeps_the_rest(
    family, officer, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    parent, _child = family
    draft = draft_start(
        form=FormDefinition.objects.get(code="dog-tax"), applicant=parent, subject=parent
    )
    upload = Upload.objects.create(
        draft=draft,
        field="proof",
        file=ContentFile(b"my passport", name="passport.pdf"),
        name="passport.pdf",
        content_type="application/pdf",
        size=11,
        scan="clean",
    )
    stored = tmp_path / upload.file.name
    assert stored.exists()
    preference_set(personal_number=parent, email="me@example.org", by_email=True)
    made = _start("erasure", parent)

    with django_capture_on_commit_callbacks(execute=True):
        services.subject_request_complete(user=officer, request_id=made.pk)

    made.refresh_from_db()
    assert made.state == "done"
    assert {item["what"] for item in made.erasure["erased"]} == {"drafts", "contact_details"}
    assert not Draft.objects.filter(applicant=parent).exists()
    assert not Preference.objects.filter(personal_number=parent).exists()
    assert not stored.exists() and not Upload.objects.filter(pk=upload.pk).exists()
    assert {item["what"] for item in made.erasure["refused"]} >= {"persons", "cases", "access_log"}


def test_an_erasure_failing_half_way_is_rolled_back_with_the_data_as_it_was(
    family, officer, monkeypatch
):
    parent, _child = family
    draft_start(form=FormDefinition.objects.get(code="dog-tax"), applicant=parent, subject=parent)
    made = _start("erasure", parent)

    def broken(**_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("civic.compliance.erasure.preference_erase", broken)
    with pytest.raises(RuntimeError):
        services.subject_request_complete(user=officer, request_id=made.pk)

    made.refresh_from_db()
    assert Draft.objects.filter(applicant=parent).count() == 1
    assert made.state == "open" and made.erasure == {}
    assert made.case.state == "received"


def test_a_rectification_is_routed_to_the_registers_authority(family, officer):
    made = _start(
        "rectification",
        family[0],
        register="persons",
        attribute="identity.given_names",
        details="My name is spelt Marijke.",
    )

    services.subject_request_complete(user=officer, request_id=made.pk)

    made.refresh_from_db()
    filed = CorrectionRequest.objects.get(reference=made.correction)
    assert filed.authority == "havenstad" and filed.attribute == "identity.given_names"
    assert "Marijke" in filed.explanation and made.state == "done"


def test_an_objection_is_decided_with_reasons_the_resident_reads(family, officer):
    made = _start("objection", family[0], details="Stop the proactive checks on me.")

    with pytest.raises(CivicError, match="reasons"):
        services.subject_request_decide(user=officer, request_id=made.pk, granted=False, reasons="")
    services.subject_request_decide(
        user=officer, request_id=made.pk, granted=False, reasons="Required by law."
    )

    made.refresh_from_db()
    assert made.state == "refused" and made.outcome == "Required by law."
    assert made.case.decision.template == "rejected"


def test_staff_of_another_agency_do_not_see_the_request(client, family):
    made = _start("access", family[0])
    other = create_staff(
        roles=[Role.DATA_PROTECTION_OFFICER], agency=agency_get(code="social-insurance-bank")
    )
    client.force_login(other)

    assert made.case.reference not in client.get("/staff/privacy/requests/").content.decode()
    assert client.get(f"/staff/privacy/requests/{made.pk}/").status_code == 404
    with pytest.raises(CivicError):
        services.subject_request_complete(user=other, request_id=made.pk)


def test_the_pages_are_in_dutch(client, family, officer):
    made = _start("erasure", family[0])
    log_in(client, family[0])
    client.cookies["django_language"] = "nl"

    mine = client.get(MY).content.decode()
    detail = client.get(f"{MY}{made.case.reference}/").content.decode()
    client.force_login(officer)
    client.cookies["django_language"] = "nl"
    staff = client.get(f"/staff/privacy/requests/{made.pk}/").content.decode()
    record = client.get("/staff/privacy/processing/").content.decode()

    assert "Uw privacyrechten" in mine and "mijn gegevens wissen (vergetelheid)" in mine
    assert "Antwoord uiterlijk op" in detail
    assert "Wissen wat de wet toestaat" in staff
    assert (
        "Categorieën persoonsgegevens" in record and "U een kopie van uw gegevens geven" in record
    )


def test_a_rectification_by_the_registers_own_authority_is_a_new_version_of_the_record(
    family, officer
):
    from civic.registers.models import PersonRecord

    parent, _child = family
    before = PersonRecord.objects.get(
        person__personal_number=parent, recorded_to__isnull=True, valid_to__isnull=True
    )
    made = _start(
        "rectification",
        parent,
        register="persons",
        attribute="identity.given_names",
        details="My name is spelt Marijke.",
    )

    services.subject_request_complete(user=officer, request_id=made.pk, value="Marijke")

    made.refresh_from_db()
    now = PersonRecord.objects.get(
        person__personal_number=parent, recorded_to__isnull=True, valid_to__isnull=True
    )
    old = PersonRecord.objects.get(pk=before.pk)
    assert now.given_names == "Marijke" and now.pk != before.pk
    assert now.valid_from == before.valid_from and now.family_name == before.family_name
    assert old.given_names == before.given_names and old.recorded_to == now.recorded_from
    assert CorrectionRequest.objects.get(reference=made.correction).status == "corrected"
