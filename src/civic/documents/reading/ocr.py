"""Scans read by tesseract: turned upright (tesseract's orientation detection), straightened
(a projection-profile search for the skew angle) and read with the configured languages."""

from __future__ import annotations

import numpy as np
import pytesseract
from django.conf import settings
from PIL import Image, ImageOps

from civic.documents.reading.base import PageReading
from civic.documents.reading.lines import Line, lines_read
from civic.documents.reading.second_look import lines_looked_at_again
from civic.documents.reading.unread_ink import lines_with_unread_numbers

#: Skew angles tried, in degrees; scanners and phones rarely skew a page more than this.
SKEW_LIMIT = 5.0
SKEW_STEP = 0.25
#: OSD's confidence below which its answer is ignored (a page with little text, a photo).
ORIENTATION_MIN_CONFIDENCE = 1.5
#: OSD tells a page's orientation as well at half of 300 dpi, in less than half the time.
OSD_MAX_SIDE = 2_000
#: A reading whose mean word confidence is below this may be of a page lying the wrong way
#: round that OSD did not see (noise, stamps, a blurred scan): the other three ways are read
#: too, and one is kept only if tesseract is that much surer of it.
RETRY_BELOW_CONFIDENCE = 0.6
RETRY_MARGIN = 0.15


def orientation_of(image: Image.Image) -> int:
    """Degrees (0, 90, 180, 270) clockwise that turn the page upright."""
    if max(image.size) > OSD_MAX_SIDE:
        image = image.reduce(2)
    try:
        osd = pytesseract.image_to_osd(
            image, config="--psm 0 -c min_characters_to_try=10", output_type=pytesseract.Output.DICT
        )
    except pytesseract.TesseractError:
        return 0  # too few characters to tell: leave it as it came
    if osd.get("orientation_conf", 0) < ORIENTATION_MIN_CONFIDENCE:
        return 0
    return int(osd.get("rotate", 0)) % 360


def _ink(image: Image.Image) -> np.ndarray:
    small = image.copy()
    small.thumbnail((800, 800))
    pixels = np.asarray(small, dtype=np.uint8)
    return (pixels < 128).astype(np.uint8) * 255


def skew_of(image: Image.Image) -> float:
    """The angle (degrees, counter-clockwise) that makes the text lines level: the one whose
    rows of ink are most sharply separated (largest variance of the row sums)."""
    ink = Image.fromarray(_ink(image))
    if not np.asarray(ink).any():
        return 0.0

    def sharpness(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.NEAREST, expand=True)).sum(axis=1)
        return float(np.var(rows.astype(np.float64)))

    angles = np.arange(-SKEW_LIMIT, SKEW_LIMIT + SKEW_STEP / 2, SKEW_STEP)
    best = max(angles, key=sharpness)
    return 0.0 if abs(best) < SKEW_STEP / 2 else round(float(best), 2)


def text_of(image: Image.Image) -> tuple[list[Line], float | None]:
    """The page's lines of words and tesseract's mean word confidence (0..1)."""
    return lines_read(image)


def _read_turned(gray: Image.Image, rotation: int) -> tuple:
    """The page turned ``rotation`` degrees clockwise, straightened and read: (image, skew,
    lines, confidence)."""
    if rotation:
        gray = gray.rotate(-rotation, expand=True)  # OSD counts clockwise; PIL the other way
    skew = skew_of(gray)
    if skew:
        gray = gray.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    return (gray, skew, *text_of(gray))


def scan_read(image: Image.Image) -> PageReading:
    gray = ImageOps.exif_transpose(image).convert("L")
    rotation = orientation_of(gray)
    upright, skew, lines, confidence = _read_turned(gray, rotation)
    if confidence is None or confidence < RETRY_BELOW_CONFIDENCE:
        # OSD may have missed a page on its side or upside down: read the other three ways
        # and keep the one tesseract is clearly surer of.
        best = confidence or 0.0
        for turn in (180, 90, 270):
            other = (rotation + turn) % 360
            reading = _read_turned(gray, other)
            if reading[3] is not None and reading[3] >= best + RETRY_MARGIN:
                best = reading[3]
                rotation, (upright, skew, lines, confidence) = other, reading
    lines = lines_looked_at_again(upright, lines)
    if settings.DOCUMENTS_OCR_UNREAD_INK:
        lines = lines_with_unread_numbers(upright, lines)
    return PageReading(
        text="\n".join(line.text for line in lines),
        source="ocr",
        image=upright,
        confidence=confidence,
        rotation=rotation,
        skew=skew,
        words=[word for line in lines for word in line.words],
    )
