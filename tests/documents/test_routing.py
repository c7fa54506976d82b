"""Routing read documents: a resident's payslip lands in their open case with its amounts, a
document that names a person finds them through the register (logged), one with no case goes
to the intake agency's queue, and a caseworker corrects what was read, within their agency."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civic.cases.models import CaseDocument, CaseEvent
from civic.cases.services import case_open_for_request
from civic.core.errors import CivicError, NotFound
from civic.documents.intake import document_send
from civic.documents.models import Channel, Document, DocumentCorrection
from civic.documents.pipeline import document_process
from civic.documents.selectors import corrections_for_training, document_report
from civic.documents.services import document_correct, document_receive
from civic.exchange.selectors import usage_page
from civic.identity.models import Agency, Role
from civic.registers.models import PersonRecord
from tests.builders import a_registered_resident, create_staff
from tests.documents import samples

pytestmark = pytest.mark.django_db


def _name(personal_number: str) -> tuple[str, str]:
    record = PersonRecord.objects.filter(person__personal_number=personal_number).latest("pk")
    surname = f"{record.family_name_prefix} {record.family_name}".strip()
    return record.given_names, surname


def payslip_lines(personal_number: str, *, reference: str = "") -> list[str]:
    given, surname = _name(personal_number)
    lines = [
        "Salarisspecificatie",
        "Werkgever: Bakkerij De Korenschoof B.V.",
        f"Werknemer: {given} {surname}",
        f"BSN: {personal_number}",
        "Periode: november 2026",
        "Brutoloon € 2.345,67",
        "Loonheffing € 455,55",
        "Nettoloon € 1.890,12",
        "Uitbetaald op rekening NL91 ABNA 0417 1643 00",
    ]
    if reference:
        lines.append(f"Kenmerk: {reference}")
    return lines


@pytest.fixture
def resident():
    return a_registered_resident()


@pytest.fixture
def assistance_case(resident):
    return case_open_for_request(case_type="special-assistance", personal_number=resident)


def test_a_payslip_sent_from_the_case_page_lands_in_the_case_with_its_amounts(
    media, resident, assistance_case, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "payslip-november.pdf", samples.letter_pdf(payslip_lines(resident)), "application/pdf"
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = document_send(
            personal_number=resident, file=upload, case_reference=assistance_case.reference
        )
    document = Document.objects.get(pk=sent.pk)
    assert document.channel == Channel.PORTAL and document.sender == resident
    assert document.document_type == "payslip"
    assert document.fields["gross_amount"] == "2345.67"
    assert document.fields["net_amount"] == "1890.12"
    assert document.routed_to == f"case:{assistance_case.reference}"
    assert [s["step"] for s in document.routing] == ["person", "case"]
    assert document.routing[1]["by"] == "attached"

    linked = CaseDocument.objects.get(case=assistance_case)
    assert linked.document_id == document.pk and linked.document_type == "payslip"
    assert linked.fields["net_amount"] == "1890.12"
    event = assistance_case.events.get(kind=CaseEvent.Kind.DOCUMENT)
    assert event.public and "payslip" in event.texts["text"]["en"]
    assert "payslip-november.pdf" in event.texts["text"]["nl"]

    # The register was asked whom it concerns, under the intake purpose, and it shows.
    used = usage_page(personal_number=resident)["entries"]
    assert "Read the documents you send us" in {entry["purpose"] for entry in used}
    kinds = {finding["kind"] for finding in document.personal_data}
    assert {"personal-number", "iban", "name"} <= kinds


def test_a_backlog_payslip_finds_its_person_by_number_and_their_open_case(
    media, resident, assistance_case
):
    data = samples.letter_pdf(payslip_lines(resident))
    document, _ = document_receive(data=data, original_name="scan-0001.pdf", channel="backlog")
    document = document_process(document_id=document.pk)
    person, case = document.routing
    assert (person["by"], person["confidence"]) == ("document-number-and-name", 0.95)
    assert (case["by"], case["value"]) == ("match", assistance_case.reference)
    assert document.person == resident
    assert document_report(document=document, file="scan-0001.pdf")["routed_to"] == (
        f"case:{assistance_case.reference}"
    )


def test_a_case_reference_in_the_document_wins_over_a_match(media, resident, assistance_case):
    other = case_open_for_request(case_type="special-assistance", personal_number=resident)
    data = samples.letter_pdf(payslip_lines(resident, reference=assistance_case.reference))
    document, _ = document_receive(data=data, original_name="a.pdf", channel="backlog")
    document = document_process(document_id=document.pk)
    assert document.case_reference == assistance_case.reference != other.reference
    assert document.routing[-1]["by"] == "reference"


def test_a_document_about_someone_elses_case_is_not_put_in_it(media, resident, assistance_case):
    stranger = next(
        p.person.personal_number
        for p in PersonRecord.objects.exclude(person__personal_number=resident)[:50]
        if p.person.personal_number != assistance_case.subject
    )
    upload = SimpleUploadedFile(
        "letter.pdf",
        samples.letter_pdf([f"Betreft zaak {assistance_case.reference}", samples.DUTCH]),
        "application/pdf",
    )
    sent = document_send(personal_number=stranger, file=upload)
    document = document_process(document_id=sent.pk)
    assert document.person == stranger
    assert document.case_reference == ""
    assert document.routed_to == "queue:havenstad"
    assert not CaseDocument.objects.filter(document_id=document.pk).exists()


def test_a_document_naming_no_one_goes_to_the_intake_queue(media):
    data = samples.letter_pdf([samples.ENGLISH])
    document, _ = document_receive(data=data, original_name="a.pdf", channel="backlog")
    document = document_process(document_id=document.pk)
    assert document.person == "" and document.routed_to == "queue:havenstad"
    assert document.routing == [
        {"step": "queue", "value": "havenstad", "by": "no-case", "confidence": 1.0}
    ]


def test_a_resident_cannot_send_a_document_for_a_case_not_theirs(media, assistance_case):
    upload = SimpleUploadedFile("a.pdf", samples.letter_pdf([samples.ENGLISH]), "application/pdf")
    with pytest.raises(NotFound):
        document_send(
            personal_number="111222333", file=upload, case_reference=assistance_case.reference
        )
    assert not Document.objects.exists()


def test_a_refused_upload_stores_nothing(media, resident, assistance_case):
    upload = SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    with pytest.raises(CivicError):
        document_send(
            personal_number=resident, file=upload, case_reference=assistance_case.reference
        )
    assert not Document.objects.exists()


def _routed_payslip(resident, assistance_case):
    data = samples.letter_pdf(payslip_lines(resident))
    document, _ = document_receive(data=data, original_name="payslip.pdf", channel="backlog")
    return document_process(document_id=document.pk)


def test_a_caseworker_corrects_a_field_and_the_case_shows_it(media, resident, assistance_case):
    document = _routed_payslip(resident, assistance_case)
    caseworker = create_staff(roles=[Role.CASEWORKER], agency=Agency.objects.get(code="havenstad"))
    fields = {**document.fields, "net_amount": "1890.21"}
    correction = document_correct(
        document=document, user=caseworker, document_type="payslip", fields=fields, note="typo"
    )
    assert correction.fields_before["net_amount"] == "1890.12"
    assert correction.fields_after["net_amount"] == "1890.21"
    linked = CaseDocument.objects.get(case=assistance_case)
    assert linked.fields["net_amount"] == "1890.21" and linked.corrected_at is not None
    document.refresh_from_db()
    assert document.fields["net_amount"] == "1890.21"
    (learnt,) = corrections_for_training()
    assert learnt["type"] == "payslip" and "Nettoloon" in learnt["text"]


def test_a_correction_is_refused_outside_the_agency_and_for_unknown_fields(
    media, resident, assistance_case
):
    document = _routed_payslip(resident, assistance_case)
    outsider = create_staff(roles=[Role.CASEWORKER])
    with pytest.raises(NotFound):
        document_correct(document=document, user=outsider, document_type="invoice", fields={})
    caseworker = create_staff(roles=[Role.CASEWORKER], agency=Agency.objects.get(code="havenstad"))
    with pytest.raises(CivicError, match="no field"):
        document_correct(
            document=document, user=caseworker, document_type="payslip", fields={"colour": "red"}
        )
    assert not DocumentCorrection.objects.exists()
    document.refresh_from_db()
    assert document.fields["net_amount"] == "1890.12"


def test_a_new_type_keeps_the_fields_it_shares_and_drops_those_it_has_not(
    media, resident, assistance_case
):
    """The page's form holds the old type's fields; sent with a new type, those the new type
    has (the IBAN) stay and the rest (the payslip's amounts) go."""
    document = _routed_payslip(resident, assistance_case)
    caseworker = create_staff(roles=[Role.CASEWORKER], agency=Agency.objects.get(code="havenstad"))
    document_correct(
        document=document, user=caseworker, document_type="bank-statement", fields=document.fields
    )
    document.refresh_from_db()
    assert document.document_type == "bank-statement"
    assert document.fields == {"iban": "NL91ABNA0417164300"}
    assert CaseDocument.objects.get(case=assistance_case).fields == document.fields


def test_the_corrections_are_written_as_training_data_and_the_next_model_learns_from_them(
    media, resident, assistance_case, tmp_path
):
    import joblib
    from django.core.management import call_command

    from civic.documents.training.train import classifier_train

    document = _routed_payslip(resident, assistance_case)
    caseworker = create_staff(roles=[Role.CASEWORKER], agency=Agency.objects.get(code="havenstad"))
    document_correct(document=document, user=caseworker, document_type="bank-statement",
                     fields={}, note="a statement, not a payslip")  # fmt: skip
    corrections = tmp_path / "corrections.jsonl"
    call_command("documents", "corrections", out=corrections)
    (line,) = corrections.read_text(encoding="utf-8").splitlines()
    assert '"type": "bank-statement"' in line and "Nettoloon" in line

    about = classifier_train(
        out=tmp_path / "model.joblib", clean=0, evaluate=False, corrections=corrections
    )
    assert about["corrections"] == 1
    assert joblib.load(tmp_path / "model.joblib")["about"]["corrections"] == 1
