"""A resident applies for a service: register values prefilled with their source, answers
saved per step, branching, uploads checked by content, one case per submission, a receipt."""

from __future__ import annotations

import pypdf
import pytest
from django.utils import timezone

from civic.cases.models import Case
from civic.exchange.models import AccessLogEntry
from civic.exchange.pseudonyms import person_pseudonym
from civic.forms.models import Draft, Submission
from civic.identity import services as identity
from civic.notify.models import Message
from civic.registers.selectors import person_record_at
from tests.builders import a_registered_resident
from tests.exchange.builders import create_purpose

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def resident(client, db, settings):
    create_purpose(code=settings.OWN_DATA_PURPOSE)
    number = a_registered_resident()
    client.force_login(identity.resident_account_ensure(personal_number=number))
    return number


def _walk_parking_permit(client) -> str:
    """Fill in the parking permit form up to check-your-answers; returns that page."""
    response = client.get("/my/apply/parking-permit/")
    assert response.status_code == 302 and response.url.endswith("/about_you/")
    client.post(response.url, {"form_version": "1", "action": "continue", "shown": ""})
    client.post(
        "/my/apply/parking-permit/car/",
        {
            "form_version": "1",
            "action": "continue",
            "shown": "licence_plate,car_use,start_date",
            "licence_plate": "AB-123-C",
            "car_use": "own",
            "start_date": "2027-01-01",
        },
    )
    response = client.post(
        "/my/apply/parking-permit/permit/",
        {
            "form_version": "1",
            "action": "continue",
            "shown": "permit_kind",
            "permit_kind": "resident",
        },
    )
    assert response.url.endswith("/check/")
    return client.get(response.url).content.decode()


def test_prefilled_values_come_from_the_registers_with_their_source_and_are_not_asked(
    client, resident
):
    record = person_record_at(personal_number=resident)
    page = client.get(client.get("/my/apply/parking-permit/").url).content.decode()
    assert record.given_names in page and record.family_name in page
    assert "From the persons register" in page and "This is wrong" in page
    assert 'name="given_names"' not in page  # shown to confirm, never an input to retype


def test_prefill_reads_are_logged_under_the_forms_purpose_and_seen_by_the_resident(
    client, resident
):
    client.get("/my/apply/parking-permit/")
    entries = AccessLogEntry.objects.filter(subject=person_pseudonym(resident))
    assert set(entries.values_list("actor_kind", "purpose")) == {
        ("resident", "apply-parking-permit")
    }
    page = client.get("/my/data-use/").content.decode()
    assert "parking permit" in page


def test_a_resident_applies_and_gets_a_reference_a_case_and_a_receipt_with_a_pdf(client, resident):
    check = _walk_parking_permit(client)
    assert "AB-123-C" in check and "Resident&#x27;s permit" in check
    response = client.post("/my/apply/parking-permit/check/")
    submission = Submission.objects.get(applicant=resident)
    assert response.url.endswith(f"/sent/{submission.reference}/")
    sent = client.get(response.url).content.decode()
    assert submission.reference in sent
    case = Case.objects.get(submission=submission)
    assert case.reference == submission.reference and case.state == "received"
    receipt = Message.objects.get(recipient=resident, reference=submission.reference)
    assert receipt.attachment.read().startswith(b"%PDF")
    dashboard = client.get("/my/").content.decode()
    assert submission.reference in dashboard and "Received" in dashboard
    assert receipt.subject in dashboard and "1 unread" in dashboard


def test_sending_twice_makes_one_case(client, resident):
    _walk_parking_permit(client)
    first = client.post("/my/apply/parking-permit/check/")
    second = client.post("/my/apply/parking-permit/check/")  # the second click of a double click
    assert second.url == first.url
    assert Case.objects.filter(applicant=resident).count() == 1


def test_a_choice_reveals_a_follow_up_question_and_the_upload_is_checked_by_content(
    client, resident
):
    client.get("/my/apply/parking-permit/")
    client.post(
        "/my/apply/parking-permit/about_you/",
        {"form_version": "1", "action": "continue", "shown": ""},
    )
    url = "/my/apply/parking-permit/car/"
    response = client.post(
        url,
        {
            "form_version": "1",
            "action": "continue",
            "shown": "licence_plate,car_use,start_date",
            "licence_plate": "AB-123-C",
            "car_use": "lease",
            "start_date": "2027-01-01",
        },
    )
    assert response.url == url  # the same step again, now with the lease question
    page = client.get(url).content.decode()
    assert "Lease or employer" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile(
        "contract.pdf", b"MZ\x90\x00 an executable, named .pdf", content_type="application/pdf"
    )
    refused = client.post(
        url,
        {
            "form_version": "1",
            "action": "continue",
            "shown": "licence_plate,car_use,lease_contract,start_date",
            "licence_plate": "AB-123-C",
            "car_use": "lease",
            "start_date": "2027-01-01",
            "lease_contract": fake,
        },
    )
    assert refused.status_code == 400 and "must be a PDF, JPG, PNG file" in refused.content.decode()
    good = SimpleUploadedFile("contract.pdf", PDF, content_type="application/pdf")
    accepted = client.post(
        url,
        {
            "form_version": "1",
            "action": "continue",
            "shown": "licence_plate,car_use,lease_contract,start_date",
            "licence_plate": "AB-123-C",
            "car_use": "lease",
            "start_date": "2027-01-01",
            "lease_contract": good,
        },
    )
    assert accepted.status_code == 302
    draft = Draft.objects.get(applicant=resident)
    assert draft.uploads.get().scan == "not-scanned"


