"""Microsoft Presidio beside Civic's personal-data detector (issue 17), as far as it runs here.

Presidio's analyzer wants a spaCy language model for its NER (names, places), and spaCy's
models are published on GitHub, not on PyPI, so none can be installed here. It is run instead
with blank spaCy pipelines (``spacy.blank("en")``, ``spacy.blank("nl")``: a tokenizer and no
trained component) loaded by path through its own ``NlpEngineProvider``: every predefined
pattern recognizer of its default registry runs as shipped (IBAN with its mod-97 check,
e-mail, phone, credit card, dates, URLs, the US and UK numbers for English, ...), its spaCy NER
recognizer runs on a pipeline that finds no entity. Nothing is added to it: it has no
recognizer for the Dutch personal number (BSN), and none is written here.

Its entity types are scored as Civic's kinds by ``KINDS``; the others it reports are counted,
not scored (the documents' truth has none of them, or the benchmark does not score them for
Civic either).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Presidio's entity types scored as Civic's kinds. IBAN_CODE and PERSON mean what Civic's
#: "iban" and "name" mean. DATE_TIME is any date, not a date of birth; EMAIL_ADDRESS and
#: PHONE_NUMBER are not in the benchmark's truth; no Presidio type is the Dutch personal number.
KINDS = {"IBAN_CODE": "iban", "PERSON": "name"}
LANGUAGES = ("en", "nl")
#: What the benchmark's table says Presidio is, whenever it ran.
LIMITS = (
    "pattern recognizers only: no spaCy NER model is published on PyPI, so its NER-based "
    "kinds (names) are not detected"
)


@dataclass(frozen=True)
class Finding:
    kind: str  # Civic's kind, or "" for an entity type that is not scored
    text: str
    entity: str
    score: float


class Presidio:
    """Presidio's ``AnalyzerEngine`` with its default recognizers for English and Dutch over blank
    spaCy pipelines, saved to a temporary folder and loaded from there by path."""

    def __init__(self) -> None:
        _offline()
        import importlib.metadata
        import logging

        import spacy
        from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        with tempfile.TemporaryDirectory(prefix="civic-presidio-") as folder:
            models = []
            for language in LANGUAGES:
                spacy.blank(language).to_disk(Path(folder) / language)
                models.append({"lang_code": language, "model_name": str(Path(folder) / language)})
            # A path that exists is loaded as it is (spacy.load); only a missing package
            # name would make Presidio try to download it.
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
            "pipelines": "spacy.blank(en), spacy.blank(nl): no trained component",
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
        import spacy  # noqa: F401
    except ImportError as error:
        return f"presidio-analyzer cannot run: {error} (pip install -e '.[dev]')"
    return Presidio()
