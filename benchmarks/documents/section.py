"""Document intake benchmark (issue 17): pages per second read by Civic's reading (PDFium's
text layer; for scans tesseract's orientation detection, the deskew and tesseract OCR) against
tesseract alone (``pytesseract.image_to_string`` with the same languages) on the same scans,
in the same run. ``python -m benchmarks --section documents [--smoke]``

The pages are made on the spot: A4 letters of ``lines`` lines (English and Dutch sentences),
as PDFs with a text layer and as 300 dpi greyscale PNG scans, blurred a little, every third
turned a quarter and every other one skewed by 1.5 degrees. Each method reads every page in a
pool of ``workers`` processes (one tesseract thread each, as the backlog command runs), scans
alternating between Civic and tesseract alone for ``rounds`` rounds; the best round counts.
The same again for letters that name a personal number failing its check (the second look at
its worst) and for pages of the training corpus, degraded by its generator, with the look at
unread ink on and off.
No database: this is the reading, not the storage (that is the backlog's later benchmark).

Then the classification of document types on unseen templates (``classification.py``).

Writes the "documents" section of docs/benchmarks.md and benchmarks/results/documents.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import report
from benchmarks.harness.isolated import embedded_django, run_isolated
from benchmarks.harness.machine import machine_describe

SENTENCES = (
    "Please find enclosed my objection to the decision about my housing allowance.",
    "Hierbij maak ik bezwaar tegen het besluit over mijn huurtoeslag van vorige maand.",
    "My salary for November was paid on the twenty-fifth into my usual bank account.",
    "Ik verzoek u vriendelijk de beslissing opnieuw te bekijken en mij te laten weten.",
    "The tenancy agreement for the flat at Kerkstraat 12 started on 1 March 2024.",
    "Met vriendelijke groet, namens de bewoners van het appartementencomplex.",
)


SIZES = (
    "pages", "scans", "lines", "workers", "rounds",
    "classify_samples", "classify_clean", "classify_passages",
)  # fmt: skip


def _letter_lines(page: int, lines: int) -> list[str]:
    return [f"{page}.{i + 1} {SENTENCES[(page + i) % len(SENTENCES)]}" for i in range(lines)]


def _failing_personal_number(page: int) -> str:
    """A nine-digit number that fails the elfproef: what a misread personal number looks like."""
    from civic.core.numbers import personal_number_is_valid

    number = 123_456_789 + 7_919 * page
    while personal_number_is_valid(str(number)):
        number += 1  # one digit changed: the elfproef now fails
    return str(number)


def _letter_naming_a_number(page: int, lines: int) -> list[str]:
    """A letter whose fourth line (its last, when shorter) names a personal number that fails
    its check, so the reading gives it the second look (``reading/second_look.py``) at its
    worst: every look is tried."""
    text = _letter_lines(page, lines)
    text[min(3, lines - 1)] = f"Burgerservicenummer (BSN): {_failing_personal_number(page)}"
    return text


def _letter_pdf(lines: list[str]) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 11)
    for i, line in enumerate(lines):
        pdf.drawString(60, 780 - 22 * i, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _scan_png(pdf: bytes, page: int) -> bytes:
    import io

    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    document = pdfium.PdfDocument(pdf)
    image = document[0].render(scale=300 / 72, grayscale=True).to_pil().convert("L")
    document.close()
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    if page % 2:
        image = image.rotate(1.5, resample=Image.BICUBIC, expand=True, fillcolor=255)
    if page % 3 == 0:
        image = image.rotate(90, expand=True)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _worker_start() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _civic_read(item: tuple[bytes, str, bool]) -> int:
    """Civic's reading of one file, with the look at unread ink (``reading/unread_ink.py``) on
    or off."""
    from django.test import override_settings

    from civic.documents.reading import document_pages_read

    data, name, unread_ink = item
    with override_settings(DOCUMENTS_OCR_UNREAD_INK=unread_ink):
        _, pages = document_pages_read(data, name)
        return sum(1 for _ in pages)


def _generated_scan(index: int) -> bytes:
    """A page of the classifier's training corpus as its generator degrades it: stamps,
    handwriting-like marks, blur, noise, JPEG, 150 to 300 dpi."""
    import io

    from civic.documents.training.generate import sample_make

    buffer = io.BytesIO()
    sample_make(17, index).scan.save(buffer, format="PNG")
    return buffer.getvalue()


def _tesseract_alone(png: bytes) -> int:
    import io

    import pytesseract
    from django.conf import settings
    from PIL import Image

    pytesseract.image_to_string(Image.open(io.BytesIO(png)), lang=settings.DOCUMENTS_OCR_LANGUAGES)
    return 1


def _timed(pool, function, items) -> float:
    began = time.perf_counter()
    pages = sum(pool.imap_unordered(function, items))
    return pages / (time.perf_counter() - began)


def measure(pages: int, scans: int, lines: int, workers: int, rounds: int) -> dict[str, Any]:
    pdfs = [_letter_pdf(_letter_lines(p, lines)) for p in range(pages)]
    sets = {
        "scans": [_scan_png(pdfs[p % pages], p) for p in range(scans)],
        "second_look": [
            _scan_png(_letter_pdf(_letter_naming_a_number(p, lines)), p) for p in range(scans)
        ],
        # Every fifth sample: templates of every type, in both languages.
        "generated": [_generated_scan(5 * p) for p in range(scans)],
    }
    figures: dict[str, Any] = {"text_layer": 0.0}
    ways = {
        "civic": lambda images: (_civic_read, [(png, "scan.png", True) for png in images]),
        "tesseract": lambda images: (_tesseract_alone, images),
        "civic_no_unread_ink": lambda images: (
            _civic_read,
            [(png, "scan.png", False) for png in images],
        ),
    }
    context_ = multiprocessing.get_context("fork")
    with context_.Pool(workers, initializer=_worker_start) as pool:
        pool.map(_civic_read, [(pdfs[0], "warm.pdf", True)] * workers)  # imports, first page
        figures["text_layer"] = max(
            _timed(pool, _civic_read, [(pdf, "letter.pdf", True) for pdf in pdfs])
            for _ in range(rounds)
        )
        for round_ in range(rounds):
            for name, images in sets.items():
                order = ["civic", "tesseract"] + (
                    ["civic_no_unread_ink"] if name == "generated" else []
                )
                for way in order if round_ % 2 == 0 else reversed(order):
                    key = f"{name}_{way}"
                    figures[key] = max(figures.get(key, 0.0), _timed(pool, *ways[way](images)))
    for name in sets:
        figures[f"{name}_ratio"] = figures[f"{name}_civic"] / figures[f"{name}_tesseract"]
    figures["generated_ratio_no_unread_ink"] = (
        figures["generated_civic_no_unread_ink"] / figures["generated_tesseract"]
    )
    figures["load_at_end"] = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return figures


def render(figures: dict[str, Any], machine: dict[str, Any], run: dict[str, Any]) -> str:
    from benchmarks.documents.classification import classification_render

    f = figures
    return "\n".join(
        [
            report.begin("documents", "benchmarks/documents/section.py"),
            "## Documents: reading pages (issue 17)",
            "",
            f"Machine: {machine.get('cpu', '?')}. Date: {machine.get('date', '?')}; load average "
            f"{machine.get('load_at_start', '?')} at start and {f['load_at_end']} at the end "
            "(the machine is shared: a load above the core count slows every figure here). "
            f"`python -m benchmarks --section documents` (sizes: {run}).",
            "",
            f"A4 letters of {run['lines']} lines in English and Dutch, read in a pool of "
            f"{run['workers']} processes (one tesseract thread each), best of {run['rounds']} "
            "round(s). Scans are 300 dpi greyscale PNGs, every third lying on its side and "
            "every other one skewed 1.5°; Civic turns them upright (tesseract's OSD at 150 dpi), "
            "straightens them and reads them (`image_to_data`, `nld+eng`); tesseract alone "
            "reads the same PNGs as they are (`image_to_string`, `nld+eng`).",
            "",
            "| Pages | Civic | Tesseract alone | Civic ÷ tesseract |",
            "|---|---:|---:|---:|",
            f"| PDF with a text layer ({run['pages']}) | {f['text_layer']:.1f} pages/s | — | — |",
            f"| Scans ({run['scans']}) | {f['scans_civic']:.2f} pages/s | "
            f"{f['scans_tesseract']:.2f} pages/s | {f['scans_ratio']:.2f} |",
            f"| The same scans, each naming a personal number that fails its check "
            f"({run['scans']}) | {f['second_look_civic']:.2f} pages/s | "
            f"{f['second_look_tesseract']:.2f} pages/s | {f['second_look_ratio']:.2f} |",
            f"| Generated scans with stamps and marks ({run['scans']}) | "
            f"{f['generated_civic']:.2f} pages/s | {f['generated_tesseract']:.2f} pages/s | "
            f"{f['generated_ratio']:.2f} |",
            f"| The same, the look at unread ink off ({run['scans']}) | "
            f"{f['generated_civic_no_unread_ink']:.2f} pages/s | "
            f"{f['generated_tesseract']:.2f} pages/s | "
            f"{f['generated_ratio_no_unread_ink']:.2f} |",
            "",
            "Issue 17's goal: scans at 0.6 pages/s or more on 2 cores, within 10 % of "
            "tesseract alone. Civic's extra work is the orientation pass (a second tesseract "
            "run, at half resolution) and the deskew search; tesseract alone reads the pages "
            "lying on their side as they are. On a machine "
            "whose load is several times its cores both rates measure the share of CPU the "
            "run got more than the reading: compare them with each other, not with the goal.",
            "",
            "The third row is what the second look (`documents/reading/second_look.py`) costs "
            'at its worst: a line names a personal number ("Burgerservicenummer (BSN)") and '
            "the number beside it fails the elfproef, as a misread one does, so the strip of "
            "that line and the next is read again in every way there is (enlarged, smoothed, "
            "as scattered words, and with only its dark ink kept) and none gives a valid "
            "number. A page whose number is read right the first time asks for no second look "
            "and costs what the row above it does.",
            "",
            "The last two rows are pages of the classifier's training corpus (every fifth "
            "sample of seed 17: every type, both languages) as its generator degrades them: "
            "grey stamps, handwriting-like marks, blur, noise, JPEG, 150 to 300 dpi. There the "
            "reading also looks at ink the first reading left unread "
            "(`documents/reading/unread_ink.py`), for a personal number or an IBAN the page "
            "lacks; the last row is the same pages with that look off "
            "(`CIVIC_DOCUMENTS_OCR_UNREAD_INK=false`). The clean letters above have no unread "
            "ink, so it costs them nothing.",
            "",
            *classification_render(f["classification"]),
            report.end("documents"),
        ]
    )


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """Measured in a process of its own (Django's settings, no database), written here."""
    return run_isolated(
        "documents", "benchmarks.documents.section", {k: sizes[k] for k in SIZES}, render
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--scans", type=int, default=24)
    parser.add_argument("--lines", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--classify-samples", type=int, default=720)
    parser.add_argument("--classify-clean", type=int, default=1200)
    parser.add_argument("--classify-passages", type=int, default=150)
    parser.add_argument("--figures", type=Path, required=True, help="write the figures here")
    args = parser.parse_args(argv)
    with embedded_django("civic-documents-"):
        sizes = {k: getattr(args, k) for k in SIZES}
        machine = machine_describe(postgres_url=None)
        figures = measure(**{k: sizes[k] for k in SIZES[:5]})
        from benchmarks.documents.classification import classification_measure

        figures["classification"] = classification_measure(
            sizes["classify_samples"], sizes["classify_clean"], sizes["classify_passages"]
        )
    args.figures.write_text(
        json.dumps({"machine": machine, "run": sizes, "figures": figures}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
