"""The public algorithm register: every rule set and model Civic uses, described with the fields
of the Dutch algorithm register's publication standard (Algoritmeregister publicatiestandaard
1.0) and exported as JSON documents that validate against that standard's JSON Schema.

The entries live in ``data/algorithms.json``: the standard's fields under their own names, each
free text as ``{"en": ..., "nl": ...}``. An export is one language: texts become strings, links
that start with ``/`` become absolute, and ``lang``, ``standard_version``, ``source_id`` and
``url`` are filled in. Every exported document is checked against
``data/algoritmeregister-schema.json``; a failure names the entry, the language and the field.
The parsed file is read once per process (``entries_reload`` reads it again).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from civic.core.errors import CivicError

DATA = Path(__file__).resolve().parent / "data"
SCHEMA_FILE = DATA / "algoritmeregister-schema.json"
ENTRIES_FILE = DATA / "algorithms.json"

STANDARD_NAME = "Algoritmeregister publicatiestandaard"
STANDARD_VERSION = "1.0"
#: Page language -> the standard's ``lang`` (ISO 639-3).
LANGUAGES = {"en": "eng", "nl": "nld"}
KINDS = ("rule-set", "model")
#: Fields Civic fills in on export; entries do not set them.
FILLED_ON_EXPORT = ("lang", "standard_version", "source_id", "url")
#: Assigned by the national register when an entry is delivered there; Civic leaves it out.
NOT_EXPORTED = ("lars",)
#: Fields holding a link; a link starting with "/" is made absolute on export.
LINK_FIELDS = ("website", "url", "process_index_url", "publiccode", "link")

#: The groups of the national register's pages (MinBZK/Algoritmeregister,
#: frontend/layout-config/v1_0.json): a summary card, then three groups of rows.
SUMMARY = ("publication_category", "status", "impacttoetsen_grouping")
GROUPS = (
    ("general", ("category", "begin_date", "end_date", "contact_email", "website", "url")),
    (
        "responsible-use",
        (
            "goal",
            "proportionality",
            "human_intervention",
            "risks",
            "lawful_basis",
            "lawful_basis_grouping",
            "process_index_url",
            "impacttoetsen",
            "impacttoetsen_grouping",
        ),
    ),
    (
        "operation",
        ("source_data", "source_data_grouping", "methods_and_models", "provider", "publiccode"),
    ),
)
#: Fields the standard shows even when empty ("show_always"); others only when filled in.
SHOW_ALWAYS = frozenset(
    {
        "name",
        "description_short",
        "organization",
        "category",
        "status",
        "begin_date",
        "contact_email",
        "publication_category",
        "goal",
        "proportionality",
        "human_intervention",
        "risks",
        "source_data",
    }
)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: /algorithms/register.json is the whole register, /algorithms/processing/ the record of
#: processing activities, /algorithms/publiccode.yml the software's description.
_RESERVED_SLUGS = {"register", "processing", "publiccode"}
ASSESSMENTS = DATA / "assessments"
PUBLICCODE_FILE = DATA / "publiccode.yml"


class AlgorithmRegisterError(CivicError):
    """An entry that does not meet the standard; names the entry, the language and the field."""

    code = "invalid-algorithm-register-entry"

    def __init__(self, *, slug: str, path: str, message: str, language: str | None = None):
        self.slug = slug
        self.path = path
        self.language = language
        where = f" ({language})" if language else ""
        super().__init__(
            f"Algorithm register entry {slug!r}{where} is invalid at {path or '(the entry)'}: "
            f"{message}"
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


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The standard's JSON Schema as shipped with Civic."""
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def standard_fields() -> tuple[str, ...]:
    """The standard's fields in its order, as exported."""
    return tuple(key for key in schema()["properties"] if key not in NOT_EXPORTED)


@lru_cache(maxsize=4)
def _entries(path: Path) -> tuple[Algorithm, ...]:
    return entries_parse(json.loads(path.read_text(encoding="utf-8")))


def entries_reload() -> None:
    """Forget the parsed files, so the next read sees edits (tests, a long-running shell)."""
    _entries.cache_clear()
    schema.cache_clear()
    _validator.cache_clear()


def entries_parse(data: dict[str, Any]) -> tuple[Algorithm, ...]:
    """Parse and check the entries file's content; every entry must validate in every language."""
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list):
        raise AlgorithmRegisterError(slug="", path="entries", message="must be a list of entries")
    seen: set[str] = set()
    algorithms = []
    for position, raw in enumerate(raw_entries):
        algorithm = _entry_parse(raw, position=position)
        if algorithm.slug in seen:
            raise AlgorithmRegisterError(
                slug=algorithm.slug, path="slug", message="is used by another entry"
            )
        seen.add(algorithm.slug)
        for language in LANGUAGES:
            algorithm_document(algorithm, language=language)  # raises when invalid
        algorithms.append(algorithm)
    return tuple(algorithms)


