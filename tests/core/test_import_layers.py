"""The apps are layered (the import-linter contracts in pyproject.toml), no import between apps
hides inside a function (one would only be there to dodge a cycle the layers forbid, or to make
the module order matter at start-up), and inside an app the modules import each other in one
direction too: no cycle, not even one an import inside a function would hide."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
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


#: Cycles between modules of one app let through, as (sorted modules, why). Ideally none:
#: a cycle is broken by moving what both sides need into a module below them (e.g. a task calls
#: notify.sending, which services also use, rather than services). Start-up code stays lazy
#: without a cycle (AppConfig.ready imports the app's own modules, which never import apps).
DELIBERATE_CYCLES: dict[tuple[str, ...], str] = {}


def cycles_inside_apps(package: str = "civic") -> list[tuple[str, ...]]:
    """The groups of modules of one app that import each other round in a circle (strongly
    connected), by grimp's graph: imports inside functions and under TYPE_CHECKING count."""
    graph = grimp.build_graph(package, cache_dir=None)
    modules = sorted(graph.modules)
    within = {
        module: {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if _app(imported) == _app(module)
        }
        for module in modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in within[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(tuple(sorted(group)))

    for module in modules:
        if module not in index:
            visit(module)
    return sorted(found)


def test_no_modules_of_an_app_import_each_other_round_in_a_circle():
    found = [
        " <-> ".join(group) for group in cycles_inside_apps() if group not in DELIBERATE_CYCLES
    ]
    assert found == []


def test_a_cycle_is_found_even_behind_an_import_inside_a_function(tmp_path, monkeypatch):
    """The check itself: an app's services import its tasks inside a function, and the tasks
    import the services at the top."""
    app = tmp_path / "civic_cycle_probe" / "app"
    app.mkdir(parents=True)
    (app.parent / "__init__.py").write_text("")
    (app / "__init__.py").write_text("")
    (app / "services.py").write_text(
        "def later():\n    from civic_cycle_probe.app.tasks import task\n\n    return task\n"
    )
    (app / "tasks.py").write_text("from civic_cycle_probe.app.services import later\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cycles_inside_apps("civic_cycle_probe") == [
        ("civic_cycle_probe.app.services", "civic_cycle_probe.app.tasks")
    ]
