"""Ink on a scan that the page's first reading left unread, looked at again for a personal
number or an IBAN.

Tesseract's layout analysis leaves out a block it takes for a picture: a framed block a stamp
crosses, a line a scribble runs through. Its words are then not in the reading at all, so no
label asks for the second look (``second_look.py``). The ink that no word's box covers gives
such bands of the page away. Each band is read again, enlarged, with only its dark ink kept (the
second look's last way, which drops a grey stamp), and a row that holds a valid personal number
or IBAN is added to the reading where it stands on the page. Nothing else of a band's reading is
taken, so a logo, a signature or a stamp read as letters changes nothing.

A kind of number is looked for only on a page that has no valid one of that kind: every look is
one more chance for a misread to pass the check digits by luck, and a page that holds such a
number has, most likely, the one it is about.
"""

from __future__ import annotations

import statistics

import numpy as np
import pytesseract
from PIL import Image

from civic.documents.reading.lines import Line, lines_read
from civic.documents.reading.second_look import DARK_INK, KINDS, dark_ink, valid_numbers

#: A pixel darker than this is ink (paper is near 255; a grey stamp, print and pen are darker).
INK = 160
#: A row of the page is unread when more of its pixels than this share of the page's width
#: are ink outside every word's box (a speck or the edge of a rule is not).
ROW_SHARE = 0.002
#: In heights of a line of the page's text: the gap of rows without unread ink that ends a
#: band, the least height of a band worth reading, the margin read around it and how far
#: around a word's box its ink may spread.
GAP, LEAST, MARGIN, SPREAD = 0.5, 0.3, 0.3, 0.1
#: At most this many bands a page are read again, those with the most unread ink first.
MAX_BANDS = 6
#: Of those, a band is read only with at least this much unread dark ink (in squares of a
#: line's height): a grey stamp over words the reading has is no text left out.
LEAST_DARK_INK = 0.5


def line_height(lines: list[Line]) -> float:
    """The median height of the words read on the page (0 with none)."""
    return statistics.median([w[4] - w[2] for line in lines for w in line.words] or [0])


def unread_bands(
    image: Image.Image, lines: list[Line], height: float | None = None
) -> list[tuple[int, int]]:
    """The bands of rows (top, bottom, in the page's pixels) holding ink no word covers, those
    with the most such ink first, at most ``MAX_BANDS``, and of those the ones with dark ink
    among it. ``height`` is the page's ``line_height``, when the caller has it."""
    words = [w for line in lines for w in line.words]
    if not words:
        return []
    height = line_height(lines) if height is None else height
    pixels = np.asarray(image.convert("L"), dtype=np.uint8)
    ink, dark = pixels < INK, pixels < DARK_INK
    spread = max(1, int(SPREAD * height))
    for _, x0, y0, x1, y1 in words:
        ink[max(0, y0 - spread) : y1 + spread, max(0, x0 - spread) : x1 + spread] = False
    dark &= ink
    per_row = ink.sum(axis=1)
    unread = per_row > max(6, ROW_SHARE * image.width)
    bands: list[tuple[int, int]] = []
    start = end = None
    for y in np.flatnonzero(unread):
        if start is not None and y - end > GAP * height:
            bands.append((start, end))
            start = None
        if start is None:
            start = y
        end = y
    if start is not None:
        bands.append((start, end))
    bands = [(int(a), int(b)) for a, b in bands if b - a >= LEAST * height]
    bands.sort(key=lambda band: -int(per_row[band[0] : band[1] + 1].sum()))
    return [
        (top, bottom)
        for top, bottom in bands[:MAX_BANDS]
        if dark[top : bottom + 1].sum() >= LEAST_DARK_INK * height * height
    ]


def lines_with_unread_numbers(image: Image.Image, lines: list[Line]) -> list[Line]:
    """``lines`` with, in their place on the page, the rows of unread ink that hold a valid
    personal number or IBAN of a kind the page has none of."""
    page = "\n".join(line.text for line in lines)
    missing = {kind for kind in KINDS if not valid_numbers(kind, page)}
    if not missing:
        return lines
    height = line_height(lines)
    margin = int(MARGIN * height)
    added: list[Line] = []
    for top, bottom in unread_bands(image, lines, height):
        top, bottom = max(0, top - margin), min(image.height, bottom + margin + 1)
        try:
            rows, _ = lines_read(
                dark_ink(image.crop((0, top, image.width, bottom))),
                config="--psm 6",
                scale=2,
                offset=(0, top),
            )
        except pytesseract.TesseractError:
            continue  # this band stays unread; the page's reading stands
        for row in rows:
            found = {kind for kind in missing if valid_numbers(kind, row.text)}
            if found:
                added.append(row)
                missing -= found
        if not missing:
            break
    result = list(lines)
    for row in added:  # before the first line, in reading order, that starts below it
        top = row.box[1]
        result.insert(
            next((i for i, line in enumerate(result) if line.box[1] > top), len(result)), row
        )
    return result
