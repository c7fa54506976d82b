"""The pages of document intake: a resident sends a payslip from their case's page and sees it
read; the caseworker sees its type, fields, personal data and routing on the case and on the
document's page, corrects a field, and uploads a batch; another agency's staff see nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civic.cases.models import Case, CaseDocument
from civic.cases.services import case_open_for_request
from civic.documents.models import Channel, Document, DocumentCorrection
from civic.identity import services as identity
from civic.identity.models import Agency, Role
from tests.builders import a_registered_resident, create_staff
from tests.documents import samples
from tests.documents.test_routing import payslip_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(client):
    number = a_registered_resident()
    client.force_login(identity.resident_account_ensure(personal_number=number))
    return number


@pytest.fixture
def case(resident):
    return case_open_for_request(case_type="special-assistance", personal_number=resident)


@pytest.fixture
def caseworker():
    return create_staff(roles=[Role.CASEWORKER], agency=Agency.objects.get(code="havenstad"))


def _send(client, case, name: str, data: bytes, content_type="application/pdf"):
    return client.post(
        f"/my/cases/{case.reference}/",
        {"action": "document", "document-document": SimpleUploadedFile(name, data, content_type)},
    )


def test_a_resident_sends_a_payslip_and_the_caseworker_sees_and_corrects_it(
    client, media, resident, case, caseworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(client, case, "payslip.pdf", samples.letter_pdf(payslip_lines(resident)))
    assert sent.status_code == 302 and sent["Location"].endswith("?sent=document#documents")
    page = client.get(sent["Location"]).content.decode()
    assert "We received your document." in page
    assert "payslip.pdf" in page and "Payslip" in page
    assert "Document received: payslip (payslip.pdf)" in page  # on the timeline

    client.force_login(caseworker)
    case_page = client.get(f"/staff/cases/{case.reference}/").content.decode()
    document = Document.objects.get(sender=resident)
    assert "Read by document intake" in case_page
    assert f"/staff/documents/{document.pk}/" in case_page
    assert "Net amount" in case_page and "1890.12" in case_page

    shown = client.get(f"/staff/documents/{document.pk}/").content.decode()
    for expected in ("Payslip", "confidence", "sent from the case’s page", "1890.12",
                     "Personal number", "Correct what was read"):  # fmt: skip
        assert expected in shown, expected
    image = client.get(f"/staff/documents/{document.pk}/pages/1.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"

    fields = {f"field_{k}": v for k, v in document.fields.items()}
    corrected = client.post(
        f"/staff/documents/{document.pk}/",
        {"document_type": "payslip", **fields, "field_net_amount": "1890.21", "note": "typo"},
    )
    assert corrected.status_code == 302
    assert "Your correction is saved" in client.get(corrected["Location"]).content.decode()
    assert CaseDocument.objects.get(case=case).fields["net_amount"] == "1890.21"
    assert "corrected by a person" in client.get(f"/staff/cases/{case.reference}/").content.decode()


def test_a_correction_that_changes_nothing_is_refused_with_an_error_summary(
    client, media, resident, case, caseworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, case, "payslip.pdf", samples.letter_pdf(payslip_lines(resident)))
    document = Document.objects.get(sender=resident)
    client.force_login(caseworker)
    fields = {f"field_{k}": v for k, v in document.fields.items()}
    refused = client.post(
        f"/staff/documents/{document.pk}/", {"document_type": "payslip", **fields}
    )
    assert refused.status_code == 400
    assert "There is a problem" in refused.content.decode()
    assert "Nothing was changed." in refused.content.decode()
    assert not DocumentCorrection.objects.exists()


def test_the_resident_is_told_what_is_wrong_with_a_file_and_nothing_is_stored(
    client, media, resident, case
):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "hello")
    refused = _send(client, case, "payslip.pdf", archive.getvalue())
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "There is a problem" in page and "must be a PDF, JPG, PNG, TIFF file" in page
    missing = client.post(f"/my/cases/{case.reference}/", {"action": "document"})
    assert missing.status_code == 400 and "Choose the file to send." in missing.content.decode()
    assert not Document.objects.exists()


def test_another_agencys_staff_and_other_residents_see_nothing(
    client, media, resident, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, case, "payslip.pdf", samples.letter_pdf(payslip_lines(resident)))
    document = Document.objects.get(sender=resident)
    client.force_login(create_staff(roles=[Role.CASEWORKER]))
    assert client.get(f"/staff/documents/{document.pk}/").status_code == 404
    assert client.get(f"/staff/documents/{document.pk}/pages/1.png").status_code == 404
    assert (
        client.post(f"/staff/documents/{document.pk}/", {"document_type": "invoice"}).status_code
        == 404
    )
    assert "payslip.pdf" not in client.get("/staff/documents/").content.decode()


def test_a_caseworker_uploads_a_batch_and_a_bad_file_does_not_stop_it(
    client, media, caseworker, django_capture_on_commit_callbacks
):
    client.force_login(caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = client.post(
            "/staff/documents/",
            {
                "files": [
                    SimpleUploadedFile("letter.pdf", samples.letter_pdf([samples.ENGLISH])),
                    SimpleUploadedFile("program.pdf", b"MZ\x90\x00" + b"\x00" * 100),
                ]
            },
        )
    assert uploaded.status_code == 200
    page = uploaded.content.decode()
    assert "program.pdf: The file “program.pdf” must be a PDF" in page
    (document,) = Document.objects.all()
    assert document.channel == Channel.STAFF_UPLOAD and document.routed_to == "queue:havenstad"
    queue = client.get("/staff/documents/").content.decode()
    assert "letter.pdf" in queue and "1 document" in queue


def test_a_payslip_sent_for_a_rent_benefit_application_lands_in_it_for_the_tax_administration(
    client, media, resident, django_capture_on_commit_callbacks
):
    """The issue's example: a resident applies for rent benefit, then sends their payslip from
    the case's page; it lands in that case with its amounts, which the Tax Administration's
    allowances caseworker sees (and the municipality's does not)."""
    from tests.cases.builders import HOUSING_ANSWERS, a_submitted_application

    submission = a_submitted_application(
        applicant=resident, form="housing-allowance", answers=HOUSING_ANSWERS
    )
    case = Case.objects.get(reference=submission.reference)
    assert case.agency.code == "tax-administration"
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, case, "loonstrook-november.pdf", samples.letter_pdf(payslip_lines(resident)))
    linked = CaseDocument.objects.get(case=case)
    assert linked.document_type == "payslip"
    assert (linked.fields["gross_amount"], linked.fields["net_amount"]) == ("2345.67", "1890.12")
    assert linked.fields["period"] == "2026-11"

    allowances = create_staff(
        roles=[Role.CASEWORKER], agency=Agency.objects.get(code="tax-administration")
    )
    client.force_login(allowances)
    page = client.get(f"/staff/cases/{case.reference}/").content.decode()
    assert "Gross amount" in page and "2345.67" in page and "loonstrook-november.pdf" in page
    document = Document.objects.get(sender=resident)
    assert client.get(f"/staff/documents/{document.pk}/").status_code == 200
    client.force_login(
        create_staff(roles=[Role.CASEWORKER], agency=Agency.objects.get(code="havenstad"))
    )
    assert client.get(f"/staff/documents/{document.pk}/").status_code == 404


