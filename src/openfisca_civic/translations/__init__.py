"""Labels of the package's variables and parameters in other languages than English.

Each language is a YAML file next to this module, ``<language>.yaml``, with two mappings:
``variables`` (variable name → label) and ``parameters`` (dotted parameter path, as OpenFisca
names it → description). Civic shows these labels in explanations read in that language.
"""

from __future__ import annotations

import functools
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

__all__ = ["TRANSLATIONS_DIR", "labels"]

TRANSLATIONS_DIR = Path(__file__).resolve().parent

_SECTIONS = ("variables", "parameters")


@functools.cache
def _load(language: str) -> MappingProxyType[str, MappingProxyType[str, str]]:
    """Read ``<language>.yaml`` once; a language without a file has empty mappings."""
    path = TRANSLATIONS_DIR / f"{language}.yaml"
    if not language.isidentifier() or not path.is_file():
        return MappingProxyType({section: MappingProxyType({}) for section in _SECTIONS})
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle) or {}
    return MappingProxyType(
        {
            section: MappingProxyType(
                {str(key): str(value) for key, value in (data.get(section) or {}).items()}
            )
            for section in _SECTIONS
        }
    )


def labels(language: str) -> dict[str, dict[str, str]]:
    """The labels in ``language``: ``{"variables": {...}, "parameters": {...}}``.

    ``"nl"`` gives the Dutch labels; a regional code such as ``"nl-nl"`` or ``"nl_NL"`` falls
    back to ``"nl"``. An unknown language gives empty mappings. The file is read once per
    process; each call returns fresh dicts, so a caller may change them freely.
    """
    code = language.strip().lower().replace("-", "_")
    loaded = _load(code)
    if not any(loaded.values()) and "_" in code:
        loaded = _load(code.split("_", 1)[0])
    return {section: dict(loaded[section]) for section in _SECTIONS}
