"""Reading a set-up file into one document: YAML (or JSON), with parts kept in other files.

A mapping whose only key is ``file`` stands for the content of that file (YAML or JSON, its
path relative to the file that names it). Only ``true`` and ``false`` are booleans, as in
YAML 1.2: a rule set's mode ``off`` stays the word it is, and dates stay text. A key given
twice in one mapping is refused rather than silently taking the last value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

BOOL = "tag:yaml.org,2002:bool"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key if isinstance(key, str) else id(key))
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (BOOL, TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a set-up file, at a place in it (``grants[3].attributes[1]``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def path_text(parts: Iterable[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text or "(top)"


@dataclass
class Document:
    """The whole set-up as one tree, and which file each included part came from."""

    data: Any
    path: Path
    #: Document path of an included part -> the file it came from, relative to ``path``.
    sources: dict[str, str] = field(default_factory=dict)

    def where(self, path: str) -> str:
        """``path``, naming the included file it lies in (if any)."""
        found = [p for p in self.sources if path == p or path.startswith((p + ".", p + "["))]
        return f"{path} (in {self.sources[max(found, key=len)]})" if found else path


class Unreadable(Exception):
    """The file (or a file it names) cannot be read or parsed; ``problems`` say where."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} is given twice")
        out[key] = value
    return out


def _parse(file: Path, shown: str) -> Any:
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise Unreadable([Problem(shown, f"cannot be read ({error.strerror or error})")]) from None
    if file.suffix == ".json":
        try:
            return json.loads(text, object_pairs_hook=_no_duplicate_keys)
        except json.JSONDecodeError as error:
            where = f"{shown}:{error.lineno}:{error.colno}"
            raise Unreadable([Problem(where, f"not valid JSON: {error.msg}")]) from None
        except ValueError as error:
            raise Unreadable([Problem(shown, f"not valid JSON: {error}")]) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (_Loader is a SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        problem = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None)
        message = f"{context}, {problem}" if context else problem
        raise Unreadable([Problem(where, f"not valid YAML: {message}")]) from None


def document_read(path: Path) -> Document:
    """The set-up in ``path`` with every included file read in; raises Unreadable."""
    path = Path(path)
    document = Document(data=None, path=path)
    problems: list[Problem] = []
    document.data = _resolve(
        _parse(path, path.name), path, [], document, (path.resolve(),), problems
    )
    if problems:
        raise Unreadable(problems)
    return document


def _is_include(value: Any) -> bool:
    return isinstance(value, dict) and list(value) == ["file"] and isinstance(value["file"], str)


def _resolve(
    value: Any, file: Path, parts: list, document: Document, stack: tuple, problems: list
) -> Any:
    """``value`` with its includes read in; what cannot be read is a problem, not an end,
    so that every broken include is named at once."""
    if _is_include(value):
        target = (file.parent / value["file"]).resolve()
        here = path_text(parts)
        try:
            shown = str(target.relative_to(document.path.parent.resolve()))
        except ValueError:
            shown = str(target)
        if target in stack:
            problems.append(Problem(f"{here}.file", f"{shown} includes itself"))
            return None
        if not target.is_file():
            problems.append(
                Problem(f"{here}.file", f"there is no file {value['file']} next to {file.name}")
            )
            return None
        document.sources[here] = shown
        try:
            content = _parse(target, shown)
        except Unreadable as unreadable:
            problems.extend(unreadable.problems)
            return None
        return _resolve(content, target, parts, document, (*stack, target), problems)
    if isinstance(value, dict):
        return {
            k: _resolve(v, file, [*parts, k], document, stack, problems) for k, v in value.items()
        }
    if isinstance(value, list):
        return [
            _resolve(v, file, [*parts, i], document, stack, problems) for i, v in enumerate(value)
        ]
    return value
