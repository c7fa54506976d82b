"""Reads of document intake, for other apps, pages and the backlog report."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civic.cases.selectors import case_for_staff
from civic.documents.models import (
    Document,
    DocumentCorrection,
    DocumentPage,
    DocumentType,
    Status,
)
from civic.identity.selectors import staff_agency_id


def document_get(*, document_id: int) -> Document:
    return Document.objects.get(pk=document_id)


def document_find(*, sha256: str) -> Document | None:
    return Document.objects.filter(sha256=sha256).first()


def document_pages(*, document: Document) -> QuerySet[DocumentPage]:
    return DocumentPage.objects.filter(document=document).order_by("number")


def document_text(*, document: Document) -> str:
    """The whole document's text, its pages separated by a form feed."""
    return "\f".join(document_pages(document=document).values_list("text", flat=True))


def document_report(*, document: Document, file: str) -> dict:
    """One file's line of the backlog report. ``type`` is the classifier's type ("other" below
    its threshold, with ``to_person`` true) and ``confidence`` its probability; a refused
    document has neither. ``fields`` are the checked fields extracted; ``personal_data`` the
    findings' kind, text and page (their boxes stay on the document, for redaction).
    ``routed_to`` is ``case:<reference>``, ``queue:<agency>`` or ``unrouted``."""
    return {
        "file": file,
        "sha256": document.sha256,
        "pages": document.pages,
        "type": document.document_type or None,
        "confidence": document.type_confidence,
        "to_person": document.document_type == DocumentType.OTHER
        if document.document_type
        else None,
        "fields": document.fields,
        "personal_data": [
            {"kind": f["kind"], "text": f["text"], "page": f["page"]}
            for f in document.personal_data
        ],
        "routed_to": document.routed_to,
        "refused": document.refusal_reason or None,
        "refused_detail": document.refusal_detail or None,
    }


def document_visible_to(*, user, document: Document) -> bool:
    """Whether a staff member may see the document: it is in their agency's queue, or linked
    to (or sent for) a case they may see (their agency's, within their scope)."""
    agency = staff_agency_id(user=user)
    if agency is None:
        return False
    if document.queue_id == agency:
        return True
    # Its case, or (while it is being read) the case it was sent for.
    references = {document.case_reference, document.sent_for_case} - {""}
    return any(case_for_staff(user=user, reference=ref) is not None for ref in references)


def document_for_staff(*, user, document_id: int) -> Document | None:
    """The document, if the staff member may see it; None for any other (never say it exists)."""
    document = Document.objects.select_related("queue").filter(pk=document_id).first()
    if document is None or not document_visible_to(user=user, document=document):
        return None
    return document


def documents_queue(*, user, limit: int = 100) -> list[Document]:
    """The documents in the staff member's agency's queue (no case found for them), oldest
    first: those a person routes by hand."""
    agency = staff_agency_id(user=user)
    if agency is None:
        return []
    return list(
        Document.objects.filter(queue_id=agency, case_reference="")
        .select_related("queue")
        .order_by("routed_at", "pk")[:limit]
    )


def document_corrections(*, document: Document) -> QuerySet[DocumentCorrection]:
    return DocumentCorrection.objects.filter(document=document)


def corrections_for_training() -> list[dict]:
    """Every corrected document's text with the type and fields a person gave it, newest
    correction per document: what the next training run learns from."""
    latest: dict[int, DocumentCorrection] = {}
    for correction in DocumentCorrection.objects.order_by("corrected_at", "pk"):
        latest[correction.document_id] = correction
    rows = []
    for document_id, correction in sorted(latest.items()):
        document = Document.objects.get(pk=document_id)
        rows.append(
            {
                "document": document.sha256,
                "type": correction.type_after,
                "fields": correction.fields_after,
                "text": document_text(document=document),
            }
        )
    return rows


def documents_of_person(*, personal_number: str) -> QuerySet[Document]:
    """The documents a resident sent or that concern them (their own view and exports)."""
    return Document.objects.filter(Q(sender=personal_number) | Q(person=personal_number))


def documents_sent_pending(*, personal_number: str, case_reference: str = "") -> list[Document]:
    """What the resident sent that is not read and routed yet (a worker still has it), or
    that was refused: shown on their pages until it is on a case."""
    return list(
        Document.objects.filter(sender=personal_number, sent_for_case=case_reference)
        .filter(Q(routed_at__isnull=True) | Q(status=Status.REFUSED))
        .order_by("received_at", "pk")
    )


def documents_finished(*, document_ids: list[int]) -> set[int]:
    """Of these documents, those the pipeline is done with: read and routed, or refused."""
    finished: set[int] = set()
    for start in range(0, len(document_ids), 500):  # SQLite's cap on a statement's parameters
        finished.update(
            Document.objects.filter(pk__in=document_ids[start : start + 500])
            .filter(Q(status=Status.REFUSED) | Q(routed_at__isnull=False))
            .values_list("pk", flat=True)
        )
    return finished


def documents_sent_by(*, personal_number: str, limit: int = 50) -> list[Document]:
    """What the resident sent from their account, newest first."""
    return list(
        Document.objects.filter(sender=personal_number).order_by("-received_at", "-pk")[:limit]
    )
