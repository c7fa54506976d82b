"""The page's part of the extraction benchmark (benchmarks/documents/extraction.py): Civic's
recall and precision per kind on the letters, the corpus figures, and Presidio's next to them,
as docs/benchmarks.md shows them."""

from __future__ import annotations

from typing import Any

from benchmarks.documents.extraction_corpus import corpus_render
from benchmarks.harness import report


def _row(label: str, figures: dict[str, dict[str, float]], kind: str) -> str:
    c, o = figures["clean"][kind], figures["ocr"][kind]
    return (
        f"| {label} | {c['recall']:.3f} | {c['precision']:.3f} | {o['recall']:.3f} | "
        f"{o['precision']:.3f} | {o['tp']} / {o['fp']} / {o['fn']} |"
    )


def _rate(figures: dict[str, float], measure: str) -> str:
    """A recall or precision; a precision with nothing found is not a figure."""
    if measure == "precision" and not figures["tp"] + figures["fp"]:
        return "— (none found)"
    return f"{figures[measure]:.3f}"


LANGUAGE_NAMES = {"en": "English", "nl": "Dutch"}
KIND_LABELS = (
    ("personal-number", "Personal numbers"),
    ("iban", "IBANs"),
    ("name", "The person's name"),
)


def presidio_render(figures: dict[str, Any]) -> list[str]:
    """Presidio's recall and precision per kind next to Civic's, on the same text."""
    from benchmarks.documents.presidio import LIMITS

    presidio = figures.get("presidio")
    if not isinstance(presidio, dict) or "version" not in presidio:
        status = presidio.get("status") if isinstance(presidio, dict) else presidio
        return [f"Presidio beside Civic: not run here ({status}).", ""]
    recognizers = "; ".join(
        f"`{language}`: {', '.join(names)}" for language, names in presidio["recognizers"].items()
    )
    unscored = ", ".join(f"{e} {n}" for e, n in presidio["ocr"]["unscored"].items()) or "none"
    mapping = ", ".join(f"{e} as {k}" for e, k in presidio["kinds"].items())
    lines = [
        f"**Presidio beside Civic, on the same text in the same run.** Presidio "
        f"{presidio['version']}, {LIMITS}. Its `AnalyzerEngine` ran with its default "
        f"recognizers for English and Dutch on spaCy {presidio['spacy']} with the pipeline "
        f"{presidio['pipeline']}, each letter in its own "
        "language, at its default score threshold, and without the register record Civic's "
        f"detector is given. Recognizers that ran: {recognizers}. Scored by the same rules as "
        f"Civic's figures: {mapping}; no Presidio entity type is the Dutch personal number "
        "(BSN), so it has none to find. Reported by Presidio but not scored (OCR text, all "
        f"letters): {unscored}.",
        "",
        "| Kind | Civic recall (OCR) | Civic precision (OCR) | Presidio recall (OCR) "
        "| Presidio precision (OCR) | Presidio recall (clean) | Presidio precision (clean) "
        "| Presidio OCR tp / fp / fn |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, label in KIND_LABELS:
        c, p, q = figures["ocr"][kind], presidio["ocr"][kind], presidio["clean"][kind]
        lines.append(
            f"| {label} | {_rate(c, 'recall')} | {_rate(c, 'precision')} | "
            f"{_rate(p, 'recall')} | {_rate(p, 'precision')} | {_rate(q, 'recall')} | "
            f"{_rate(q, 'precision')} | {p['tp']} / {p['fp']} / {p['fn']} |"
        )
    corpus, civic = presidio.get("corpus"), (figures.get("corpus") or {}).get("kinds")
    if corpus and civic:
        lines += [
            "",
            f"On the classifier's generated corpus ({figures['corpus']['records']} OCR'd "
            "samples, scored as above for Civic):",
            "",
            "| Kind | Civic recall | Civic precision | Presidio recall | Presidio precision "
            "| Presidio tp / fp / fn |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for kind, label in KIND_LABELS:
            c, p = civic[kind], corpus[kind]
            lines.append(
                f"| {label} | {_rate(c, 'recall')} | {_rate(c, 'precision')} | "
                f"{_rate(p, 'recall')} | {_rate(p, 'precision')} | "
                f"{p['tp']} / {p['fp']} / {p['fn']} |"
            )
        by_language = presidio.get("corpus_by_language") or {}
        if by_language:
            lines += [
                "",
                "Presidio's names on the corpus by the letter's language (English through its "
                "own pipeline, Dutch through the English one): "
                + "; ".join(
                    f"{LANGUAGE_NAMES.get(language, language)} recall {_rate(f, 'recall')}, "
                    f"precision {_rate(f, 'precision')} ({f['tp']} / {f['fp']} / {f['fn']})"
                    for language, f in by_language.items()
                )
                + ". Every other name it marks counts against its precision, a stranger's or a "
                "company's as much as a word taken for a name: Civic's detector is asked for the "
                "person's own name, which its register record gives and Presidio's has no way "
                "to take.",
            ]
    return [*lines, ""]


def render(figures: dict[str, Any], machine: dict[str, Any], run: dict[str, Any]) -> str:
    return "\n".join(
        [
            report.begin("documents_extraction", "benchmarks/documents/extraction.py"),
            "## Documents: extraction and personal data on OCR output (issue 17)",
            "",
            f"Machine: {machine.get('cpu', '?')}. Date: {machine.get('date', '?')}. "
            f"`python -m benchmarks --section documents_extraction` (sizes: {run}).",
            "",
            f"{run['pages']} one-page letters (Dutch and English) rendered at 150–300 dpi, "
            "blurred, noised, tilted up to 2° and JPEG-compressed in turn, read by Civic's "
            "OCR; each carries the person's name twice, their address, a valid personal number "
            "and IBAN, a stranger's name, a nine-digit invoice number that fails the elfproef "
            "and an IBAN that fails mod-97. Detection has the person's register record.",
            "",
            "| Kind | Recall (clean) | Precision (clean) | Recall (OCR) | Precision (OCR) "
            "| OCR tp / fp / fn |",
            "|---|---:|---:|---:|---:|---:|",
            _row("Personal numbers", figures, "personal-number"),
            _row("IBANs", figures, "iban"),
            _row("The person's name", figures, "name"),
            _row("Fields (personal number, sender)", figures, "fields"),
            "",
            *corpus_render(figures.get("corpus")),
            *presidio_render(figures),
            "Issue 17's goals: recall of personal numbers and IBANs 0.99, of names 0.85, field "
            "F1 0.90, next to Presidio on the same documents (above; its names through the English "
            "pipeline on Dutch letters too, see documents.md). The letters are few and made here; the "
            "corpus figures above (when the corpus is there) are the issue's measure: field F1 "
            "by template on OCR output, split as the classifier's evaluation splits it.",
            "",
            report.end("documents_extraction"),
        ]
    )
