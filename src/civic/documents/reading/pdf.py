"""PDFs through PDFium: a page's text layer when it has one, else the page rendered and OCR'd."""

from __future__ import annotations

from collections.abc import Iterator

import pypdfium2 as pdfium
from django.conf import settings

from civic.documents.models import Refusal
from civic.documents.reading.base import PageReading, Refused
from civic.documents.reading.images import size_check
from civic.documents.reading.ocr import scan_read

#: PDFium's FPDF_ERR_PASSWORD: the document needs a password to open.
PDFIUM_PASSWORD_ERROR = 4
POINTS_PER_INCH = 72


def _opened(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == PDFIUM_PASSWORD_ERROR:
            raise Refused(Refusal.ENCRYPTED, "it needs a password to open") from None
        raise Refused(Refusal.CORRUPT, str(error)) from None


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def pdf_pages(data: bytes) -> Iterator[PageReading]:
    document = _opened(data)
    try:
        if len(document) == 0:
            raise Refused(Refusal.CORRUPT, "the PDF has no pages")
        for index in range(len(document)):
            yield _page_read(document, index)
    finally:
        document.close()


def _page_read(document: pdfium.PdfDocument, index: int) -> PageReading:
    try:
        page = document[index]
        width, height = page.get_size()
        text = page.get_textpage().get_text_bounded().replace("\r\n", "\n")
    except pdfium.PdfiumError as error:
        raise Refused(Refusal.CORRUPT, f"page {index + 1}: {error}") from None
    ocr_scale = settings.DOCUMENTS_OCR_DPI / POINTS_PER_INCH
    size_check(round(width * ocr_scale), round(height * ocr_scale))
    has_text = _letters(text) >= settings.DOCUMENTS_MIN_TEXT_LAYER_CHARS
    scale = settings.DOCUMENTS_PAGE_IMAGE_DPI / POINTS_PER_INCH if has_text else ocr_scale
    try:
        image = page.render(scale=scale, grayscale=True).to_pil()
    except pdfium.PdfiumError as error:
        raise Refused(Refusal.CORRUPT, f"page {index + 1}: {error}") from None
    if has_text:
        return PageReading(text=text.strip(), source="text-layer", image=image)
    return scan_read(image)
