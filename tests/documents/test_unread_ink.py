"""Ink a scan's first reading left unread: a band of the page tesseract took for a picture is
read again, and a row holding a valid personal number or IBAN the page lacks is added where it
stands. Nothing else of such a band is taken."""

from __future__ import annotations

import pytesseract
from PIL import ImageDraw

import civic.documents.reading.unread_ink as unread_ink
from civic.documents.extraction.identifiers import ibans, personal_numbers
from civic.documents.reading.ocr import scan_read, text_of
from civic.documents.reading.unread_ink import lines_with_unread_numbers, unread_bands
from civic.documents.training.generate import sample_make
from tests.documents import samples

IBAN = "NL29INGB0885123819"


def _text(lines) -> str:
    return "\n".join(line.text for line in lines)


def _letter_missing_its_iban_line():
    """A letter's scan and its reading without the IBAN's line, as when tesseract leaves a
    block out."""
    image = samples.scan_image(
        [
            "Huurovereenkomst",
            "Rekening voor de huur NL29 INGB 0885 1238 19",
            "Met vriendelijke groet",
        ]
    )
    read, _ = text_of(image)
    assert ibans(_text(read))[0].value == IBAN
    return image, [line for line in read if "INGB" not in line.text]


def test_a_line_the_reading_left_out_gives_its_iban_back_where_it_stands():
    image, without = _letter_missing_its_iban_line()
    assert unread_bands(image, without)  # the line's ink is covered by no word
    looked = lines_with_unread_numbers(image, without)
    assert [m.value for m in ibans(_text(looked))] == [IBAN]
    assert looked[0] == without[0] and looked[2] == without[1]  # in its place, the rest as read
    box = looked[1].box
    assert without[0].box[3] <= box[1] and box[3] <= without[1].box[1]


def test_a_logo_or_a_scribble_read_again_changes_nothing():
    image = samples.scan_image(["Gemeente Havenstad", "Uw aanvraag is ontvangen."])
    draw = ImageDraw.Draw(image)
    draw.rectangle([1900, 120, 2150, 370], fill=0)  # a logo
    draw.line([(300, 900), (900, 960), (1400, 880)], fill=30, width=8)  # a signature
    read, _ = text_of(image)
    assert len(unread_bands(image, read)) >= 2
    assert lines_with_unread_numbers(image, read) == read


def test_a_page_with_both_kinds_of_number_is_not_read_again(monkeypatch):
    image = samples.scan_image(["BSN 123456782", f"IBAN {IBAN}"])
    read, _ = text_of(image)
    draw = ImageDraw.Draw(image)
    draw.rectangle([1900, 120, 2150, 370], fill=0)
    calls = []
    monkeypatch.setattr(pytesseract, "image_to_data", lambda *a, **k: calls.append(1))
    assert lines_with_unread_numbers(image, read) == read
    assert calls == []


def test_a_band_tesseract_fails_on_leaves_the_reading_as_it_was(monkeypatch):
    image, without = _letter_missing_its_iban_line()

    def fails(*args, **kwargs):
        raise pytesseract.TesseractError(1, "failed")

    monkeypatch.setattr(unread_ink, "lines_read", fails)
    assert lines_with_unread_numbers(image, without) == without


def test_a_framed_block_a_stamp_crosses_gives_its_personal_number_back(settings):
    # Sample 689 of the training corpus (seed 17): a certified copy of a passport whose framed
    # block of details a grey stamp crosses. Tesseract leaves the whole block out, label and
    # number; read again from its dark ink, the personal number's row comes back.
    sample = sample_make(17, 689)
    assert sample.truth["fields"]["personal_number"] == "955151892"
    assert [m.value for m in personal_numbers(scan_read(sample.scan).text)] == ["955151892"]
    settings.DOCUMENTS_OCR_UNREAD_INK = False  # an operator who wants speed over such finds
    assert personal_numbers(scan_read(sample.scan).text) == []
