"""The second look at a scan's lines where a personal number or an IBAN should stand: read again,
enlarged, the strip often gives the number whole that the page's first reading broke. It
replaces the first reading only with a valid number the page did not have."""

from __future__ import annotations

import pytesseract
from PIL import Image

from civic.documents.extraction.identifiers import ibans, personal_numbers
from civic.documents.reading.lines import Line
from civic.documents.reading.ocr import scan_read, text_of
from civic.documents.reading.second_look import LOOKS, MAX_LOOKS, lines_looked_at_again
from civic.documents.training.generate import sample_make
from tests.documents import samples

IBAN = "NL29INGB0885123819"
OTHER_IBAN = "NL91ABNA0417164300"


def _page(lines: list[str]):
    image = samples.scan_image(lines)
    read, _ = text_of(image)
    return image, read


def _broken(lines: list[Line], index: int, text: str) -> list[Line]:
    """The page's reading with line ``index`` read as ``text`` (as OCR breaks a number)."""
    return [Line(text, line.words) if i == index else line for i, line in enumerate(lines)]


def test_a_broken_iban_is_read_whole_by_the_second_look():
    image, read = _page(["Huurovereenkomst", "Rekening voor de huur NL29 INGB 0885 1238 19"])
    broken = _broken(read, 1, "Rekening voor de huur NLS29INGB885 1238 19")
    looked = lines_looked_at_again(image, broken)
    text = "\n".join(line.text for line in looked)
    assert [m.value for m in ibans(text)] == [IBAN]
    assert looked[0].text == read[0].text  # the lines around it are as first read
    box = next(w for line in looked for w in line.words if w[0].startswith("NL29"))
    assert 0 <= box[1] < box[3] <= image.width and 0 <= box[2] < box[4] <= image.height


def test_a_personal_number_missing_a_digit_is_read_again_under_its_label():
    image, read = _page(["Uittreksel", "Burgerservicenummer", "123456782"])
    broken = _broken(read, 2, "12345 782")
    text = "\n".join(line.text for line in lines_looked_at_again(image, broken))
    assert [m.value for m in personal_numbers(text)] == ["123456782"]


def test_a_line_with_a_valid_number_or_none_promised_is_left_as_first_read():
    # The first reading holds a valid IBAN (another than the page shows: as if OCR had misread
    # it into a valid one): no second look overrules it. The letter's sentence names no number.
    image, read = _page(["Please find enclosed my objection.", f"IBAN {OTHER_IBAN}"])
    first = _broken(read, 1, f"IBAN {OTHER_IBAN}")
    assert lines_looked_at_again(image, first) == first


def test_when_the_second_look_finds_no_valid_number_the_first_reading_stands():
    image, read = _page(["Huurovereenkomst", "Rekening voor de huur NL29 INGB 0885 1238 18"])
    assert not ibans("\n".join(line.text for line in read))  # one digit wrong on the page
    assert lines_looked_at_again(image, read) == read


def test_a_page_of_labels_gets_only_a_few_second_looks(monkeypatch):
    lines = [f"BSN {n}" for n in range(MAX_LOOKS + 3)]
    image, read = _page(lines)
    reads = []
    real = pytesseract.image_to_data
    monkeypatch.setattr(
        pytesseract, "image_to_data", lambda *a, **k: reads.append(1) or real(*a, **k)
    )
    # Nothing valid anywhere: every line asks for a look, and every look is taken in full.
    assert lines_looked_at_again(image, read) == read
    assert len(reads) == MAX_LOOKS * len(LOOKS)


def test_a_death_record_whose_first_reading_lost_a_digit_of_the_number_gives_it_whole():
    # Sample 422 of the training corpus (seed 17): tesseract's first reading of the degraded
    # scan gives "Personal number 76399238", eight digits; the second look gives all nine.
    sample = sample_make(17, 422)
    page = scan_read(sample.scan)
    assert sample.truth["fields"]["personal_number"] == "776399238"
    assert [m.value for m in personal_numbers(page.text)] == ["776399238"]
    assert any(word[0].endswith("776399238") for word in page.words)


def test_a_speck_read_as_a_line_is_not_read_again(monkeypatch):
    image = Image.new("L", (600, 200), 255)
    speck = [Line("BSN", [["BSN", 10, 100, 14, 101]])]
    reads = []
    monkeypatch.setattr(pytesseract, "image_to_data", lambda *a, **k: reads.append(1))
    assert lines_looked_at_again(image, speck) == speck
    assert reads == []


def test_a_number_under_a_grey_stamp_is_read_from_the_dark_ink_alone(monkeypatch, settings):
    # Sample 154 of the training corpus (seed 17): a scanned identity card whose personal number
    # a grey stamp crosses. Enlarged, smoothed or as scattered words, the strip still gives
    # eight digits between a table's rules ("| 14409420 |"); with only the dark ink kept, the
    # stamp is gone and the number reads whole.
    sample = sample_make(17, 154)
    assert sample.truth["fields"]["personal_number"] == "144014294"
    page = scan_read(sample.scan)
    assert [m.value for m in personal_numbers(page.text)] == ["144014294"]

    import civic.documents.reading.second_look as second_look

    monkeypatch.setattr(second_look, "LOOKS", [look for look in LOOKS if look[0] != "dark ink"])
    # The number's unread ink beside the label would give it back too (``unread_ink.py``).
    settings.DOCUMENTS_OCR_UNREAD_INK = False
    assert personal_numbers(scan_read(sample.scan).text) == []


def test_the_dark_ink_look_is_not_taken_where_the_page_has_a_valid_number_of_the_kind():
    # Sample 63 (seed 17): a death record whose value column OCR reads apart from its labels,
    # so "BSN" stands alone while the page holds the number, valid, lines further on. The
    # dark-ink look at the label's strip read a valid but wrong 770652967; it is not taken.
    sample = sample_make(17, 63)
    page = scan_read(sample.scan)
    assert [m.value for m in personal_numbers(page.text)] == ["776651067"]
