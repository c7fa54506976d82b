"""Extraction and personal-data figures on the classifier's generated corpus (issue 17): the
OCR'd samples of ``documents/training`` (another step of the issue), with their ground truth.

A record is ``{"truth": {"type", "template", "fields": {...}}, "text": <OCR output>}``; the
corpus is a gzipped JSON-lines file with an optional ``.partial`` beside it (records appended
while the generator runs). Extraction is given the true type (the classifier's errors are the
classifier's figures) and scored field by field on the OCR text: a value is right only if equal
to the truth. Personal numbers and IBANs are scored with the detector without register records;
the person's name with a register record made from the truth's ``name``.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Where the generator writes the corpus, relative to the repository.
CORPUS = Path("src/civic/documents/data/training-corpus.jsonl.gz")


def corpus_records(path: Path) -> list[dict]:
    lines: list[str] = []
    if path.exists():
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            lines += handle.read().splitlines()
    partial = path.with_name(path.name + ".partial")
    if partial.exists():
        lines += partial.read_text(encoding="utf-8").splitlines()
    records: dict[str, dict] = {}
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:  # the last line of a generator run killed mid-write
            continue
        records[record["truth"].get("id", str(len(records)))] = record
    return list(records.values())


def _rates(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def corpus_score(records: list[dict]) -> dict[str, Any]:
    from civic.documents.extraction import FIELDS_BY_TYPE, RENAMED, extract_fields
    from civic.documents.personal_data import personal_data_find

    fields: dict[str, Counter] = {}
    templates: dict[str, Counter] = {}
    for record in records:
        truth, text = record["truth"], record["text"]
        document_type = truth["type"]
        got = extract_fields(document_type, [text])
        counts = fields.setdefault(document_type, Counter())
        by_template = templates.setdefault(truth.get("template", "?"), Counter())
        for extractor in FIELDS_BY_TYPE.get(document_type, ()):
            name = RENAMED.get(extractor, extractor)
            want, value = truth["fields"].get(name), got.get(name)
            if want is None and value is None:
                continue
            outcome = Counter(
                tp=value == want,
                fp=value != want and value is not None,
                fn=value != want and want is not None,
            )
            counts.update(outcome)
            by_template.update(outcome)
    total = sum(fields.values(), Counter())
    return {
        "records": len(records),
        "fields_micro": _rates(total["tp"], total["fp"], total["fn"]),
        "fields_by_type": {t: _rates(c["tp"], c["fp"], c["fn"]) for t, c in sorted(fields.items())},
        "fields_by_template": {
            t: _rates(c["tp"], c["fp"], c["fn"]) for t, c in sorted(templates.items())
        },
        "kinds": corpus_kinds(
            records, lambda text, language, person: personal_data_find([text], person=person)
        ),
    }


def _person(record: dict):
    from civic.documents.personal_data import PersonRecord

    name = record["truth"]["fields"].get("name")
    if not name:
        return None
    given, _, surname = name.partition(" ")
    return PersonRecord(given_names=given, surname=surname)


def corpus_kinds(records: list[dict], find: Callable[..., list]) -> dict[str, dict[str, float]]:
    """Personal numbers, IBANs and the person's name found by ``find(text, language, person)``
    (Civic's detector, or Presidio's, which is given no ``person``), each kind's findings being
    anything with ``kind`` and ``text``."""

    from civic.documents.extraction.identifiers import ibans
    from civic.documents.extraction.noise import as_digits

    kinds = {k: Counter() for k in ("personal-number", "iban", "name")}
    for record in records:
        truth, text = record["truth"], record["text"]
        person = _person(record)
        findings = find(text, truth.get("language", "en"), person)
        for kind, key, norm in (
            ("personal-number", "personal_number", as_digits),
            ("iban", "iban", lambda t: (ibans(t) or [None])[0] and ibans(t)[0].value),
        ):
            want = truth["fields"].get(key)
            found = {norm(f.text) for f in findings if f.kind == kind}
            hit = want in found
            kinds[kind]["tp"] += hit
            kinds[kind]["fn"] += bool(want) and not hit
            # Another valid number on the page (a counterparty's IBAN) is personal data too,
            # but not this field: counted against precision, to stay on the safe side.
            kinds[kind]["fp"] += len(found) - hit
        if person:
            names = [f.text for f in findings if f.kind == "name"]
            right = [n for n in names if _of_the_name(n, truth["fields"]["name"])]
            hit = _name_covered(right, truth["fields"]["name"])
            kinds["name"]["tp"] += hit
            kinds["name"]["fn"] += not hit
            kinds["name"]["fp"] += len(names) - len(right)
    return {k: _rates(c["tp"], c["fp"], c["fn"]) for k, c in kinds.items()}


def _name_words(text: str) -> list[str]:
    """A finding's words, the machine-readable zone's "<" read as spaces."""
    return [w for w in re.split(r"[\s<,.]+", text.lower()) if w]


def _of_the_name(found: str, name: str) -> bool:
    """A finding is right when it is the person's name or a part of it (a surname or given
    names on a line of their own, the machine-readable zone's spelling), OCR slips allowed."""
    from rapidfuzz import fuzz

    words = _name_words(found)
    given, _, surname = name.partition(" ")
    if any(
        fuzz.ratio(" ".join(words), order.lower()) >= 80 for order in (name, f"{surname} {given}")
    ):
        return True
    return bool(words) and all(
        any(fuzz.ratio(w, part) >= 80 for part in _name_words(name)) for w in words
    )


def _name_covered(findings: list[str], name: str) -> bool:
    """The person's name is found when the right findings, together, hold every word of it: in
    one place ("Dion de Jong") or in parts ("de Jong" and "Dion" on an identity card), as a
    redaction must black out every part."""
    from rapidfuzz import fuzz

    if any(fuzz.ratio(f.lower(), name.lower()) >= 80 for f in findings):
        return True
    found = {w for f in findings for w in _name_words(f)}
    return all(any(fuzz.ratio(part, w) >= 80 for w in found) for part in _name_words(name))


def corpus_render(figures: dict[str, Any] | None) -> list[str]:
    if not figures:
        return [
            "On the classifier's generated corpus (by template, OCR'd): not measured in this "
            f"run, the corpus (`{CORPUS}`) is not there yet.",
            "",
        ]
    lines = [
        f"On the classifier's generated corpus ({figures['records']} OCR'd samples, every "
        "template; extraction given the true type):",
        "",
        "| Measure | Precision | Recall | F1 |",
        "|---|---:|---:|---:|",
    ]
    rows = [("Fields, micro", figures["fields_micro"])]
    rows += [(f"Fields: {t}", r) for t, r in figures["fields_by_type"].items()]
    rows += [
        ("Personal numbers", figures["kinds"]["personal-number"]),
        ("IBANs", figures["kinds"]["iban"]),
        ("The person's name (register record)", figures["kinds"]["name"]),
    ]
    lines += [
        f"| {label} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |"
        for label, r in rows
    ]
    by_template = figures.get("fields_by_template") or {}
    if by_template:
        worst = sorted(by_template.items(), key=lambda item: item[1]["f1"])
        lines += [
            "",
            "Field F1 by template (each template's OCR'd samples in both languages), from the "
            "weakest: " + "; ".join(f"{t} {r['f1']:.2f}" for t, r in worst) + ".",
        ]
    return [*lines, ""]
