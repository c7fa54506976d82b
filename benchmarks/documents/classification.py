"""Document-type classification on templates the model never saw (issue 17): macro-F1 and the
confusion matrix from the split by template (``documents.training.model.evaluate_by_template``),
on the OCR'd corpus shipped in the package (``documents/data/training-corpus.jsonl.gz``: no OCR
runs here), and the share of out-of-domain passages sent to a person.

Called by ``section.py`` in its Django process; ``samples`` takes the first pages of the corpus
(80 hold every template once in each language), ``clean`` adds text layers to the training
side, ``passages`` is the number of out-of-domain passages.
"""

from __future__ import annotations

import datetime
import os
import time
from typing import Any

SHORT = {
    "bank-statement": "bank",
    "civil-record": "civil",
    "identity-document": "ID",
    "invoice": "invoice",
    "letter": "letter",
    "medical-certificate": "medical",
    "objection": "objection",
    "other": "other",
    "payslip": "payslip",
    "tenancy-agreement": "tenancy",
}


def classification_measure(samples: int, clean: int, passages: int) -> dict[str, Any]:
    from django.conf import settings

    from civic.documents.training.corpus import corpus_load
    from civic.documents.training.model import evaluate_by_template
    from civic.documents.training.out_of_domain import out_of_domain_texts
    from civic.documents.training.train import CORPUS_FILE, DEFAULT_SEED, clean_records

    records = sorted(
        (r for r in corpus_load(CORPUS_FILE).values() if r["truth"]["seed"] == DEFAULT_SEED),
        key=lambda r: r["truth"]["index"],
    )[:samples]
    threshold = settings.DOCUMENTS_CLASSIFIER_THRESHOLD
    began = time.perf_counter()
    evaluation = evaluate_by_template(
        records,
        out_of_domain_texts(passages, seed=DEFAULT_SEED),
        seed=DEFAULT_SEED,
        threshold=threshold,
        clean=clean_records(seed=DEFAULT_SEED + 1, samples=clean),
    )
    evaluation.pop("confidences")
    evaluation["out_of_domain"].pop("confidences")
    evaluation.update(
        date=datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        load=" / ".join(f"{x:.2f}" for x in os.getloadavg()),
        threshold=threshold,
        clean=clean,
        seconds=time.perf_counter() - began,
        ocr_confidence=sum(r["ocr_confidence"] or 0 for r in records) / max(len(records), 1),
    )
    return evaluation


def _matrix(labels: list[str], rows: list[list[int]]) -> list[str]:
    head = "| true ↓ / found → | " + " | ".join(SHORT.get(k, k) for k in labels) + " |"
    lines = [head, "|---|" + "---:|" * len(labels)]
    for label, row in zip(labels, rows, strict=True):
        cells = [f"**{n}**" if i == j else (str(n) if n else "·") for j, n in enumerate(row) for i in [labels.index(label)]]  # fmt: skip
        lines.append(f"| {SHORT.get(label, label)} | " + " | ".join(cells) + " |")
    return lines


def classification_render(c: dict[str, Any]) -> list[str]:
    from civic.documents.training.templates import TEMPLATES

    templates, per_type = len(TEMPLATES), len(c["folds"])
    ood = c["out_of_domain"]
    sources = ", ".join(f"{k} {v:.0%}" for k, v in ood["by_source"].items())
    return [
        "### Classification on unseen templates",
        "",
        f"{c['samples']} OCR'd pages from the corpus shipped in the package ({templates} "
        f"templates, {per_type} per type, in English and Dutch; rendered, degraded like scans and "
        f"read by Civic's OCR, mean word confidence {c['ocr_confidence']:.2f}), plus {c['clean']} "
        "text layers of more generated pages on the training side. Split by template: fold k tests "
        "template k of every type, in both languages, on a model trained on the other "
        f"{per_type - 1}; the figures pool the {len(c['folds'])} folds. Measured {c['date']} in {c['seconds']:.0f} s, load average "
        f"{c['load']} at the end (the figures below do not depend on the load).",
        "",
        "| Figure | Value |",
        "|---|---:|",
        f"| Macro-F1, the model's type (goal 0.95) | {c['macro_f1']:.3f} |",
        f"| Accuracy, the model's type | {c['accuracy']:.3f} |",
        f"| Macro-F1 with the threshold {c['threshold']} (below it: other) | {c['macro_f1_decided']:.3f} |",
        f"| Pages of the nine known types sent to a person by the threshold | "
        f"{c['to_person_in_domain']:.1%} |",
        f"| Out-of-domain passages sent to a person ({ood['passages']}) | {ood['to_person']:.1%} |",
        "",
        f"Out-of-domain passages by source: {sources}.",
        "",
        "Confusion matrix of the model's type (rows: the true type; pooled over the folds):",
        "",
        *_matrix(c["labels"], c["confusion"]),
        "",
    ]
