"""Redacted PDFs: page images with black boxes over personal data, assembled as a PDF of images
only. Nothing of the text layer is carried over, so nothing can be copied, searched or
uncovered from the result: what is black in the image is gone.

A finding without boxes on a page that has words is not found in the words (OCR split it
unlike the text); a page without words (read before word boxes were kept) cannot be redacted
at all. Both are refused rather than published half-redacted.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from civic.core.errors import CivicError

#: Pixels added around each word box, so that anti-aliased edges of letters are covered too.
PADDING = 3


class RedactionImpossible(CivicError):
    code = "redaction-impossible"


def redacted_pdf(images: Sequence[Image.Image], findings: Sequence, *, dpi: int) -> bytes:
    """``images`` are the pages in order; ``findings`` have ``page`` (1-based) and ``boxes``."""
    if not images:
        raise RedactionImpossible(_("The document has no pages to redact."))
    missing = [f.page for f in findings if not f.boxes]
    if missing:
        raise RedactionImpossible(
            _("Personal data on page %(page)s could not be placed on the page image; the page "
              "must be redacted by hand.") % {"page": missing[0]}
        )  # fmt: skip
    pages = []
    for number, image in enumerate(images, start=1):
        page = image.convert("L")
        draw = ImageDraw.Draw(page)
        for finding in findings:
            if finding.page != number:
                continue
            for x0, y0, x1, y1 in finding.boxes:
                draw.rectangle([x0 - PADDING, y0 - PADDING, x1 + PADDING, y1 + PADDING], fill=0)
        pages.append(page)
    buffer = io.BytesIO()
    pages[0].save(
        buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=float(dpi)
    )
    return buffer.getvalue()
