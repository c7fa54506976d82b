"""Rules benchmarks (issue 14): what the monthly periods cost OpenFisca, and what a what-if
reform run over a population costs. ``python -m benchmarks --section rules [--smoke]``

1. Periods. Synthetic residents (households of one to five, birth dates 1930 to the year,
   incomes 0 to 80,000; no database) in one simulation: build it and calculate every proactive
   rule set's eligibility and amount and the household income, best of ``repeats`` fresh
   simulations, with the country package as it is (child benefit, health care allowance and
   the pension-age months summed month by month) and with an OpenFisca reform that judges
   those three on the age on 1 January instead (what the rules did before monthly periods).
2. Reform run. A SQLite demo installation of ``residents`` residents (in a temporary folder),
   then a reform (the school clothing grant's limit at 130 %) and the empty reform run over it
   in chunks, inline: the whole run, and read / compute summed over its chunks.

Writes the "rules" section of docs/benchmarks.md and benchmarks/results/rules.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import context, report
from benchmarks.harness.build import demo_build
from benchmarks.harness.machine import machine_describe
from benchmarks.harness.paths import ROOT
from benchmarks.harness.targets import Target

YEAR = 2026
RAISED_LIMIT = (
    "name: limit 130 %\nparameters:\n  school_clothing_grant.income_limit_percentage: 1.3\n"
)
EMPTY = "name: empty\n"


def _yearly_only(system):
    """The package with its three month-by-month parts judged on the age on 1 January."""
    from openfisca_core.model_api import YEAR as PERIOD_YEAR
    from openfisca_core.model_api import Reform, Variable, select, where

    from openfisca_civic.entities import Household, Person

    class child_benefit_per_child(Variable):
        value_type, entity, definition_period = float, Person, PERIOD_YEAR

        def formula(person, period, parameters):
            p = parameters(period).child_benefit
            age = person("age", period)
            return select(
                [age < 0, age < p.middle_bracket_age, age < p.top_bracket_age, age < p.age_limit],
                [0, p.amount_0_to_5, p.amount_6_to_11, p.amount_12_to_17],
                default=0,
            )

    class health_care_allowance_months(Variable):
        value_type, entity, definition_period = int, Person, PERIOD_YEAR

        def formula(person, period, parameters):
            return where(person("is_adult", period), 12, 0)

    class months_at_pension_age(Variable):
        value_type, entity, definition_period = int, Household, PERIOD_YEAR

        def formula(household, period, parameters):
            return where(household("pensioners_count", period) > 0, 12, 0)

    class YearlyOnly(Reform):
        name = "ages on 1 January only"

        def apply(self):
            for variable in (
                child_benefit_per_child,
                health_care_allowance_months,
                months_at_pension_age,
            ):
                self.update_variable(variable)

    return YearlyOnly(system)


def _synthetic(persons: int, seed: int = 1):
    import numpy as np

    from civic.decisions.engine import Household

    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 6, size=persons)
    household = np.repeat(np.arange(persons), sizes)[:persons]
    days = rng.integers(0, (YEAR - 1930) * 365, size=persons)
    birth = np.datetime64("1930-01-01") + days.astype("timedelta64[D]")
    return Household(
        person_ids=np.array([f"{i:09d}" for i in range(persons)]),
        household=household,
        birth_date=birth.astype("datetime64[D]"),
        income=rng.integers(0, 80_000, size=persons).astype(np.float64),
        vehicles=np.zeros(persons, dtype=np.int64),
    )


def _build(system, columns):
    import numpy as np
    from openfisca_core.simulations import SimulationBuilder

    from civic.decisions.engine import ADULT_AGE, ages

    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("person", columns.person_ids)
    households = builder.declare_entity("household", np.arange(int(columns.household.max()) + 1))
    roles = np.where(ages(columns.birth_date, YEAR) >= ADULT_AGE, "adult", "child")
    builder.join_with_persons(households, columns.household, roles)
    simulation = builder.build(system)
    simulation.set_input("birth_date", "ETERNITY", columns.birth_date)
    simulation.set_input("income", str(YEAR - 1), columns.income.astype(np.float32))
    return simulation


def measure_periods(persons: int, repeats: int) -> dict[str, Any]:
    from civic.decisions.engine import rule_system
    from civic.decisions.rule_sets import proactive_rule_sets

    columns = _synthetic(persons)
    variables = [v for r in proactive_rule_sets() for v in (r.eligible_variable, r.amount_variable)]
    figures: dict[str, Any] = {"persons": persons, "households": int(columns.household.max()) + 1}
    for label, system in (("monthly", rule_system()), ("yearly", _yearly_only(rule_system()))):
        builds, calculations = [], []
        for _ in range(repeats):
            began = time.perf_counter()
            simulation = _build(system, columns)
            built = time.perf_counter()
            for variable in [*variables, "household_income"]:
                simulation.calculate(variable, str(YEAR))
            builds.append(built - began)
            calculations.append(time.perf_counter() - built)
        figures[label] = {"build": min(builds), "calculate": min(calculations)}
    figures["ratio"] = figures["monthly"]["calculate"] / figures["yearly"]["calculate"]
    return figures


def measure_reform(residents: int, chunk_size: int) -> dict[str, Any]:
    from civic.decisions import reform_runner, reform_runs
    from civic.decisions.reforms import reform_parse

    figures: dict[str, Any] = {"residents": residents, "chunk_size": chunk_size, "runs": {}}
    for text in (RAISED_LIMIT, EMPTY):
        spec = reform_parse(text)
        reform = reform_runs.reform_save(agency="havenstad", spec=spec)
        began = time.perf_counter()
        run = reform_runs.run_start(reform=reform, year=YEAR, chunk_size=chunk_size)
        run = reform_runner.run_execute(run)
        took = time.perf_counter() - began
        chunks = list(run.chunks.values_list("timings", flat=True))
        figures["runs"][spec.name] = {
            "seconds": took,
            "chunks": len(chunks),
            "read": sum(c.get("read", 0) for c in chunks),
            "compute": sum(c.get("compute", 0) for c in chunks),
            "cost_change": run.result.get("cost_change"),
            "households": run.result.get("households"),
            "gaining": run.result.get("households_gaining"),
            "losing": run.result.get("households_losing"),
        }
    return figures


def render(figures: dict[str, Any], machine: dict[str, Any], run: dict[str, Any]) -> str:
    periods, reform = figures["periods"], figures["reform"]
    lines = [
        report.begin("rules", "benchmarks/rules/section.py"),
        "## Rules: monthly periods and reform runs (issue 14)",
        "",
        f"Machine: {machine.get('cpu', '?')}. Date: {machine.get('date', '?')}; load average "
        f"at start {machine.get('load_at_start', '?')}. `python -m benchmarks --section rules` "
        f"(sizes: {run}).",
        "",
        f"**Monthly periods.** {periods['persons']:,} synthetic residents in "
        f"{periods['households']:,} households, one simulation, best of {run['repeats']}: "
        "every proactive rule set's eligibility and amount and the household income.",
        "",
        "| Rules | Build | Calculate |",
        "|---|---:|---:|",
    ]
    for key, label in (("monthly", "as in force (months)"), ("yearly", "ages on 1 January")):
        p = periods[key]
        lines.append(f"| {label} | {p['build']:.3f} s | {p['calculate']:.3f} s |")
    lines += [
        "",
        f"The months make the calculation {periods['ratio']:.1f} times the yearly one: "
        f"{(periods['monthly']['calculate'] - periods['yearly']['calculate']) / periods['persons'] * 1e6:.1f} s "
        "more per million residents, small beside a run's reads.",
        "",
        f"**Reform runs.** A SQLite demo of {reform['residents']:,} residents, "
        f"{reform['chunk_size']:,} addresses a chunk, inline runner; read and compute summed "
        "over the chunks (read: the exchange's population read with its access log and the "
        "neighbourhoods; compute: the units, both simulations and the figures).",
        "",
        "| Reform | Chunks | Whole run | Read | Compute | Households | Cost change | Gaining / losing |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in reform["runs"].items():
        lines.append(
            f"| {name} | {r['chunks']} | {r['seconds']:.1f} s | {r['read']:.1f} s | "
            f"{r['compute']:.1f} s | {r['households'] or 0:,} | EUR {r['cost_change'] or 0:,.0f} "
            f"| {r['gaining'] or 0:,} / {r['losing'] or 0:,} |"
        )
    lines += ["", report.end("rules")]
    return "\n".join(lines)


def run(sizes: dict[str, Any], options: argparse.Namespace) -> list[str]:
    """Measured in a process of its own (a demo installation of its own), written here."""
    out = context.current().results / "rules-run.json"
    argv = [sys.executable, "-m", "benchmarks.rules.section", "--figures", str(out)]
    for name in ("persons", "repeats", "residents", "chunk_size"):
        argv += [f"--{name.replace('_', '-')}", str(sizes[name])]
    if subprocess.run(argv, cwd=ROOT, check=False).returncode:
        return ["rules"]
    saved = json.loads(out.read_text())
    out.unlink()
    report.results_save("rules", saved)
    report.section_write("rules", render(saved["figures"], saved["machine"], saved["run"]))
    return []


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--residents", type=int, default=20_000)
    parser.add_argument("--chunk-size", type=int, default=5_000)
    parser.add_argument("--figures", type=Path, required=True, help="write the figures here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="civic-rules-") as var:
        for name in [k for k in os.environ if k.startswith("CIVIC_")]:
            del os.environ[name]
        os.environ.pop("DATABASE_URL", None)
        os.environ.update(
            CIVIC_VAR_DIR=var,
            CIVIC_DEBUG="false",
            CIVIC_LOG_LEVEL="WARNING",
            CIVIC_AUDITLOG_INTEGRATOR="off",
            DJANGO_SETTINGS_MODULE="civic.settings",
        )
        target = Target("sqlite", "SQLite", Path(var), "")
        demo_build(target, residents=args.residents, env=dict(os.environ))
        import django

        django.setup()
        figures = {
            "periods": measure_periods(args.persons, args.repeats),
            "reform": measure_reform(args.residents, args.chunk_size),
        }
    machine = machine_describe(postgres_url=None)
    sizes = {k: getattr(args, k) for k in ("persons", "repeats", "residents", "chunk_size")}
    args.figures.write_text(
        json.dumps({"machine": machine, "run": sizes, "figures": figures}, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
