"""The document-type classifier: its generated training set (deterministic, with a ground truth
that holds valid numbers), the model shipped in the package, a page of a template it never saw
read from a degraded scan and classified right, and text it does not know sent to a person."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from stdnum import iban as iban_check

import civic
from civic.core.numbers import personal_number_is_valid
from civic.documents.classification import document_type_classify, model_info, model_path
from civic.documents.models import DocumentType
from civic.documents.reading.ocr import scan_read
from civic.documents.training.degrade import page_degrade
from civic.documents.training.generate import pdf_page_image, pdf_text, sample_make
from civic.documents.training.layout import Draft, Style, draft_pdf
from civic.documents.training.out_of_domain import out_of_domain_texts
from civic.documents.training.templates import TEMPLATES
from civic.documents.training.values import Values

TRUTH_KEYS = {"id", "seed", "index", "generator", "type", "template", "language", "fields", "degradation"}  # fmt: skip


def test_the_same_seed_and_index_give_the_same_sample_with_its_ground_truth():
    first, again = sample_make(5, 5), sample_make(5, 5)
    assert first.truth == again.truth
    assert first.pdf == again.pdf
    assert np.array_equal(np.asarray(first.scan), np.asarray(again.scan))
    assert set(first.truth) == TRUTH_KEYS
    assert (first.truth["id"], first.truth["template"], first.truth["language"]) == (
        "s5-5", "objection-3", "nl",
    )  # fmt: skip
    assert first.truth["type"] == "objection"
    # What the page says is what the ground truth says it was filled with.
    text = pdf_text(first.pdf)
    assert first.truth["fields"]["personal_number"] in text
    assert first.truth["fields"]["case_reference"] in text
    assert set(first.truth["degradation"]) == {"stamps", "marks", "dpi", "rotation", "blur", "noise", "jpeg_quality"}  # fmt: skip
    assert sample_make(6, 5).truth["fields"] != first.truth["fields"]


def test_every_type_has_six_independent_templates_in_english_and_dutch():
    by_type = defaultdict(list)
    for template in TEMPLATES:
        by_type[template.type].append(template.id)
    assert set(by_type) == set(DocumentType.values)
    assert all(len(ids) >= 6 for ids in by_type.values()), by_type
    for index in range(2 * len(TEMPLATES)):
        sample = sample_make(1, index, scan=False)
        assert sample.truth["language"] == ("en", "nl")[index % 2]
    english, dutch = (
        pdf_text(sample_make(1, 8, scan=False).pdf),
        pdf_text(sample_make(1, 9, scan=False).pdf),
    )
    assert "PAYSLIP" in english and "LOONSTROOK" in dutch


def test_every_generated_iban_personal_number_date_and_amount_is_valid():
    checked = defaultdict(int)
    for index in range(2 * len(TEMPLATES)):
        fields = sample_make(3, index, scan=False).truth["fields"]
        for name, value in fields.items():
            if name == "personal_number":
                assert personal_number_is_valid(value), value
            elif name == "iban":
                assert iban_check.is_valid(value) and value.startswith("NL"), value
            elif name == "date" or name.endswith("_date"):
                dt.date.fromisoformat(value)
            elif name.endswith(("_amount", "_balance")):
                assert f"{float(value):.2f}" == value
            else:
                continue
            checked[name] += 1
    assert checked["personal_number"] >= 15 and checked["iban"] >= 15 and checked["date"] >= 20


def test_the_model_is_loaded_from_the_installed_package_with_what_it_was_trained_on():
    assert model_path().is_relative_to(Path(civic.__file__).parent)
    about = model_info()
    assert about["samples"] >= 300 and about["templates"] == len(TEMPLATES)
    evaluation = about["evaluation"]
    assert evaluation["folds"] == [1, 2, 3, 4, 5, 6]
    assert evaluation["labels"] == sorted(DocumentType.values)
    assert evaluation["macro_f1"] > 0.8


def _unseen_payslip(v: Values) -> Draft:
    """A payslip written for this test only: wording and layout no training template has."""
    gross = v.amount(2000, 4000)
    return Draft(
        [("head", "Kraanverhuur Holland B.V.", ["Loonadministratie"]),
         ("text", f"Specificatie salaris over {v.month_text(v.date())} voor {v.name()}"),
         ("table", ["Post", "Bedrag"], [["Bruto maandloon", v.money(gross)],
                                       ["Ingehouden loonheffing", v.money(gross * 0.15)],
                                       ["Werknemersdeel pensioen", v.money(gross * 0.05)],
                                       ["Netto te ontvangen", v.money(gross * 0.8)]]),
         ("text", f"Het nettoloon is overgemaakt op {v.iban()}. BSN werknemer {v.personal_number()}.")],
    )  # fmt: skip


def test_a_degraded_scan_of_a_template_never_seen_in_training_is_classified_right():
    rng = random.Random(2026)
    pdf = draft_pdf(_unseen_payslip(Values(rng=rng, language="nl")), Style(font="Times-Roman"), rng)
    scan, _ = page_degrade(pdf_page_image(pdf), random.Random(4))
    text = scan_read(scan).text  # Civic's own OCR
    assert "loon" in text.lower()
    result = document_type_classify(text)
    assert (result.type, result.to_person) == ("payslip", False)
    assert result.confidence >= 0.5


def test_text_that_is_no_document_type_goes_to_a_person():
    passages = out_of_domain_texts(45, seed=3)
    results = [document_type_classify(text) for _, text in passages]
    to_person = [r.to_person for r in results]
    assert sum(to_person) / len(to_person) >= 0.9
    assert all(r.type == "other" for r in results if r.to_person)
    assert document_type_classify("   ").to_person


def test_below_the_threshold_the_type_is_other_and_a_person_decides(settings):
    text = pdf_text(sample_make(8, 8, scan=False).pdf)  # a payslip
    sure = document_type_classify(text)
    assert (sure.type, sure.to_person) == ("payslip", False)
    settings.DOCUMENTS_CLASSIFIER_THRESHOLD = min(1.0, sure.confidence + 0.01)
    unsure = document_type_classify(text)
    assert (unsure.type, unsure.model_type, unsure.to_person) == ("other", "payslip", True)
    assert unsure.confidence == sure.confidence


@pytest.mark.parametrize("index", [10, 11])
def test_a_clean_text_layer_of_a_known_template_is_classified_with_high_confidence(index):
    sample = sample_make(12, index, scan=False)
    result = document_type_classify(pdf_text(sample.pdf))
    assert result.type == sample.truth["type"] and result.confidence > 0.5


@pytest.mark.slow  # two trainings: about 15 s on two busy cores
def test_retraining_from_the_cached_corpus_gives_the_same_model_without_any_ocr(tmp_path, settings):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from civic.documents import classification

    texts = [pdf_text(sample_make(77, index, scan=False).pdf) for index in (8, 17, 40)]
    probabilities = []
    for name in ("one.joblib", "two.joblib"):
        call_command(
            "documents", "train", out=tmp_path / name, samples=80, clean=8,
            no_evaluate=True, no_progress=True,
        )  # fmt: skip
        settings.DOCUMENTS_CLASSIFIER_MODEL = str(tmp_path / name)
        assert classification.model_info()["samples"] == 80
        probabilities.append([classification.document_type_classify(t).confidence for t in texts])
    assert probabilities[0] == probabilities[1]
    assert not (tmp_path / "one.joblib.tmp").exists()
    with pytest.raises(CommandError, match="1 or more"):
        call_command("documents", "train", out=tmp_path / "x.joblib", samples=0, no_progress=True)
