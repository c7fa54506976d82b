"""Receiving and reading documents: stored once by their hash, read once, and every bad file
refused with a stored reason while the original is kept."""

from __future__ import annotations

import pytest

from civic.documents.models import Channel, Document, DocumentPage, Refusal, Status
from civic.documents.selectors import document_pages, document_text
from civic.documents.services import document_read, document_receive
from tests.documents import samples

pytestmark = pytest.mark.django_db


def _files(media):
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def test_the_same_bytes_received_twice_are_one_document_stored_once(media):
    data = samples.letter_pdf([samples.ENGLISH])
    first, created = document_receive(data=data, original_name="a.pdf", channel=Channel.PORTAL)
    again, created_again = document_receive(
        data=data, original_name="copy of a.pdf", channel=Channel.EMAIL
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and Document.objects.count() == 1
    assert _files(media) == [f"documents/{first.sha256[:2]}/{first.sha256}/original"]
    assert first.size == len(data) and first.status == Status.RECEIVED


def test_a_read_document_has_its_pages_text_and_images_and_is_not_read_again(media):
    data = samples.letter_pdf([samples.ENGLISH, samples.DUTCH])
    document, _ = document_receive(data=data, original_name="letter", channel=Channel.PORTAL)
    document = document_read(document=document)
    assert document.status == Status.PROCESSED
    assert document.media_type == "application/pdf"  # from the content; the name has no suffix
    assert document.pages == 1
    (page,) = document_pages(document=document)
    assert page.text_source == "text-layer"
    assert document_text(document=document) == f"{samples.ENGLISH}\n{samples.DUTCH}"
    assert page.image.read(8) == b"\x89PNG\r\n\x1a\n"
    read_at = document.processed_at
    assert document_read(document=document).processed_at == read_at
    assert DocumentPage.objects.count() == 1


def test_a_pdf_locked_only_against_printing_is_read(media):
    data = samples.letter_pdf([samples.ENGLISH], encrypt_with="", owner_password="owner")
    document, _ = document_receive(data=data, original_name="a.pdf", channel=Channel.PORTAL)
    document = document_read(document=document)
    assert document.status == Status.PROCESSED
    assert document_text(document=document) == samples.ENGLISH


REFUSALS = [
    ("empty.pdf", b"", Refusal.EMPTY),
    ("locked.pdf", samples.letter_pdf([samples.ENGLISH], encrypt_with="secret"), Refusal.ENCRYPTED),
    ("broken.pdf", samples.corrupt_pdf(), Refusal.CORRUPT),
    ("wide.png", samples.wide_image(20_000), Refusal.TOO_LARGE),
    ("bomb.png", samples.decompression_bomb(), Refusal.BOMB),
    ("invoice.pdf", samples.zip_named_pdf(), Refusal.TYPE_MISMATCH),
    ("payslip.pdf", samples.EXECUTABLE, Refusal.TYPE_MISMATCH),
    ("notes.docx", samples.zip_named_pdf() + b"x", Refusal.UNSUPPORTED),
]


@pytest.mark.parametrize(("name", "data", "reason"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_bad_file_is_refused_with_its_reason_and_kept(media, name, data, reason):
    document, _ = document_receive(data=data, original_name=name, channel=Channel.STAFF_UPLOAD)
    document = document_read(document=document)
    document.refresh_from_db()
    assert document.status == Status.REFUSED
    assert document.refusal_reason == reason
    assert document.refusal_detail
    assert not document_pages(document=document).exists()
    assert document.file.read() == data  # the original stays, for a person to look at
    assert _files(media) == [document.file.name]  # and no page image is left behind


def test_pillows_bomb_limit_is_civics_setting(media, settings):
    settings.DOCUMENTS_MAX_IMAGE_PIXELS = 1_000_000
    from PIL import Image

    data = samples.encoded(Image.new("L", (1_200, 1_000), 255))
    document, _ = document_receive(data=data, original_name="a.png", channel=Channel.PORTAL)
    assert document_read(document=document).refusal_reason == Refusal.BOMB
    assert Image.MAX_IMAGE_PIXELS == 1_000_000
