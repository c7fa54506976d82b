"""The whole pipeline for one received document, as one call for a worker or a process pool:
read it, then route it."""

from __future__ import annotations

from civic.documents.models import Document
from civic.documents.services import document_read, document_route


def document_process(*, document_id: int) -> Document:
    """The whole pipeline for one received document: read it (text layer or OCR, type,
    fields, personal data), then route it. Safe to run twice: each step skips what is done."""
    document = document_read(document=Document.objects.get(pk=document_id))
    return document_route(document=document)
