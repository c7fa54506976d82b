"""The entries file (``data/algorithms.json``): read once per process, every entry checked
in every language, and the reads the pages and exports make of it."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from civic.decisions.algorithm_register.documents import Algorithm, algorithm_document
from civic.decisions.algorithm_register.standard import (
    _RESERVED_SLUGS,
    _SLUG,
    ENTRIES_FILE,
    FILLED_ON_EXPORT,
    KINDS,
    LANGUAGES,
    STANDARD_NAME,
    STANDARD_VERSION,
    AlgorithmRegisterError,
    _is_text,
    _path,
    _validator,
    schema,
    standard_fields,
)


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


def algorithms_list() -> list[Algorithm]:
    """Every entry, in the order of the file."""
    return list(_entries(ENTRIES_FILE))


def algorithm_get(*, slug: str) -> Algorithm | None:
    return next((a for a in _entries(ENTRIES_FILE) if a.slug == slug), None)


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
