"""Retention and erasure reach the documents intake keeps: a document read into a case goes
when the case's retention ends (file, pages and images, what was read), one linked to no case a
set time after it came in, a run that fails keeps every file, and a person's erasure takes the
documents they sent that could not be read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from civic.cases.models import Case, CaseDocument, CaseType
from civic.cases.services import case_open_for_request
from civic.compliance.erasure import erasure_run
from civic.compliance.retention import services as retention
from civic.documents.intake import document_send
from civic.documents.models import Channel, Document, DocumentPage, Status
from civic.documents.services import document_read, document_receive
from tests.builders import a_registered_resident
from tests.documents import samples
from tests.documents.test_routing import payslip_lines
from tests.security.builders import another_resident

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def _files(media: Path) -> set[str]:
    return {str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()}


def _sent_payslip(resident: str, case: Case, capture) -> Document:
    upload = SimpleUploadedFile(
        f"payslip-{case.reference}.pdf",
        samples.letter_pdf([*payslip_lines(resident), f"Case {case.reference}"]),
        "application/pdf",
    )
    with capture(execute=True):
        sent = document_send(personal_number=resident, file=upload, case_reference=case.reference)
    return Document.objects.get(pk=sent.pk)


def _closed(case: Case, day: dt.date) -> None:
    closed = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    Case.objects.filter(pk=case.pk).update(state="granted", closed_at=closed)


def _received(document: Document, day: dt.date) -> None:
    received = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    Document.objects.filter(pk=document.pk).update(received_at=received)


def _by_rule(run) -> dict[str, int]:
    return {r["rule"]: r["count"] for r in run.results}


def _stored(document: Document) -> set[str]:
    names = {document.file.name}
    names |= {p.image.name for p in DocumentPage.objects.filter(document=document) if p.image}
    return names


@pytest.fixture
def assistance():
    CaseType.objects.filter(code="special-assistance").update(retention_years=7)


def test_a_cases_documents_go_when_its_retention_ends_and_a_kept_cases_stay(
    media, assistance, django_capture_on_commit_callbacks
):
    old_resident, recent_resident = a_registered_resident(), another_resident()
    old_case = case_open_for_request(case_type="special-assistance", personal_number=old_resident)
    recent_case = case_open_for_request(
        case_type="special-assistance", personal_number=recent_resident
    )
    old = _sent_payslip(old_resident, old_case, django_capture_on_commit_callbacks)
    recent = _sent_payslip(recent_resident, recent_case, django_capture_on_commit_callbacks)
    assert CaseDocument.objects.filter(case=old_case, document_id=old.pk).exists()
    old_files = _stored(old)
    assert old_files <= _files(media) and len(old_files) >= 2  # the file and its page image
    _closed(old_case, dt.date(2018, 6, 1))
    _closed(recent_case, dt.date(2025, 6, 1))

    dry = retention.retention_run(dry_run=True, triggered_by="test", today=TODAY)
    assert _by_rule(dry)["documents.special-assistance:delete:7y"] == 1
    assert Document.objects.filter(pk=old.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        run = retention.retention_run(dry_run=False, triggered_by="test", today=TODAY)

    assert _by_rule(run)["documents.special-assistance:delete:7y"] == 1
    assert not Document.objects.filter(pk=old.pk).exists()
    assert not DocumentPage.objects.filter(document_id=old.pk).exists()
    assert not CaseDocument.objects.filter(case=old_case).exists()  # the fields read from it
    assert not old_files & _files(media)
    assert Document.objects.filter(pk=recent.pk).exists()
    assert _stored(recent) <= _files(media)
    assert CaseDocument.objects.filter(case=recent_case).exists()
    row = next(r for r in run.results if r["kind"] == "case_documents")
    assert row["agency"] == old_case.case_type.agency.code

    again = retention.retention_run(dry_run=False, triggered_by="test", today=TODAY)
    assert _by_rule(again)["documents.special-assistance:delete:7y"] == 0


def test_a_document_another_kept_case_links_is_kept(
    media, assistance, django_capture_on_commit_callbacks
):
    resident = a_registered_resident()
    old_case = case_open_for_request(case_type="special-assistance", personal_number=resident)
    document = _sent_payslip(resident, old_case, django_capture_on_commit_callbacks)
    newer = case_open_for_request(case_type="housing-allowance", personal_number=resident)
    CaseDocument.objects.create(
        case=newer,
        document_id=document.pk,
        name=document.original_name,
        linked_by="staff",
        linked_at=document.received_at,
    )
    _closed(old_case, dt.date(2018, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        run = retention.retention_run(dry_run=False, triggered_by="test", today=TODAY)
    assert _by_rule(run)["documents.special-assistance:delete:7y"] == 0
    assert Document.objects.filter(pk=document.pk).exists()
    assert document.file.read()[:5] == b"%PDF-"


def test_a_document_linked_to_no_case_goes_a_year_after_it_came_in(
    media, settings, django_capture_on_commit_callbacks
):
    settings.DOCUMENTS_UNLINKED_RETENTION_YEARS = 1
    old, _ = document_receive(data=b"", original_name="empty.pdf", channel=Channel.STAFF_UPLOAD)
    recent, _ = document_receive(
        data=samples.corrupt_pdf(), original_name="broken.pdf", channel=Channel.STAFF_UPLOAD
    )
    for document in (old, recent):
        document_read(document=document)
    _received(old, dt.date(2025, 10, 1))
    _received(recent, dt.date(2026, 10, 1))

    with django_capture_on_commit_callbacks(execute=True):
        run = retention.retention_run(dry_run=False, triggered_by="test", today=TODAY)

    unlinked = [r for r in run.results if r["kind"] == "unlinked_documents"]
    assert [(r["agency"], r["count"], r["years"]) for r in unlinked] == [("havenstad", 1, 1)]
    assert not Document.objects.filter(pk=old.pk).exists()
    assert old.file.name not in _files(media)
    assert Document.objects.filter(pk=recent.pk).exists()
    assert recent.file.name in _files(media)


def test_a_run_that_fails_after_the_documents_keeps_every_file_and_row(
    media, assistance, monkeypatch, django_capture_on_commit_callbacks
):
    resident = a_registered_resident()
    case = case_open_for_request(case_type="special-assistance", personal_number=resident)
    document = _sent_payslip(resident, case, django_capture_on_commit_callbacks)
    _closed(case, dt.date(2018, 6, 1))
    stored = _stored(document)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(retention, "unlinked_documents_retention_apply", broken)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(retention.RetentionFailed),
    ):
        retention.retention_run(dry_run=False, triggered_by="test", today=TODAY)

    assert Document.objects.filter(pk=document.pk).exists()
    assert CaseDocument.objects.filter(case=case).exists()
    assert stored <= _files(media)


def test_erasure_takes_the_documents_a_person_sent_that_were_refused_and_keeps_those_read(
    media, django_capture_on_commit_callbacks
):
    resident = a_registered_resident()
    case = case_open_for_request(case_type="special-assistance", personal_number=resident)
    read = _sent_payslip(resident, case, django_capture_on_commit_callbacks)
    refused, _ = document_receive(
        data=samples.corrupt_pdf(), original_name="broken.pdf", channel=Channel.PORTAL
    )
    Document.objects.filter(pk=refused.pk).update(sender=resident)
    assert document_read(document=refused).status == Status.REFUSED
    someone_elses, _ = document_receive(data=b"", original_name="e.pdf", channel=Channel.PORTAL)
    Document.objects.filter(pk=someone_elses.pk).update(sender=another_resident())
    document_read(document=someone_elses)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = erasure_run(personal_number=resident)

    assert {"what": "refused_documents", "count": 1} in outcome["erased"]
    assert not Document.objects.filter(pk=refused.pk).exists()
    assert refused.file.name not in _files(media)
    assert Document.objects.filter(pk__in=[read.pk, someone_elses.pk]).count() == 2
    kept = next(r for r in outcome["refused"] if r["what"] == "documents")
    assert "art. 17(3)(b)" in kept["reason"]["en"]