def test_send_us_a_document_without_a_case_finds_the_case_it_belongs_to(
    client, media, resident, django_capture_on_commit_callbacks
):
    """ "Send us a document" on the dashboard: a payslip sent without a case lands in the
    resident's open special-assistance case (the case type that takes payslips); a file that
    is no document is refused with the reason."""
    case = case_open_for_request(case_type="special-assistance", personal_number=resident)
    assert "/my/documents/" in client.get("/my/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/my/documents/",
            {"document-document": SimpleUploadedFile(
                "payslip.pdf", samples.letter_pdf(payslip_lines(resident)), "application/pdf"
            )},
        )  # fmt: skip
    assert sent.status_code == 302
    page = client.get(sent["Location"]).content.decode()
    assert "We received your document." in page
    assert f'Added to your case <a class="govuk-link" href="/my/cases/{case.reference}/">' in page
    assert CaseDocument.objects.get(case=case).linked_by == "match"
    refused = client.post(
        "/my/documents/",
        {"document-document": SimpleUploadedFile("a.pdf", b"MZ\x90\x00", "application/pdf")},
    )
    assert refused.status_code == 400 and "There is a problem" in refused.content.decode()


def test_the_caseworker_downloads_a_redacted_copy_or_is_told_why_there_is_none(
    client, media, resident, case, caseworker, django_capture_on_commit_callbacks
):
    import pypdfium2 as pdfium

    with django_capture_on_commit_callbacks(execute=True):
        _send(client, case, "payslip.pdf", samples.letter_pdf(payslip_lines(resident)))
    document = Document.objects.get(sender=resident)
    assert "name" in {f["kind"] for f in document.personal_data}  # found with the register
    client.force_login(caseworker)
    assert (
        f"/staff/documents/{document.pk}/redacted.pdf"
        in client.get(f"/staff/documents/{document.pk}/").content.decode()
    )
    copy = client.get(f"/staff/documents/{document.pk}/redacted.pdf")
    assert copy.status_code == 200 and copy["Content-Type"] == "application/pdf"
    assert 'filename="payslip-redacted.pdf"' in copy["Content-Disposition"]
    pdf = pdfium.PdfDocument(copy.content)
    assert len(pdf) == 1 and pdf[0].get_textpage().get_text_range() == ""  # images only

    # A finding that cannot be placed on the page: no copy, and the reason.
    document.personal_data = [*document.personal_data,
                              {"kind": "iban", "text": "NL91", "page": 1, "boxes": []}]  # fmt: skip
    document.save(update_fields=["personal_data"])
    refused = client.get(f"/staff/documents/{document.pk}/redacted.pdf")
    assert refused.status_code == 409
    assert "could not be placed on the page image" in refused.content.decode()


