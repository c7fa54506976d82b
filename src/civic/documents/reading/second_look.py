"""A second, closer look at the lines of a scan where a personal number or an IBAN should
stand but none with valid check digits was read.

Tesseract reads a whole page with one page-segmentation guess. Around a stamp, a table's
rules or a faint print it can split a number, drop a digit or read a letter into it, and the
check digits then rightly refuse what it read. Read again on its own, enlarged, as one block of
text, the same strip of the page often gives the number whole. Only lines that name such a
number ("BSN", "IBAN", "rekening") or start an IBAN ("NL.. ABNA") without a valid one beside
them are read again, at most a few per page, so a page that needs no second look costs
nothing more.

Only when the second look finds a valid number that the first reading had not does it change
the reading, and then only where the number stands: its words replace the first reading's
words under them (redaction blacks out their boxes), and the rest of the line (its label,
another column) stays as first read.
"""

from __future__ import annotations

import re

import pytesseract
from PIL import Image, ImageFilter

from civic.documents.extraction.identifiers import ibans, personal_numbers
from civic.documents.extraction.labels import LABELS
from civic.documents.reading.lines import Line, lines_read

#: Lines that say a personal number stands here, also as OCR garbles the long Dutch word.
_NAMES_A_PERSONAL_NUMBER = re.compile(
    rf"{LABELS['personal_number']}|persoonsnummer|burgerservice\w*|citizen service|"
    r"\bpersonal\s+(?:no\b|nu\w*)",
    re.I,
)
#: Lines that say an IBAN stands here, or that start one ("NL59 INGB", "NLS59INGB").
_NAMES_AN_IBAN = re.compile(
    r"\biban\b|\brekening(?:nummer)?\b|\baccount\s*(?:number|no\.?)?\s*:?\s*$|"
    r"\b(?:to|from|for the rent)\s+account\b|\bN[L1I]\W?\w?\d{2}\s?[A-Z]{4}",
    re.I,
)
#: A page whose every other line names a number is a form or a list: a few looks are enough.
MAX_LOOKS = 4
#: The strip read again: the line and the one under it (a value may stand below its label),
#: with this share of a line's height above and below.
MARGIN = 0.6
#: The least height, in pixels, a strip needs to be worth reading again.
MIN_HEIGHT = 4
#: Ways of looking again, tried in turn until one gives a valid number: enlarged, as one block
#: of text; then also smoothed (specks and a stamp's grain); then as scattered words; then with
#: only the dark ink kept (a grey stamp across the number dropped).
LOOKS = (
    ("enlarged", "--psm 6"),
    ("smoothed", "--psm 6"),
    ("enlarged", "--psm 11"),
    ("dark ink", "--psm 6"),
)
#: The grey level (0 black, 255 white) below which a pixel is printed ink. A stamp scanned in
#: grey (a red or blue one, or a grey one) is lighter than the printed text it covers; so is
#: the text under it, but less so. 80 keeps the text under the stamps of the corpus and drops
#: the stamp: on the pages where the other looks fail, 60 and 100 each lose one of the three
#: numbers it finds.
DARK_INK = 80


#: The kinds of number looked for again.
KINDS = ("personal-number", "iban")


def valid_numbers(kind: str, text: str) -> set[str]:
    """The numbers of ``kind`` in ``text`` whose check digits hold."""
    found = personal_numbers(text) if kind == "personal-number" else ibans(text)
    return {match.value for match in found}


def _wanted(lines: list[Line], index: int) -> str | None:
    """The kind of number line ``index`` promises and the line and the next do not give."""
    here = "\n".join(line.text for line in lines[index : index + 2])
    for kind, names in (("personal-number", _NAMES_A_PERSONAL_NUMBER), ("iban", _NAMES_AN_IBAN)):
        if names.search(lines[index].text) and not valid_numbers(kind, here):
            return kind
    return None


def _strip_rows(image: Image.Image, box: tuple[int, int, int, int], kind: str, known: set[str]):
    """The rows of words (in the page's pixels) of the strip's reading that hold a valid number
    of ``kind`` not among ``known``; empty when no look at the strip gives one."""
    left, top = box[:2]
    strip = image.crop(box)
    enlarged = strip.resize((strip.width * 2, strip.height * 2), Image.LANCZOS)
    # Each look's image is made only when the looks before it gave nothing.
    images = {
        "enlarged": lambda: enlarged,
        "smoothed": lambda: enlarged.filter(ImageFilter.MedianFilter(3)),
        "dark ink": lambda: dark_ink(strip),
    }
    for name, config in LOOKS:
        if name == "dark ink" and known:
            # Each look is one more chance for a misread to pass the check digits by luck (one
            # in eleven for a personal number): the roughest look is taken only for a page that
            # has no valid number of the kind at all. With one elsewhere (a record's value in
            # a column of its own), the look read 776651067 as a valid 770652967.
            continue
        try:
            rows, _ = lines_read(images[name](), config=config, scale=2, offset=(left, top))
        except pytesseract.TesseractError:
            continue  # a look that fails is one look fewer; the first reading still stands
        found = [row.words for row in rows if valid_numbers(kind, row.text) - known]
        if found:
            return found
    return []


def dark_ink(strip: Image.Image) -> Image.Image:
    """The strip with only its darkest ink kept, enlarged twice and smoothed."""
    ink = strip.point(lambda level: 0 if level < DARK_INK else 255)
    enlarged = ink.resize((strip.width * 2, strip.height * 2), Image.LANCZOS)
    return enlarged.filter(ImageFilter.MedianFilter(3))


def _merged(line: Line, row: list[list]) -> Line:
    """``line`` with the words under ``row``'s span replaced by ``row``: what the first reading
    read beside the number (its label, another column) stays as it was."""
    left, right = min(w[1] for w in row), max(w[3] for w in row)
    kept = [w for w in line.words if w[3] <= left or w[1] >= right]
    words = sorted([*kept, *row], key=lambda w: w[1])
    return Line(" ".join(w[0] for w in words), words)


def lines_looked_at_again(image: Image.Image, lines: list[Line]) -> list[Line]:
    """``lines`` with those that promised a number and gave none valid read again: where the
    strip of such a line and the next holds a valid new number, the line the number stands on
    takes the strip's reading of it."""
    page = "\n".join(line.text for line in lines)
    result = list(lines)
    looks = 0
    for index in range(len(lines)):
        kind = _wanted(lines, index) if looks < MAX_LOOKS else None
        if kind is None:
            continue
        looks += 1
        covered = [index]
        height = lines[index].box[3] - lines[index].box[1]
        if (
            index + 1 < len(lines)
            and 0 <= lines[index + 1].box[1] - lines[index].box[3] <= 2 * height
        ):
            covered.append(index + 1)  # a value may stand under its label
        boxes = [lines[i].box for i in covered]
        strip = (
            0,
            max(0, min(box[1] for box in boxes) - int(MARGIN * height)),
            image.width,
            min(image.height, max(box[3] for box in boxes) + int(MARGIN * height)),
        )
        if strip[3] - strip[1] < 2 * MIN_HEIGHT:
            continue  # a line of no height (a speck read as a word) has nothing to read again
        for row in _strip_rows(image, strip, kind, valid_numbers(kind, page)):
            middle = (min(w[2] for w in row) + max(w[4] for w in row)) / 2
            nearest = min(covered, key=lambda i: abs(sum(lines[i].box[1::2]) / 2 - middle))
            result[nearest] = _merged(result[nearest], row)
    return result
