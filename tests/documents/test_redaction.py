"""Extraction and detection in the pipeline, and redacted PDFs: the document keeps its fields
and findings, the backlog report shows them, and a redacted copy has no text left and black
where the personal data stood."""

from __future__ import annotations

import io
import json

import numpy as np
import pypdfium2 as pdfium
import pytest
from django.conf import settings
from django.core.management import call_command
from PIL import Image

from civic.documents.models import Channel, DocumentPage
from civic.documents.personal_data import PersonRecord
from civic.documents.redaction import PADDING, RedactionImpossible
from civic.documents.services import document_read, document_receive, document_redacted_pdf
from tests.documents import samples

LINES = [
    "Anna de Vries, Kerkstraat 12, 1234 AB Havenstad",
    "BSN 123456782",
    "IBAN NL91 ABNA 0417 1643 00",
    "E-mail anna@example.nl",
    "Our neighbour Jan Jansen agrees.",
]
ANNA = PersonRecord(given_names="Anna", surname="de Vries", street="Kerkstraat 12")


def _read(data: bytes, name: str):
    document, _ = document_receive(data=data, original_name=name, channel=Channel.BACKLOG)
    return document_read(document=document)


def _pages(pdf: bytes, dpi: int) -> tuple[list[str], list[np.ndarray]]:
    document = pdfium.PdfDocument(pdf)
    texts = [document[i].get_textpage().get_text_bounded() for i in range(len(document))]
    images = [
        np.asarray(document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
        for i in range(len(document))
    ]
    document.close()
    return texts, images


def _inside(image: np.ndarray, box) -> np.ndarray:
    x0, y0, x1, y1 = box
    return image[y0 - PADDING + 1 : y1 + PADDING - 1, x0 - PADDING + 1 : x1 + PADDING - 1]


@pytest.mark.django_db
def test_a_text_layer_document_keeps_its_fields_and_findings_and_redacts_to_no_text(media):
    document = _read(samples.letter_pdf(LINES), "letter.pdf")
    assert document.fields == {"personal_number": "123456782", "iban": "NL91ABNA0417164300"}
    found = {(f["kind"], f["text"]) for f in document.personal_data}
    assert found == {
        ("personal-number", "123456782"),
        ("iban", "NL91 ABNA 0417 1643 00"),
        ("email", "anna@example.nl"),
    }
    assert all(f["boxes"] and f["page"] == 1 for f in document.personal_data)

    pdf = document_redacted_pdf(document=document, person=ANNA)
    texts, (image,) = _pages(pdf, settings.DOCUMENTS_PAGE_IMAGE_DPI)
    assert texts == [""]  # an image-only PDF: no text survives
    page = DocumentPage.objects.get(document=document)
    with page.image.open("rb") as handle:
        original = np.asarray(Image.open(io.BytesIO(handle.read())).convert("L"))
    assert abs(image.shape[0] - original.shape[0]) <= 1  # PDFium may round a pixel
    for finding in document.personal_data:
        for box in finding["boxes"]:
            assert _inside(original, box).min() < 100  # there was ink…
            assert _inside(image, box).max() < 40  # …and now it is black
    # With her register records her name and street are blacked out too, a stranger's not.
    words = {word[0].strip(","): word[1:] for word in page.words}
    for name in ("Anna", "Vries", "Kerkstraat"):
        assert _inside(image, words[name]).max() < 40, name
    assert _inside(image, words["Jansen"]).max() > 200


@pytest.mark.django_db
def test_a_scan_is_redacted_over_tesseracts_word_boxes(media):
    scan = samples.encoded(samples.scan_image(["Geachte heer,", "BSN 123456782", "Groet"]))
    document = _read(scan, "scan.png")
    assert document.fields == {"personal_number": "123456782"}
    (finding,) = document.personal_data
    assert finding["kind"] == "personal-number" and finding["boxes"]
    page = DocumentPage.objects.get(document=document)
    assert any(word[0] == "Geachte" for word in page.words)
    pdf = document_redacted_pdf(document=document)
    texts, (image,) = _pages(pdf, settings.DOCUMENTS_OCR_DPI)
    assert texts == [""]
    for box in finding["boxes"]:
        assert _inside(image, box).max() < 40


@pytest.mark.django_db
def test_redaction_is_refused_when_it_cannot_cover_everything(media):
    refused = _read(b"", "empty.pdf")
    with pytest.raises(RedactionImpossible):
        document_redacted_pdf(document=refused)
    document = _read(samples.letter_pdf(LINES), "letter.pdf")
    DocumentPage.objects.filter(document=document).update(words=[])  # read before boxes were kept
    with pytest.raises(RedactionImpossible, match="page 1"):
        document_redacted_pdf(document=document)


@pytest.mark.django_db
def test_the_backlog_report_has_each_files_fields_and_personal_data(media, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "letter.pdf").write_bytes(samples.letter_pdf(LINES))
    report = tmp_path / "report.json"
    call_command("documents", "process", folder=folder, report=report, no_progress=True)
    (row,) = json.loads(report.read_text(encoding="utf-8"))
    assert row["fields"] == {"personal_number": "123456782", "iban": "NL91ABNA0417164300"}
    assert row["personal_data"] == [
        {"kind": "personal-number", "text": "123456782", "page": 1},
        {"kind": "iban", "text": "NL91 ABNA 0417 1643 00", "page": 1},
        {"kind": "email", "text": "anna@example.nl", "page": 1},
    ]
