"""Tesseract's reading of an image as lines of words with their boxes: what the page's reading
(``ocr.py``) and the second look at a strip of it (``second_look.py``) both take from it."""

from __future__ import annotations

from dataclasses import dataclass

import pytesseract
from django.conf import settings
from PIL import Image


@dataclass
class Line:
    text: str
    words: list[list]  # ``[text, x0, y0, x1, y1]`` in the page image's pixels

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (
            min(w[1] for w in self.words),
            min(w[2] for w in self.words),
            max(w[3] for w in self.words),
            max(w[4] for w in self.words),
        )


def lines_read(
    image: Image.Image, *, config: str = "", scale: int = 1, offset: tuple[int, int] = (0, 0)
) -> tuple[list[Line], float | None]:
    """The lines tesseract reads in ``image`` and its mean word confidence (0..1). Boxes are
    given in the page's pixels: ``image`` is the page, or a part of it enlarged ``scale`` times
    whose top left corner stands at ``offset`` on the page."""
    data = pytesseract.image_to_data(
        image,
        lang=settings.DOCUMENTS_OCR_LANGUAGES,
        config=config,
        output_type=pytesseract.Output.DICT,
    )
    left, top = offset
    lines: dict[tuple[int, int, int], list[list]] = {}
    confidences = []
    for i, word in enumerate(data["text"]):
        if not word.strip():
            continue
        x0, y0 = data["left"][i], data["top"][i]
        x1, y1 = x0 + data["width"][i], y0 + data["height"][i]
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(
            [word, left + x0 // scale, top + y0 // scale, left + x1 // scale, top + y1 // scale]
        )
        confidence = float(data["conf"][i])
        if confidence >= 0:
            confidences.append(confidence)
    mean = round(sum(confidences) / len(confidences) / 100, 3) if confidences else None
    return [Line(" ".join(w[0] for w in words), words) for words in lines.values()], mean
