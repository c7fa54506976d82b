"""Documents coming in through Civic's own doors: a resident's upload from their account (about
a case, or "send us a document"), a caseworker's bulk upload, and where each stored document
is then processed (in this process, or on a Celery worker). Uploads are checked as every
upload is (size, type by content, the virus scanner) before anything is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from civic.cases.selectors import case_for_resident
from civic.cases.services import IntakeDocument, information_answer
from civic.core.errors import NotFound
from civic.documents.models import Channel, Document
from civic.documents.pipeline import document_process
from civic.documents.services import document_receive
from civic.documents.tasks import document_process_task
from civic.forms.scanning.base import ScanResult
from civic.forms.uploads import UploadRefused, upload_check

#: What intake reads: PDF and the scanners' image types.
ACCEPTED = ["application/pdf", "image/jpeg", "image/png", "image/tiff"]


def _checked_receive(file, channel: str) -> tuple[Document, str, ScanResult]:
    """The file checked, then stored (once); its content type and the scanner's result."""
    content_type, scan = upload_check(
        file=file, name=file.name, accept=ACCEPTED, max_size_mb=settings.UPLOAD_MAX_MB
    )
    file.seek(0)
    document, _created = document_receive(
        data=file.read(), original_name=file.name, channel=channel
    )
    return document, content_type, scan


def document_dispatch(document_id: int) -> None:
    """Process a stored document where the settings say: in this process, or on a worker
    (``CIVIC_DOCUMENTS_PROCESSING``). Called after the commit that stored it."""
    if settings.DOCUMENTS_PROCESSING == "celery":
        document_process_task.delay(document_id)
    else:
        document_process(document_id=document_id)


def document_send(*, personal_number: str, file, case_reference: str = "") -> Document:
    """A document a resident sends from their account, about one of their cases or about
    anything ("send us a document"). The file is checked, stored once, then read and routed
    (``document_dispatch``) after the commit."""
    if case_reference and (
        case_for_resident(personal_number=personal_number, reference=case_reference) is None
    ):
        raise NotFound(_("There is no such case."))
    document, _type, _scan = _checked_receive(file, Channel.PORTAL)
    return _sent(document, personal_number, case_reference)


def _sent(document: Document, personal_number: str, case_reference: str) -> Document:
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if not locked.sender:  # the first sender's; the same file sent again is the same one
            locked.sender, locked.sent_for_case = personal_number, case_reference
            locked.save(update_fields=["sender", "sent_for_case"])
        transaction.on_commit(lambda: document_dispatch(locked.pk))
    return locked


def document_answer(
    *, request_id: int, personal_number: str, case_reference: str, answer: str, file
) -> Document:
    """A resident's answer to a caseworker's question with a document: the file is checked and
    taken in by document intake (stored once, read, linked to the case), and the answer notes
    it. Both or neither: a refused answer keeps no document."""
    with transaction.atomic():
        document, content_type, scan = _checked_receive(file, Channel.PORTAL)
        information_answer(
            request_id=request_id,
            personal_number=personal_number,
            answer=answer,
            intake_document=IntakeDocument(
                document_id=document.pk,
                name=file.name,
                content_type=content_type,
                size=document.size,
                scanned=scan.scanned,
                scanner=scan.scanner,
            ),
        )
        return _sent(document, personal_number, case_reference)


def documents_upload(*, user, files) -> list[dict]:
    """A caseworker's bulk upload: each file checked and stored, then read and routed; a file
    refused by the checks is reported with the reason and the others go on. Returns one line
    per file: ``{"name", "document" (or None), "refused" (a reason or "")}``."""
    received = []
    for file in files:
        try:
            document, _type, _scan = _checked_receive(file, Channel.STAFF_UPLOAD)
        except UploadRefused as refusal:
            received.append({"name": file.name, "document": None, "refused": str(refusal)})
            continue
        received.append({"name": file.name, "document": document, "refused": ""})
        transaction.on_commit(lambda pk=document.pk: document_dispatch(pk))
    return received
