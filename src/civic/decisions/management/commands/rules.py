"""civic rules reform --file REFORM.yaml [--year YEAR] [--report FILE] [--chunk-size N]"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from civic.core import clock
from civic.core.errors import CivicError
from civic.decisions.proactive import proactive_setup
from civic.decisions.reform_runner import run_execute
from civic.decisions.reform_runs import reform_save, run_start
from civic.decisions.reforms import reform_parse


class Command(BaseCommand):
    help = "What-if: compute a reform of the rules' parameters over the whole population."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        reform = sub.add_parser("reform", help="cost, winners and losers of a reform")
        reform.add_argument("--file", required=True, help="the reform (YAML: name, parameters)")
        reform.add_argument("--year", type=int, default=None, help="the year (default: this)")
        reform.add_argument("--report", default="-", help="where the JSON report goes (- : out)")
        reform.add_argument("--agency", default="", help="agency (default: the proactive one)")
        reform.add_argument("--chunk-size", type=int, default=None, help="addresses per chunk")

    def handle(self, *args, action, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no reform file {path}.")
        year = options["year"] or clock.today().year
        try:
            spec = reform_parse(path.read_text(), default_name=path.stem)
            agency = options["agency"] or proactive_setup().agency
            reform = reform_save(agency=agency, spec=spec, user="civic rules reform")
            run = run_start(reform=reform, year=year, chunk_size=options["chunk_size"])
            with tqdm(
                total=run.chunks.count(), unit=" chunks", file=sys.stderr, disable=None
            ) as bar:
                run = run_execute(run, progress=lambda i, _total: bar.update(i - bar.n))
        except CivicError as refused:
            raise CommandError(str(refused)) from None
        report = {
            "reform": spec.as_data(),
            "year": year,
            "run": run.pk,
            **run.result,
        }
        text = json.dumps(report, indent=2, ensure_ascii=False)
        if options["report"] == "-":
            self.stdout.write(text)
        else:
            Path(options["report"]).write_text(text + "\n")
            self.stderr.write(
                f"{spec.name}: cost change EUR {report['cost_change']:,}, "
                f"{report['households_gaining']:,} households gaining, "
                f"{report['households_losing']:,} losing; report in {options['report']}"
            )
