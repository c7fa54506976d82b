"""Reading pages: the PDF text layer as it is, scans through tesseract in Dutch and English,
turned upright and straightened first. OCR is compared with tolerance (rapidfuzz's ratio),
as a caseworker would read it: the sentence is there, near enough letter for letter."""

from __future__ import annotations

import io

from rapidfuzz import fuzz

from civic.documents.reading import document_pages_read
from tests.documents import samples


def _pages(data: bytes, name: str):
    media_type, pages = document_pages_read(data, name)
    return media_type, list(pages)


def test_a_pdf_with_a_text_layer_is_read_from_it_without_ocr():
    media_type, pages = _pages(samples.letter_pdf([samples.ENGLISH, samples.DUTCH]), "a.pdf")
    assert media_type == "application/pdf"
    assert len(pages) == 1
    assert pages[0].source == "text-layer"
    assert pages[0].text == f"{samples.ENGLISH}\n{samples.DUTCH}"
    assert pages[0].confidence is None
    assert pages[0].image.width > 0  # a picture of the page for the caseworker


def test_ocr_reads_an_english_and_a_dutch_sentence_from_a_scan():
    scan = samples.encoded(samples.scan_image([samples.ENGLISH, samples.DUTCH]))
    media_type, pages = _pages(scan, "scan.png")
    assert media_type == "image/png"
    (page,) = pages
    assert page.source == "ocr"
    english, dutch = page.text.splitlines()[:2]
    assert fuzz.ratio(english, samples.ENGLISH) >= 95, english
    assert fuzz.ratio(dutch, samples.DUTCH) >= 95, dutch
    assert page.confidence > 0.8


def test_a_scan_lying_on_its_side_and_skewed_is_turned_upright_and_straightened():
    # Turned a quarter anticlockwise and then 2 degrees further, as a careless scan would be.
    crooked = samples.scan_image([samples.ENGLISH, samples.DUTCH], skew=2.0, rotate=90)
    (page,) = _pages(samples.encoded(crooked, "JPEG"), "scan.jpg")[1]
    assert page.rotation == 90
    assert abs(page.skew + 2.0) <= 0.5
    assert page.image.height > page.image.width  # the kept image stands upright
    assert fuzz.partial_ratio(samples.ENGLISH, page.text) >= 95, page.text
    assert fuzz.partial_ratio(samples.DUTCH, page.text) >= 95, page.text


def test_a_pdf_holding_only_a_scanned_image_is_read_by_ocr():
    (page,) = _pages(samples.scan_pdf([samples.ENGLISH]), "scanned.pdf")[1]
    assert page.source == "ocr"
    assert fuzz.partial_ratio(samples.ENGLISH, page.text) >= 95, page.text


def test_every_frame_of_a_tiff_is_a_page():
    first = samples.scan_image([samples.ENGLISH], dpi=200)
    second = samples.scan_image([samples.DUTCH], dpi=200)
    buffer = io.BytesIO()
    first.save(buffer, format="TIFF", save_all=True, append_images=[second])
    media_type, pages = _pages(buffer.getvalue(), "fax.tif")
    assert media_type == "image/tiff"
    assert [
        fuzz.partial_ratio(s, p.text) >= 90
        for s, p in zip((samples.ENGLISH, samples.DUTCH), pages, strict=True)
    ] == [True, True]


def test_an_upside_down_scan_orientation_detection_missed_is_still_read_upright(monkeypatch):
    # OSD misses a noisy or stamped page now and then and leaves it as it came; the reading's
    # low confidence makes Civic read it the other ways round and keep the one it is sure of.
    from civic.documents.reading import ocr

    monkeypatch.setattr(ocr, "orientation_of", lambda image: 0)
    upside_down = samples.scan_image([samples.ENGLISH, samples.DUTCH], rotate=180)
    (page,) = _pages(samples.encoded(upside_down), "scan.png")[1]
    assert page.rotation == 180
    assert page.confidence > 0.8
    assert fuzz.partial_ratio(samples.ENGLISH, page.text) >= 95, page.text
