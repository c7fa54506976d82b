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
        words = _words(page.get_textpage(), height, scale)
        return PageReading(text=text.strip(), source="text-layer", image=image, words=words)
    return scan_read(image)


def _words(textpage: pdfium.PdfTextPage, page_height: float, scale: float) -> list[list]:
    """The text layer's words with their boxes in pixels of the page image rendered at
    ``scale``: PDFium's character boxes (points, origin bottom left) gathered between spaces."""
    words: list[list] = []
    current: list = []

    def close() -> None:
        if current:
            text = "".join(ch for ch, _ in current)
            boxes = [box for _, box in current]
            left = min(b[0] for b in boxes)
            bottom = min(b[1] for b in boxes)
            right = max(b[2] for b in boxes)
            top = max(b[3] for b in boxes)
            words.append([
                text,
                round(left * scale),
                round((page_height - top) * scale),
                round(right * scale),
                round((page_height - bottom) * scale),
            ])  # fmt: skip
            current.clear()

    for index in range(textpage.count_chars()):
        ch = textpage.get_text_range(index, 1)
        if not ch or ch.isspace():
            close()
            continue
        current.append((ch, textpage.get_charbox(index)))
    close()
    return words
