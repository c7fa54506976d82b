"""PNG, JPEG and TIFF scans (every frame of a TIFF a page), checked before they are decoded:
the side limit and Pillow's decompression-bomb limit, both from the settings."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

from django.conf import settings
from PIL import Image, ImageSequence, UnidentifiedImageError

from civic.documents.models import Refusal
from civic.documents.reading.base import PageReading, Refused
from civic.documents.reading.ocr import scan_read


def size_check(width: int, height: int) -> None:
    side = settings.DOCUMENTS_MAX_IMAGE_SIDE
    if max(width, height) > side:
        raise Refused(Refusal.TOO_LARGE, f"{width} × {height} px; the limit is {side} px a side")
    if width * height > settings.DOCUMENTS_MAX_IMAGE_PIXELS:
        raise Refused(
            Refusal.BOMB,
            f"{width} × {height} px is more than {settings.DOCUMENTS_MAX_IMAGE_PIXELS} pixels",
        )


def _opened(data: bytes) -> Image.Image:
    # Pillow's own guard, set explicitly to Civic's limit (its default is 89 million), and its
    # warning between one and two times the limit made a refusal too.
    Image.MAX_IMAGE_PIXELS = settings.DOCUMENTS_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise Refused(Refusal.BOMB, str(error)) from None
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise Refused(Refusal.CORRUPT, str(error) or type(error).__name__) from None


def image_pages(data: bytes) -> Iterator[PageReading]:
    image = _opened(data)
    for frame in ImageSequence.Iterator(image):
        size_check(*frame.size)
        try:
            frame.load()
            page = frame.copy()
        except (OSError, ValueError, SyntaxError) as error:
            raise Refused(Refusal.CORRUPT, str(error) or type(error).__name__) from None
        yield scan_read(page)
