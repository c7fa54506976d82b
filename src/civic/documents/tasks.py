"""Background work of document intake, for Celery workers (CIVIC_DOCUMENTS_PROCESSING=celery):
one task per document, the same pipeline the embedded default runs in process."""

from __future__ import annotations

from celery import shared_task

from civic.documents.pipeline import document_process


@shared_task(name="civic.documents.document_process")
def document_process_task(document_id: int) -> str:
    """Read and route one stored document; returns its status and where it went."""
    document = document_process(document_id=document_id)
    return f"{document.status} {document.routed_to}"
