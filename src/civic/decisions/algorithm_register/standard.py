"""The publication standard (Algoritmeregister publicatiestandaard 1.0): its schema, its
fields and groups, the names Civic gives its files, and the check of an exported document
against the schema, naming the first failing field."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from civic.core.errors import CivicError

DATA = Path(__file__).resolve().parent.parent / "data"
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


def _is_text(value: Any) -> bool:
    """A text in several languages: an object whose keys are all language codes."""
    return isinstance(value, dict) and bool(value) and set(value) <= set(LANGUAGES)


def _path(parts: list) -> str:
    return "/".join(str(part) for part in parts)


# -- reads for pages and exports ---------------------------------------------------------------


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
