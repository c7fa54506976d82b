"""Every write of document intake.

A document is received (stored once under the SHA-256 of its bytes, its row in status
``received``) before it is read; reading writes all its pages and its new status in one
transaction, so a crash in between leaves it ``received``, read again by the next run, and a
document already read or refused is never read twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from PIL import Image

from civic.core.clock import now
from civic.documents.classification import document_type_classify
from civic.documents.extraction import extract_fields
from civic.documents.handling import document_correct, document_route, document_route_by_hand
from civic.documents.models import Document, DocumentPage, Status, documents_storage
from civic.documents.personal_data import Finding, PersonRecord, personal_data_find
from civic.documents.reading import PageReading, Refused, document_pages_read
from civic.documents.redaction import RedactionImpossible, redacted_pdf

__all__ = [
    "document_correct",
    "document_read",
    "document_receive",
    "document_redacted_pdf",
    "document_route",
    "document_route_by_hand",
]


def _folder(sha256: str) -> str:
    return f"documents/{sha256[:2]}/{sha256}"


class DocumentStoreError(Exception):
    """The document store did not keep a file: a full disk, a bucket that is not there, a store
    that refuses the credentials. Said to whoever sent it, never a document lost in silence."""


def _store(storage, name: str, data: bytes) -> str:
    try:
        return storage.save(name, ContentFile(data))
    # Each backend raises its own errors (OSError from the disk, botocore's ClientError from an
    # object store, ...), and every one of them means the same here: the file was not kept.
    except Exception as error:
        raise DocumentStoreError(f"the document store did not keep {name}: {error}") from error


def document_receive(*, data: bytes, original_name: str, channel: str) -> tuple[Document, bool]:
    """The document for these bytes, and whether it is new. The same bytes received again (by
    any channel, under any name) are the same document, stored once."""
    sha256 = hashlib.sha256(data).hexdigest()
    existing = Document.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing, False
    storage = documents_storage()
    name = f"{_folder(sha256)}/original"
    # The name follows from the content, so a file left by a crash before the row was written
    # is the very file wanted here.
    if not storage.exists(name):
        name = _store(storage, name, data)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                sha256=sha256,
                file=name,
                original_name=original_name[:255],
                size=len(data),
                channel=channel,
                received_at=now(),
            )
    except IntegrityError:  # received at the same moment by another process
        return Document.objects.get(sha256=sha256), False
    return document, True


def _image_save(storage, name: str, page: PageReading) -> str:
    buffer = io.BytesIO()
    page.image.save(buffer, format="PNG", optimize=False)
    if storage.exists(name):  # left by a run that crashed before its pages were committed
        storage.delete(name)
    return _store(storage, name, buffer.getvalue())


def document_read(*, document: Document) -> Document:
    """Read a received document's pages (text layer or OCR) and store them with its type and
    the classifier's confidence; or store why it is refused. A document already read or refused is returned as it is."""
    if document.status != Status.RECEIVED:
        return document
    storage = documents_storage()
    with document.file.open("rb") as handle:
        data = handle.read()
    pages: list[DocumentPage] = []
    saved: list[str] = []
    media_type = ""
    try:
        media_type, readings = document_pages_read(data, document.original_name)
        for number, reading in enumerate(readings, start=1):
            image = _image_save(storage, f"{_folder(document.sha256)}/page-{number}.png", reading)
            saved.append(image)
            pages.append(
                DocumentPage(
                    document=document,
                    number=number,
                    text=reading.text,
                    text_source=reading.source,
                    ocr_confidence=reading.confidence,
                    rotation=reading.rotation,
                    skew=reading.skew,
                    image=image,
                    words=reading.words,
                )
            )
    except Refused as refusal:
        for name in saved:
            with contextlib.suppress(OSError):
                storage.delete(name)
        return _refusal_store(document, refusal, media_type)
    # Classified and extracted before the transaction: the model and the patterns take a
    # moment, the lock should not. Extraction follows the type; a document for a person to
    # classify gets every checked, type-free field.
    kind = document_type_classify("\f".join(page.text for page in pages))
    texts = [page.text for page in pages]
    fields = extract_fields(None if kind.to_person else kind.type, texts)
    findings = personal_data_find(texts, words=[page.words for page in pages])
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != Status.RECEIVED:  # another process finished it meanwhile
            return locked
        DocumentPage.objects.filter(document=locked).delete()
        DocumentPage.objects.bulk_create(pages)
        locked.media_type = media_type
        locked.pages = len(pages)
        locked.status = Status.PROCESSED
        locked.processed_at = now()
        locked.document_type = kind.type
        locked.type_confidence = kind.confidence
        locked.fields = fields
        locked.personal_data = [finding.as_stored() for finding in findings]
        locked.save(
            update_fields=[
                "media_type",
                "pages",
                "status",
                "processed_at",
                "document_type",
                "type_confidence",
                "fields",
                "personal_data",
            ]
        )
    return locked


def _refusal_store(document: Document, refusal: Refused, media_type: str) -> Document:
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != Status.RECEIVED:
            return locked
        locked.media_type = media_type
        locked.status = Status.REFUSED
        locked.refusal_reason = refusal.code
        locked.refusal_detail = refusal.detail[:1000]
        locked.processed_at = now()
        locked.save(
            update_fields=[
                "media_type",
                "status",
                "refusal_reason",
                "refusal_detail",
                "processed_at",
            ]
        )
    return locked


def document_redacted_pdf(*, document: Document, person: PersonRecord | None = None) -> bytes:
    """A redacted copy of a read document, for publication or for staff without a need to see:
    its page images with black boxes over every personal datum (the patterns' findings, those
    stored when it was routed, and with ``person`` also their names, address and relatives as
    the registers hold them), made into
    a PDF of images only, so no text survives. Refused for a page whose findings have no
    boxes (see ``redaction``)."""
    if document.status != Status.PROCESSED:
        raise RedactionImpossible(_("Only a document that has been read can be redacted."))
    pages = list(DocumentPage.objects.filter(document=document).order_by("number"))
    findings = personal_data_find(
        [page.text for page in pages], words=[page.words for page in pages], person=person
    )
    # And what was found when the document was routed, with the register record of the person
    # it concerns (their names and address), which a staff member here need not read again.
    findings += [Finding(**stored) for stored in document.personal_data]
    images = []
    for page in pages:
        with page.image.open("rb") as handle:
            images.append(Image.open(io.BytesIO(handle.read())))
    return redacted_pdf(images, findings, dpi=_page_dpi(pages))


def _page_dpi(pages: list[DocumentPage]) -> int:
    # Page images of scans are at the OCR resolution, text-layer renders at the page-image
    # resolution; the PDF's page size follows from the first page's.
    if pages and pages[0].text_source == "ocr":
        return settings.DOCUMENTS_OCR_DPI
    return settings.DOCUMENTS_PAGE_IMAGE_DPI
