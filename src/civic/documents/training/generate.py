"""One training sample from a seed and an index: a template filled with random values, drawn as
a PDF, rendered and degraded into a scan, with its ground truth.

The sample with index ``i`` uses template ``TEMPLATES[(i // 2) % len(TEMPLATES)]`` in English
(even ``i``) or Dutch (odd ``i``), so any run of ``2 × len(TEMPLATES)`` consecutive indexes
holds every template in both languages once. Its random source is seeded by ``"seed:index"``:
the same seed and index give the same sample, whatever was generated before.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

from civic.documents.training.degrade import page_degrade
from civic.documents.training.layout import draft_pdf
from civic.documents.training.templates import TEMPLATES, Template
from civic.documents.training.values import Values

#: Bumped when templates, values or degradation change, so that a cached corpus made by an older
#: generator is not mixed with a new one.
GENERATOR_VERSION = 3
LANGUAGES = ("en", "nl")
RENDER_DPI = 300


@dataclass
class Sample:
    truth: dict[str, Any]  # see ``ground_truth`` in the package's docstring
    pdf: bytes  # the clean PDF, with its text layer
    scan: Image.Image  # the degraded page, greyscale


def sample_plan(index: int) -> tuple[Template, str]:
    return TEMPLATES[(index // 2) % len(TEMPLATES)], LANGUAGES[index % 2]


def sample_make(seed: int, index: int, *, scan: bool = True) -> Sample:
    template, language = sample_plan(index)
    rng = random.Random(f"{seed}:{index}")
    draft = template.build(Values(rng=rng, language=language))
    pdf = draft_pdf(draft, template.style, rng)
    truth = {
        "id": f"s{seed}-{index}",
        "seed": seed,
        "index": index,
        "generator": GENERATOR_VERSION,
        "type": template.type,
        "template": template.id,
        "language": language,
        "fields": dict(draft.fields),
        "degradation": None,
    }
    image = Image.new("L", (1, 1), 255)
    if scan:
        image, truth["degradation"] = page_degrade(pdf_page_image(pdf), rng)
    return Sample(truth=truth, pdf=pdf, scan=image)


def pdf_page_image(pdf: bytes, dpi: int = RENDER_DPI) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()


def pdf_text(pdf: bytes) -> str:
    """The clean text of the sample's PDF (its text layer): what a born-digital copy gives."""
    document = pdfium.PdfDocument(pdf)
    try:
        return document[0].get_textpage().get_text_bounded().replace("\r\n", "\n").strip()
    finally:
        document.close()
