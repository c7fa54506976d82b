"""The demo-history forecast benchmark's Django side, run in a ``civic shell``
(``django_call.ask``): each kind of case's cases opened a day over the last year, read as the
staffing page's demand forecast reads them (``cases_opened_per_day``), evaluated over rolling
origins as ``civic insights forecast`` evaluates a CSV (``forecasting.evaluate``)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

#: The kinds of case the demo's history has applications of (cases.demo, cases.demo_history).
DEMO_KINDS = ("dog-tax", "parking-permit")


def evaluate_kinds(spec: dict[str, Any]) -> dict[str, Any]:
    """Per kind of case of the demo's history: the evaluation's MASE, the baselines', the intervals'
    coverage and the origins (``spec``: "origins", "horizon", "holidays")."""
    import numpy as np
    import pandas as pd

    from civic.cases.models import Case
    from civic.cases.selectors import cases_opened_per_day
    from civic.core import clock
    from civic.insights.forecasting import DailySeries, EvaluationSettings, evaluate
    from civic.insights.staffing import HISTORY_DAYS

    today = clock.now().date()
    first_day = today - dt.timedelta(days=HISTORY_DAYS)
    last_day = today - dt.timedelta(days=1)
    settings = EvaluationSettings(
        horizon=spec["horizon"], origins=spec["origins"], holidays_country=spec["holidays"]
    )
    kinds: dict[str, Any] = {}
    for code in DEMO_KINDS:
        days = cases_opened_per_day(case_type=code, first_day=first_day, last_day=last_day)
        target = np.array([count for _, count in days], dtype=float)
        series = DailySeries(
            dates=pd.DatetimeIndex([day for day, _ in days]),
            target=target,
            covariates={},
            target_name=code,
        )
        began = time.perf_counter()
        report = evaluate(series, settings)
        kinds[code] = {
            "cases": int(target.sum()),
            "mean_per_day": float(target.mean()),
            "seconds": time.perf_counter() - began,
            "origins": len(report["origins"]),
            "first_origin": report["origins"][0]["origin"],
            "calibration_days": report["settings"]["calibration_days"],
            **{
                key: report[key]
                for key in (
                    "series",
                    "mase",
                    "mase_seasonal_naive",
                    "mase_exponential_smoothing",
                    "coverage_80",
                    "coverage_95",
                )
            },
            "per_origin": report["origins"],
        }
    return {
        "today": today.isoformat(),
        "cases": Case.objects.count(),
        "kinds": kinds,
    }
