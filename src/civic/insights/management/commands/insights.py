"""civic insights forecast: the forecaster run on any daily series in a CSV file; civic
insights maturity: the digital-maturity index computed now (and, with --record, kept as the
day's, as the daily task does); civic insights flood-risk train|assess: the flood-risk model
trained on the stored readings, and the hourly assessment run now (or as of --at).

It evaluates over rolling origins against the weekly seasonal naive forecast and writes a JSON
report with every forecast in it (docs/insights.md). The models need the ``forecast`` extra
(LightGBM, statsmodels, holidays): ``pip install 'civic[forecast]'``.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Forecast a daily series from a CSV file and report MASE and interval coverage."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        forecast = sub.add_parser(
            "forecast",
            help="evaluate the forecaster on a daily series over rolling origins (JSON report)",
        )
        forecast.add_argument("--csv", required=True, help="the CSV file, one row a day")
        forecast.add_argument("--date-column", required=True, help="the column of dates")
        forecast.add_argument("--target", required=True, help="the column to forecast")
        forecast.add_argument(
            "--covariates",
            default="",
            help="columns known on the forecast days, comma-separated (their observed values "
            "stand in for forecasts of them)",
        )
        forecast.add_argument("--horizon", type=int, default=28, help="days ahead (28)")
        forecast.add_argument("--origins", type=int, default=5, help="rolling origins (5)")
        forecast.add_argument(
            "--holidays", default="NL", help="the country whose public holidays count (NL)"
        )
        forecast.add_argument("--report", help="write the JSON report here (else to stdout)")
        maturity = sub.add_parser(
            "maturity", help="compute the digital-maturity index now and print it (JSON)"
        )
        maturity.add_argument(
            "--record", action="store_true", help="keep it as today's (the page shows it)"
        )

        flood = sub.add_parser(
            "flood-risk",
            help="train the flood-risk model on the stored readings, or assess the chance now",
        )
        flood.add_argument("step", choices=("train", "assess"))
        flood.add_argument(
            "--at",
            help="ISO time: train on the readings up to it, or assess as of it (default: now)",
        )

    def handle(self, *args, action, **options):
        if action == "maturity":
            return self._maturity(record=options["record"])
        if action == "flood-risk":
            return self._flood_risk(step=options["step"], at=options["at"])
        try:
            from civic.insights.forecasting import (
                EvaluationSettings,
                SeriesRefused,
                evaluate,
                series_from_csv,
            )
        except ImportError as error:
            raise CommandError(
                f"The forecaster needs the 'forecast' extra ({error.name} is missing): "
                "pip install 'civic[forecast]'"
            ) from None
        covariates = [name.strip() for name in options["covariates"].split(",") if name.strip()]
        settings = EvaluationSettings(
            horizon=options["horizon"],
            origins=options["origins"],
            holidays_country=options["holidays"].upper(),
        )
        try:
            series = series_from_csv(
                options["csv"],
                date_column=options["date_column"],
                target=options["target"],
                covariates=covariates,
            )
            report = evaluate(series, settings, progress=self._progress)
        except SeriesRefused as error:
            raise CommandError(str(error)) from None
        text = json.dumps(report, indent=1)
        if options["report"]:
            with open(options["report"], "w", encoding="utf-8") as out:
                out.write(text + "\n")
            self.stdout.write(
                f"MASE {report['mase']:.3f} (seasonal naive {report['mase_seasonal_naive']:.3f}), "
                f"80 % interval coverage {report['coverage_80']:.0%}, 95 % "
                f"{report['coverage_95']:.0%}, over {settings.origins} origin(s); "
                f"report in {options['report']}"
            )
        else:
            self.stdout.write(text)

    def _progress(self, done: int, total: int) -> None:
        # stderr: stdout may be the report itself
        print(f"origin {done} of {total} evaluated", file=sys.stderr, flush=True)

    def _maturity(self, *, record: bool) -> None:
        from civic.insights.maturity import maturity_compute
        from civic.insights.services import maturity_record

        if record:
            snapshot = maturity_record()
            computed = {
                "computed_at": snapshot.computed_at.isoformat(),
                "index": snapshot.index,
                "dimensions": snapshot.dimensions,
                "inputs": snapshot.inputs,
                "seconds": snapshot.seconds,
            }
        else:
            computed = maturity_compute()
        self.stdout.write(json.dumps(computed, indent=1))

    def _flood_risk(self, *, step: str, at: str | None) -> None:
        from django.utils.dateparse import parse_datetime

        from civic.insights.flood_risk.services import (
            FloodRiskRefused,
            flood_risk_assess,
            flood_risk_train,
        )

        when = parse_datetime(at) if at else None
        if at and (when is None or when.tzinfo is None):
            raise CommandError(
                f"--at {at!r}: give an ISO time with its offset, e.g. 2026-12-01T06:00Z"
            )
        try:
            if step == "train":
                model = flood_risk_train(until=when)
                scored = model.evaluation
                self.stdout.write(
                    f"Trained on {model.since:%Y-%m-%d} to {model.until:%Y-%m-%d} in "
                    f"{model.seconds:.1f} s. Scored on {scored['hours']:,} gauge-hours "
                    f"({scored['events']:,} before high water): Brier {scored['brier']:.4f}, "
                    f"climatology {scored['brier_climatology']:.4f}, skill {scored['skill']:.2f}."
                )
                return
            for assessment in flood_risk_assess(at=when):
                self.stdout.write(
                    f"{assessment.at:%Y-%m-%d %H:%M} {assessment.datastream.name}: "
                    f"{assessment.probability:.0%} within {assessment.hours_ahead} h"
                    + (
                        f", advisory {assessment.advisory.identifier}"
                        if assessment.advisory
                        else ""
                    )
                )
        except FloodRiskRefused as refused:
            raise CommandError(str(refused)) from None
