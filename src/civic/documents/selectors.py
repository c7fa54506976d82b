"""Reads of document intake, for other apps, pages and the backlog report."""

from __future__ import annotations

from django.db.models import QuerySet

from civic.documents.models import Document, DocumentPage, DocumentType


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
    findings' kind, text and page (their boxes stay on the document, for redaction). Routing
    comes in a later step of issue 17: until then every document is unrouted."""
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
        "routed_to": "unrouted",
        "refused": document.refusal_reason or None,
        "refused_detail": document.refusal_detail or None,
    }
