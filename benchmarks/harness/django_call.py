"""Calling a benchmark's Django-side function in a ``civic shell`` with the benchmark's
environment (``ask(env, "function", spec, module=...)``), so the benchmarks read
through Civic's own models and selectors as they are, not through SQL of their own."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from benchmarks.harness.paths import CIVIC, ROOT


def ask(
    env: dict[str, str],
    function: str,
    spec: Any = None,
    *,
    timeout: float = 600,
    module: str = "benchmarks.load.django_side",
) -> Any:
    """Call ``function`` of ``module`` (imported by name) in a ``civic shell`` with ``env``;
    what it returned (JSON). Without ``spec`` the function is called without an argument."""
    return result_of(_shell(env, shell_code(module, function, spec), timeout=timeout).stdout)


def shell_code(module: str, function: str, spec: Any) -> str:
    """The code a ``civic shell -c`` runs to call ``module.function(spec)`` and print its
    result on the last line."""
    return (
        "import importlib, json, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"m = importlib.import_module({module!r})\n"
        f"spec = json.loads({json.dumps(spec)!r})\n"
        f"result = m.{function}(spec) if spec is not None else m.{function}()\n"
        "print('\\nRESULT ' + json.dumps(result, default=str))\n"
    )


def shell_argv(code: str) -> list[str]:
    return [str(CIVIC), "shell", "-v", "0", "-c", code]


def result_of(stdout: str) -> Any:
    line = next(x for x in reversed(stdout.splitlines()) if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def _shell(env: dict[str, str], code: str, *, timeout: float) -> subprocess.CompletedProcess:
    done = subprocess.run(
        shell_argv(code), env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode:
        raise RuntimeError(f"civic shell failed:\n{done.stderr[-3000:]}")
    return done