def test_bad_answers_get_an_error_summary_and_keep_what_was_saved(client, resident):
    client.get("/my/apply/parking-permit/")
    client.post(
        "/my/apply/parking-permit/about_you/",
        {"form_version": "1", "action": "continue", "shown": ""},
    )
    response = client.post(
        "/my/apply/parking-permit/car/",
        {
            "form_version": "1",
            "action": "continue",
            "shown": "licence_plate,car_use,start_date",
            "licence_plate": "not a plate!",
            "car_use": "",
            "start_date": "tomorrow",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    assert (
        "Enter a licence plate like AB-123-C." in page
        and "Select whose car it is." in page
        and "?." not in page
    )
    draft = Draft.objects.get(applicant=resident)
    assert draft.prefilled["given_names"]["confirmed"] is True  # the first step stayed saved


def test_a_page_of_another_form_version_is_refused_and_the_saved_answers_stay(client, resident):
    client.get("/my/apply/parking-permit/")
    client.post(
        "/my/apply/parking-permit/about_you/",
        {"form_version": "1", "action": "continue", "shown": ""},
    )
    stale = client.post(
        "/my/apply/parking-permit/car/",
        {
            "form_version": "0",
            "action": "continue",
            "shown": "licence_plate",
            "licence_plate": "XX-999-X",
        },
    )
    assert stale.status_code == 409 and "another version of the form" in stale.content.decode()
    draft = Draft.objects.get(applicant=resident)
    assert "licence_plate" not in draft.answers and draft.prefilled["given_names"]["confirmed"]


def test_skipping_a_question_by_editing_the_hidden_list_does_not_get_an_application_through(
    client, resident
):
    client.get("/my/apply/parking-permit/")
    for step, shown in (("about_you", ""), ("car", ""), ("permit", "")):  # every question "hidden"
        client.post(
            f"/my/apply/parking-permit/{step}/",
            {"form_version": "1", "action": "continue", "shown": shown},
        )
    response = client.post("/my/apply/parking-permit/check/")
    assert response.url.endswith("/car/")  # back to the first unanswered question
    assert not Submission.objects.filter(applicant=resident).exists()


def test_the_receipt_pdf_gives_the_time_sent_as_the_inbox_does_in_the_jurisdictions_zone(
    client, resident
):
    _walk_parking_permit(client)
    client.post("/my/apply/parking-permit/check/")
    submission = Submission.objects.get(applicant=resident)
    receipt = Message.objects.get(recipient=resident, reference=submission.reference)
    text = " ".join(pypdf.PdfReader(receipt.attachment).pages[0].extract_text().split())
    local = timezone.localtime(submission.submitted_at)
    assert f"Sent on {local.day} {local:%B %Y, %H:%M}" in text
    assert str(local.tzinfo) != "UTC", "the demo's zone is the jurisdiction's, not UTC"


def test_a_resident_who_comes_back_continues_at_the_step_after_the_last_one_saved(client, resident):
    first = client.get("/my/apply/parking-permit/")
    client.post(first.url, {"form_version": "1", "action": "continue", "shown": ""})
    assert client.get("/my/apply/parking-permit/").url.endswith("/car/")
    client.post(
        "/my/apply/parking-permit/car/",
        {
            "form_version": "1",
            "action": "continue",
            "shown": "licence_plate,car_use,start_date",
            "licence_plate": "AB-123-C",
            "car_use": "own",
            "start_date": "2027-01-01",
        },
    )
    assert client.get("/my/apply/parking-permit/").url.endswith("/permit/")
    client.post(
        "/my/apply/parking-permit/permit/",
        {
            "form_version": "1",
            "action": "continue",
            "shown": "permit_kind",
            "permit_kind": "resident",
        },
    )
    assert client.get("/my/apply/parking-permit/").url.endswith("/check/")
