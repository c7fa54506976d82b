"""One entry of the register and its export: an entry in one language as a document of the
standard (texts become strings, links absolute, the fields Civic fills in filled in), and
where Civic's source code is published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

from civic.decisions.algorithm_register.standard import (
    LANGUAGES,
    LINK_FIELDS,
    PUBLICCODE_FILE,
    STANDARD_VERSION,
    _is_text,
    document_validate,
    standard_fields,
)


@dataclass(frozen=True)
class Algorithm:
    """One entry: Civic's own facts about it, and its fields of the standard (texts per language)."""

    slug: str
    kind: str  # "rule-set" or "model"
    rule_sets: tuple[str, ...]  # keys of civic.decisions.rule_sets (OpenFisca variable prefixes)
    services: tuple[str, ...]
    standard: dict[str, Any]

    @property
    def is_model(self) -> bool:
        return self.kind == "model"


# -- reading the files -------------------------------------------------------------------------


def language_of(code: str | None) -> str:
    """The register language for a Django language code ("nl", "nl-be", "en-gb" ...)."""
    base = (code or "").lower().split("-")[0]
    return base if base in LANGUAGES else "en"


def algorithm_document(
    algorithm: Algorithm, *, language: str, base_url: str = ""
) -> dict[str, Any]:
    """The entry as one JSON document of the standard, in ``language`` ("en" or "nl"), checked
    against the schema. ``base_url`` ("https://host") makes the links absolute."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    json_path = reverse("algorithms:entry-json", args=[algorithm.slug])
    filled = {
        "lang": LANGUAGES[language],
        "standard_version": STANDARD_VERSION,
        "source_id": algorithm.slug,
        "url": f"{base_url}{json_path}?lang={language}",
    }
    if "publiccode" not in algorithm.standard:  # Civic is open source: link its code
        filled["publiccode"] = source_code_url(base_url)
    document: dict[str, Any] = {}
    for key in standard_fields():  # in the standard's order
        if key in filled:
            document[key] = filled[key]
        elif key in algorithm.standard:  # a field left out stays out (and may be required)
            document[key] = _localise(algorithm.standard[key], language, base_url, key)
    document_validate(document, slug=algorithm.slug, language=language)
    return document


def source_code_url(base_url: str = "") -> str:
    """Where Civic's source code is published (CIVIC_SOURCE_CODE_URL), or the publiccode.yml
    this installation serves."""
    return settings.SOURCE_CODE_URL or f"{base_url}{reverse('algorithms:publiccode')}"


def publiccode_text(*, url: str) -> str:
    """Civic's publiccode.yml with the repository (or this served file) and the version."""
    import importlib.metadata

    try:
        version = importlib.metadata.version("civic")
    except importlib.metadata.PackageNotFoundError:
        version = "0.0.0"
    return (
        PUBLICCODE_FILE.read_text(encoding="utf-8")
        .replace("{url}", url)
        .replace("{version}", version)
    )


def _localise(value: Any, language: str, base_url: str, key: str | None = None) -> Any:
    if value is None:
        return None
    if _is_text(value):
        return value[language]
    if isinstance(value, dict):
        return {k: _localise(v, language, base_url, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_localise(item, language, base_url) for item in value]
    if key in LINK_FIELDS and isinstance(value, str) and value.startswith("/"):
        return f"{base_url}{value}"
    return value


# -- validation --------------------------------------------------------------------------------