def _entry_parse(raw: Any, *, position: int) -> Algorithm:
    if not isinstance(raw, dict):
        raise AlgorithmRegisterError(slug=f"#{position + 1}", path="", message="must be an object")
    slug = raw.get("slug")
    if not isinstance(slug, str) or not _SLUG.match(slug) or slug in _RESERVED_SLUGS:
        raise AlgorithmRegisterError(
            slug=str(slug) if slug else f"#{position + 1}",
            path="slug",
            message="must be lower-case words joined by hyphens, and not 'register'",
        )
    if raw.get("kind") not in KINDS:
        raise AlgorithmRegisterError(
            slug=slug, path="kind", message=f"must be one of {', '.join(KINDS)}"
        )
    for key, what in (("rule_sets", "rule set keys"), ("services", "service codes")):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise AlgorithmRegisterError(slug=slug, path=key, message=f"must be a list of {what}")
    standard = raw.get("standard")
    if not isinstance(standard, dict):
        raise AlgorithmRegisterError(slug=slug, path="standard", message="must be an object")
    known = set(standard_fields())
    for key in standard:
        if key in FILLED_ON_EXPORT:
            raise AlgorithmRegisterError(
                slug=slug, path=key, message="is filled in by Civic on export; leave it out"
            )
        if key not in known:
            raise AlgorithmRegisterError(
                slug=slug, path=key, message="is not a field of the standard"
            )
    _texts_check(standard, slug=slug, path=[])
    return Algorithm(
        slug=slug,
        kind=raw["kind"],
        rule_sets=tuple(raw.get("rule_sets", [])),
        services=tuple(raw.get("services", [])),
        standard=standard,
    )


def _is_text(value: Any) -> bool:
    """A text in several languages: an object whose keys are all language codes."""
    return isinstance(value, dict) and bool(value) and set(value) <= set(LANGUAGES)


def _texts_check(value: Any, *, slug: str, path: list) -> None:
    if _is_text(value):
        for language in LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                raise AlgorithmRegisterError(
                    slug=slug,
                    language=language,
                    path=_path(path),
                    message=f"needs a text in {language!r}",
                )
    elif isinstance(value, dict):
        for key, item in value.items():
            _texts_check(item, slug=slug, path=[*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _texts_check(item, slug=slug, path=[*path, index])


def _path(parts: list) -> str:
    return "/".join(str(part) for part in parts)


# -- reads for pages and exports ---------------------------------------------------------------


def algorithms_list() -> list[Algorithm]:
    """Every entry, in the order of the file."""
    return list(_entries(ENTRIES_FILE))


def algorithm_get(*, slug: str) -> Algorithm | None:
    return next((a for a in _entries(ENTRIES_FILE) if a.slug == slug), None)


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


_HEADING = re.compile(r"^(?P<level>#{1,3}) (?P<text>.+?)(?: \{#(?P<id>[a-z0-9-]+)\})?$")


def assessment_get(*, slug: str) -> list[dict[str, Any]] | None:
    """The impact assessments (DPIA and IAMA) of an entry, as blocks for a page (headings with
    their anchors, paragraphs, lists), or None when the entry has none. The documents are
    ``data/assessments/<slug>.md``: headings, paragraphs and ``-`` lists, nothing else."""
    if not _SLUG.match(slug):
        return None
    path = ASSESSMENTS / f"{slug}.md"
    if not path.is_file():
        return None
    blocks: list[dict[str, Any]] = []
    for chunk in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        if not lines:
            continue
        heading = _HEADING.match(lines[0])
        if heading:
            blocks.append(
                {
                    "kind": "heading",
                    "level": len(heading["level"]),
                    "text": heading["text"],
                    "id": heading["id"] or "",
                }
            )
            lines = lines[1:]
            if not lines:
                continue
        if all(line.startswith("- ") for line in lines):
            blocks.append({"kind": "list", "items": [line[2:] for line in lines]})
        else:
            blocks.append({"kind": "paragraph", "text": " ".join(lines)})
    return blocks


def register_document(*, language: str, base_url: str = "") -> dict[str, Any]:
    """Every entry in ``language``: each item of ``algorithms`` is one document of the standard."""
    algorithms = [
        algorithm_document(a, language=language, base_url=base_url) for a in algorithms_list()
    ]
    return {
        "standard": STANDARD_NAME,
        "standard_version": STANDARD_VERSION,
        "lang": LANGUAGES[language],
        "count": len(algorithms),
        "algorithms": algorithms,
    }


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


def document_validate(document: dict[str, Any], *, slug: str, language: str | None = None) -> None:
    """Refuse a document that does not meet the schema, naming the first failing field."""
    errors = sorted(
        _validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path]
    )
    if not errors:
        return
    error = errors[0]
    parts = list(error.absolute_path)
    if error.validator == "required":
        missing = [f for f in error.validator_value if f not in error.instance]
        parts.append(missing[0] if missing else "")
    raise AlgorithmRegisterError(
        slug=slug, language=language, path=_path(parts), message=_message(error)
    )


def _message(error: ValidationError) -> str:
    """What is wrong, without repeating a long text in full."""
    value, limit = error.instance, error.validator_value
    if error.validator == "required":
        return "is required by the standard"
    if error.validator == "maxLength":
        return f"is {len(value)} characters long; the standard allows at most {limit}"
    if error.validator == "maxItems":
        return f"has {len(value)} items; the standard allows at most {limit}"
    if error.validator == "enum":
        allowed = ", ".join(repr(v) for v in limit if v is not None)
        return f"{value!r} is not one of {allowed}"
    if error.validator == "type":
        return f"must be of type {limit}, not {type(value).__name__}"
    return error.message[:300]
