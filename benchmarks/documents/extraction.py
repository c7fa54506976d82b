"""Field extraction and personal-data detection on OCR output (issue 17, items 4 and 5):
recall and precision of personal numbers, IBANs and the person's name, scored on what
tesseract read from rendered, degraded pages, next to the same on the clean text.
``python -m benchmarks --section documents_extraction [--smoke]``

Each page is a short letter, Dutch or English, from a person with a valid personal number and
an IBAN, naming a stranger (who must not be taken for the person) and carrying decoys that
look like the identifiers but fail their check (an invoice number of nine digits, an account
with a wrong check). It is rendered (reportlab, PDFium) at 150 to 300 dpi, blurred, noised,
tilted and JPEG-compressed in turn, and read by Civic's reading (orientation, deskew,
tesseract) in a pool of ``workers`` processes. Detection gets the person's register record
(names, street, postcode). These pages are made here and are few: the full field-F1 and recall
figures on the classifier's generated, template-split corpus come with that generator.

Writes the "documents_extraction" section of docs/benchmarks.md and
benchmarks/results/documents_extraction.json.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import random
from pathlib import Path
from typing import Any

from benchmarks.documents.extraction_corpus import CORPUS
from benchmarks.documents.extraction_report import render
from benchmarks.harness.isolated import embedded_django, figures_write, run_isolated
from benchmarks.harness.machine import machine_describe
from benchmarks.harness.paths import ROOT

GIVEN = ("Anna", "Pieter", "Fatima", "Joris", "Emma", "Mohamed", "Sanne", "Luuk")
SURNAMES = ("de Vries", "Jansen", "El Amrani", "van den Berg", "Bakker", "Visser", "Smit")
STREETS = ("Kerkstraat", "Molenweg", "Stationsplein", "Lindelaan", "Havenkade")
BANKS = ("ABNA", "INGB", "RABO", "SNSB", "TRIO")
TEMPLATES = {
    "nl": [
        "{name}",
        "{street} {number}, {postcode} Havenstad",
        "Havenstad, {day} maart 2026",
        "Betreft: bezwaar, BSN {bsn}",
        "Geachte heer, mevrouw,",
        "Hierbij maak ik bezwaar tegen uw besluit over mijn huurtoeslag.",
        "Mijn buurman {stranger} kan bevestigen dat ik hier alleen woon.",
        "Factuurnummer {decoy_number} is al betaald vanaf rekening {iban}.",
        "Een oude rekening {decoy_iban} is opgeheven.",
        "Met vriendelijke groet,",
        "{name}",
    ],
    "en": [
        "{name}",
        "{street} {number}, {postcode} Havenstad",
        "Havenstad, {day} March 2026",
        "Re: objection, citizen service number {bsn}",
        "Dear Sir or Madam,",
        "I object to your decision about my housing allowance.",
        "My neighbour {stranger} can confirm that I live here alone.",
        "Invoice number {decoy_number} was paid from account {iban}.",
        "An old account {decoy_iban} has been closed.",
        "Kind regards,",
        "{name}",
    ],
}
DEGRADATIONS = (
    {"dpi": 300, "blur": 0.6, "noise": 0, "rotate": 0.0, "jpeg": None},
    {"dpi": 200, "blur": 0.8, "noise": 12, "rotate": 1.2, "jpeg": 60},
    {"dpi": 150, "blur": 0.5, "noise": 8, "rotate": -0.8, "jpeg": 40},
    {"dpi": 300, "blur": 1.0, "noise": 20, "rotate": 2.0, "jpeg": 75},
)


def _iban(rng: random.Random, valid: bool = True) -> str:
    bank, account = rng.choice(BANKS), f"{rng.randrange(10**10):010d}"
    digits = "".join(str(int(ch, 36)) for ch in f"{bank}{account}NL00")
    check = 98 - int(digits) % 97
    return f"NL{(check if valid else (check % 97) + 1):02d}{bank}{account}"


def _bsn(rng: random.Random) -> str:
    from civic.core.numbers import personal_number_is_valid

    while True:
        number = f"{rng.randrange(10**8, 10**9):09d}"
        if personal_number_is_valid(number):
            return number


def _decoy_number(rng: random.Random) -> str:
    from civic.core.numbers import personal_number_is_valid

    while True:
        number = f"{rng.randrange(10**8, 10**9):09d}"
        if not personal_number_is_valid(number):
            return number


def page_make(index: int) -> dict[str, Any]:
    rng = random.Random(index)
    language = ("nl", "en")[index % 2]
    given, surname = rng.choice(GIVEN), rng.choice(SURNAMES)
    stranger = f"{rng.choice([g for g in GIVEN if g != given])} " + rng.choice(
        [s for s in SURNAMES if s != surname]
    )
    values = {
        "name": f"{given} {surname}",
        "street": rng.choice(STREETS),
        "number": rng.randrange(1, 200),
        "postcode": f"{rng.randrange(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}"
        f"{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}",
        "day": rng.randrange(1, 29),
        "bsn": _bsn(rng),
        "iban": _iban(rng),
        "decoy_iban": _iban(rng, valid=False),
        "decoy_number": _decoy_number(rng),
        "stranger": stranger,
    }
    lines = [line.format(**values) for line in TEMPLATES[language]]
    return {
        "index": index,
        "language": language,
        "lines": lines,
        "degradation": DEGRADATIONS[index % len(DEGRADATIONS)],
        **values,
        "given": given,
        "surname": surname,
    }


def _scan(page: dict[str, Any]):
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 11)
    for i, line in enumerate(page["lines"]):
        pdf.drawString(70, 770 - 22 * i, line)
    pdf.showPage()
    pdf.save()
    d = page["degradation"]
    document = pdfium.PdfDocument(buffer.getvalue())
    image = document[0].render(scale=d["dpi"] / 72, grayscale=True).to_pil().convert("L")
    document.close()
    image = image.filter(ImageFilter.GaussianBlur(d["blur"]))
    if d["noise"]:
        rng = np.random.default_rng(page["index"])
        pixels = np.asarray(image, dtype=np.int16) + rng.normal(0, d["noise"], image.size[::-1])
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if d["rotate"]:
        image = image.rotate(d["rotate"], resample=Image.BICUBIC, expand=True, fillcolor=255)
    if d["jpeg"]:
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=d["jpeg"])
        image = Image.open(io.BytesIO(out.getvalue()))
    return image


def _ocr(page: dict[str, Any]) -> dict[str, Any]:
    from civic.documents.reading.ocr import scan_read

    os.environ["OMP_THREAD_LIMIT"] = "1"
    return {**page, "ocr": scan_read(_scan(page)).text}


def _person(page: dict[str, Any]):
    from civic.documents.personal_data import PersonRecord

    return PersonRecord(
        given_names=page["given"],
        surname=page["surname"],
        street=f"{page['street']} {page['number']}",
        postcode=page["postcode"],
    )


def _text(page: dict[str, Any], key: str) -> str:
    return page[key] if key == "ocr" else "\n".join(page["lines"])


def _kinds_count(findings: list, page: dict[str, Any], counts: dict[str, list[int]]) -> None:
    """Add one page's findings (anything with ``kind`` and ``text``: Civic's or Presidio's) to
    ``counts``, kind by kind: [tp, fp, fn]."""
    from rapidfuzz import fuzz

    from civic.documents.extraction.noise import as_digits

    for kind, truth in (("personal-number", page["bsn"]), ("iban", page["iban"])):
        got = [f.text for f in findings if f.kind == kind]
        # The finding's text is as OCR read it ("NLO5…"); its value is the checked one.
        got = [as_digits(t) if kind == "personal-number" else _iban_value(t) for t in got]
        right = sum(1 for g in got if g == truth)
        counts[kind][0] += min(right, 1)
        counts[kind][1] += len(got) - right
        counts[kind][2] += 1 - min(right, 1)
    # The name appears twice (letterhead and signature); the stranger's must not count.
    names = [f.text for f in findings if f.kind == "name"]
    right = [n for n in names if fuzz.ratio(n.lower(), page["name"].lower()) >= 80]
    counts["name"][0] += min(len(right), 2)
    counts["name"][1] += len(names) - len(right)
    counts["name"][2] += 2 - min(len(right), 2)


def _score(pages: list[dict[str, Any]], key: str) -> dict[str, dict[str, float]]:
    """Recall and precision of each kind on ``page[key]`` (the clean or the OCR'd text)."""
    from civic.documents.extraction import extract_fields
    from civic.documents.personal_data import personal_data_find

    counts = {k: [0, 0, 0] for k in ("personal-number", "iban", "name", "fields")}  # tp fp fn
    for page in pages:
        text = _text(page, key)
        _kinds_count(personal_data_find([text], person=_person(page)), page, counts)
        fields = extract_fields("objection", [text])
        truth = {"personal_number": page["bsn"], "sender": page["name"]}
        for name, value in truth.items():
            if fields.get(name) == value:
                counts["fields"][0] += 1
            else:
                counts["fields"][2] += 1
                counts["fields"][1] += name in fields
    return {k: _rates(*v) for k, v in counts.items()}


def _presidio_score(presidio, pages: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """The same counts for Presidio's findings on the same text (it gets no register record:
    it has no way to take one), and how often it reported each entity type it is not scored on."""
    from collections import Counter

    counts = {k: [0, 0, 0] for k in ("personal-number", "iban", "name")}
    unscored: Counter = Counter()
    for page in pages:
        findings = presidio.find(_text(page, key), page["language"])
        _kinds_count(findings, page, counts)
        unscored.update(f.entity for f in findings if not f.kind)
    return {
        **{k: _rates(*v) for k, v in counts.items()},
        "unscored": dict(sorted(unscored.items())),
    }


def _iban_value(text: str) -> str:
    from civic.documents.extraction.identifiers import ibans

    found = ibans(text)
    return found[0].value if found else text


def _rates(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"recall": recall, "precision": precision, "tp": tp, "fp": fp, "fn": fn}


def measure(
    pages: int, workers: int, corpus: Path | None = None, corpus_records_at_most: int = 0
) -> dict[str, Any]:
    from benchmarks.documents.extraction_corpus import corpus_kinds, corpus_records, corpus_score
    from benchmarks.documents.presidio import presidio_make

    records = corpus_records(corpus) if corpus else []
    if corpus_records_at_most:  # a smoke run
        records = records[:corpus_records_at_most]
    made = [page_make(i) for i in range(pages)]
    context_ = multiprocessing.get_context("fork")
    with context_.Pool(workers) as pool:
        read = list(pool.imap(_ocr, made))
    presidio = presidio_make()
    if isinstance(presidio, str):
        compared: dict[str, Any] = {"status": presidio}
    else:

        def found(text: str, language: str, _person: object) -> list:
            return presidio.find(text, language)

        by_language = {
            language: [r for r in records if r["truth"].get("language", "en") == language]
            for language in ("en", "nl")
        }
        compared = {
            **presidio.describe(),
            "clean": _presidio_score(presidio, read, "clean"),
            "ocr": _presidio_score(presidio, read, "ocr"),
            "corpus": corpus_kinds(records, found) if records else None,
            # Its NER has a pipeline of its own language only for English (presidio.py).
            "corpus_by_language": {
                language: corpus_kinds(subset, found)["name"]
                for language, subset in by_language.items()
                if subset
            },
        }
    return {
        "clean": _score(read, "clean"),
        "ocr": _score(read, "ocr"),
        "presidio": compared,
        "corpus": corpus_score(records) if records else None,
        "load_at_end": " / ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    return run_isolated(
        "documents_extraction",
        "benchmarks.documents.extraction",
        {
            "pages": sizes["pages"],
            "workers": sizes["workers"],
            "corpus_records": sizes["corpus_records"],
        },
        render,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--figures", type=Path, required=True, help="write the figures here")
    parser.add_argument("--corpus", type=Path, default=ROOT / CORPUS, help="generated corpus")
    parser.add_argument(
        "--corpus-records", type=int, default=0, help="score the first N samples only (0: all)"
    )
    args = parser.parse_args(argv)
    with embedded_django("civic-extraction-"):
        sizes = {"pages": args.pages, "workers": args.workers}
        machine = machine_describe(postgres_url=None)
        figures = measure(**sizes, corpus=args.corpus, corpus_records_at_most=args.corpus_records)
    figures_write(args.figures, machine, sizes, figures)


if __name__ == "__main__":
    main()
