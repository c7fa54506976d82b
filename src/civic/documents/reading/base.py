from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image


class Refused(Exception):
    """The document cannot be read; ``code`` is one of ``models.Refusal``."""

    def __init__(self, code: str, detail: str):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass
class PageReading:
    text: str
    source: str  # "text-layer" or "ocr"
    image: Image.Image  # what the caseworker sees: the page upright
    confidence: float | None = None  # OCR's mean word confidence, 0..1
    rotation: int = 0  # degrees (clockwise) the scan was turned to stand upright
    skew: float = 0.0  # degrees it was straightened by after that
    #: The page's words as ``[text, x0, y0, x1, y1]``, in pixels of ``image`` (redaction
    #: blacks out the boxes of personal data).
    words: list[list] = field(default_factory=list)
