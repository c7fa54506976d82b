"""The apps are layered (the import-linter contracts in pyproject.toml), and no import between
apps hides inside a function: one would only be there to dodge a cycle the layers forbid, or
to make the module order matter at start-up."""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import lint_imports

import civic

SOURCE = Path(civic.__file__).parent
ROOT = SOURCE.parent.parent

#: Where an import inside a function between apps belongs: an AppConfig.ready wiring a hook or
#: a gauge once Django has loaded every app, and the entry points that load Django late.
LATE_ON_PURPOSE = {"civic.cli", "civic.observability", "civic.identity.management.commands.serve"}


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def imports_between_apps_inside_functions() -> list[str]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        if module in LATE_ON_PURPOSE or module.endswith(".apps"):
            continue

        found += [
            f"{path.relative_to(ROOT)}:{line} {imported}"
            for line, imported in _inside_functions(ast.parse(path.read_text()), False)
            if _app(imported) != _app(module)
        ]
    return found


def _inside_functions(node: ast.AST, inside: bool):
    """(line, module) of each ``from civic... import`` inside a function."""
    for child in ast.iter_child_nodes(node):
        if (
            inside
            and isinstance(child, ast.ImportFrom)
            and child.level == 0
            and (child.module or "").startswith("civic.")
        ):
            yield child.lineno, child.module
        yield from _inside_functions(
            child, inside or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        )


def test_no_import_between_apps_hides_inside_a_function():
    assert imports_between_apps_inside_functions() == []


def test_the_import_contracts_hold(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