def test_a_redacted_copy_of_a_file_with_quotes_and_accents_in_its_name_downloads(
    client, media, resident, case, caseworker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(client, case, 'loonstrook "nov" \u00e9.pdf', samples.letter_pdf([samples.DUTCH]))
    document = Document.objects.get(sender=resident)
    client.force_login(caseworker)
    copy = client.get(f"/staff/documents/{document.pk}/redacted.pdf")
    assert copy.status_code == 200
    assert copy["Content-Disposition"] == (
        "attachment; filename*=utf-8''loonstrook%20%22nov%22%20%C3%A9-redacted.pdf"
    )


def _queued(client, caseworker, capture, lines: list[str]) -> Document:
    client.force_login(caseworker)
    with capture(execute=True):
        client.post(
            "/staff/documents/",
            {"files": [SimpleUploadedFile("letter.pdf", samples.letter_pdf(lines))]},
        )
    document = Document.objects.get(original_name="letter.pdf")
    assert document.routed_to == "queue:havenstad"
    return document


def test_a_caseworker_routes_a_queued_document_to_a_case_by_hand(
    client, media, caseworker, django_capture_on_commit_callbacks
):
    number = a_registered_resident()
    case = case_open_for_request(case_type="special-assistance", personal_number=number)
    document = _queued(client, caseworker, django_capture_on_commit_callbacks, [samples.ENGLISH])
    shown = client.get(f"/staff/documents/{document.pk}/").content.decode()
    assert "Route it by hand" in shown

    refused = client.post(f"/staff/documents/{document.pk}/route/", {"route-agency": ""})
    assert refused.status_code == 400
    assert "Give a case reference or choose an agency" in refused.content.decode()
    unknown = client.post(
        f"/staff/documents/{document.pk}/route/", {"route-case_reference": "AP-000000-XXXXXX"}
    )
    assert unknown.status_code == 400 and "Your agency has no case" in unknown.content.decode()

    routed = client.post(
        f"/staff/documents/{document.pk}/route/", {"route-case_reference": case.reference}
    )
    assert routed.status_code == 302 and routed["Location"].endswith("?routed=1")
    page = client.get(routed["Location"]).content.decode()
    assert f"The document is linked to case {case.reference}" in page
    assert f"routed by hand by {caseworker.username}" in page
    assert "Route it by hand" not in page
    linked = CaseDocument.objects.get(case=case, document_id=document.pk)
    assert linked.linked_by == "staff"
    document.refresh_from_db()
    assert document.routed_to == f"case:{case.reference}" and document.person == number
    assert "letter.pdf" not in client.get("/staff/documents/").content.decode()
    again = client.post(
        f"/staff/documents/{document.pk}/route/", {"route-case_reference": case.reference}
    )
    assert again.status_code == 400 and "already linked" in again.content.decode()


def test_a_caseworker_sends_a_queued_document_to_another_agencys_queue(
    client, media, caseworker, django_capture_on_commit_callbacks
):
    document = _queued(client, caseworker, django_capture_on_commit_callbacks, [samples.DUTCH])
    sent = client.post(
        f"/staff/documents/{document.pk}/route/", {"route-agency": "tax-administration"}
    )
    assert sent.status_code == 302
    queue = client.get(sent["Location"]).content.decode()
    assert "The document is in the queue of" in queue and "letter.pdf" not in queue
    assert client.get(f"/staff/documents/{document.pk}/").status_code == 404  # not theirs now
    tax = create_staff(
        roles=[Role.CASEWORKER], agency=Agency.objects.get(code="tax-administration")
    )
    client.force_login(tax)
    assert "letter.pdf" in client.get("/staff/documents/").content.decode()
    shown = client.get(f"/staff/documents/{document.pk}/").content.decode()
    assert f"routed by hand by {caseworker.username}" in shown
