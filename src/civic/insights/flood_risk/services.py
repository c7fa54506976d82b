"""Every write of the flood-risk forecast: the model trained on the stored readings, and the
hourly assessment, which records each gauge's chance of high water and feeds the advisories.

The assessment drafts an advisory (for a city operator to issue: a chance is not an
observation) when a gauge's chance reaches CIVIC_INSIGHTS_FLOOD_RISK_ADVISORY_PROBABILITY, and
withdraws it when the chance falls below half of that: a draft is discarded, an issued alert
gets its cancellation drafted. Between the two it drafts nothing new, so a chance hovering at
the line does not draft one advisory an hour, and one the operator discarded stays discarded."""

from __future__ import annotations

import datetime as dt
import logging
import time

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from civic.core import clock
from civic.core.errors import CivicError
from civic.insights.flood_risk import texts
from civic.insights.flood_risk.features import FEATURES, LOOKBACK_HOURS, features, outcome, usable
from civic.insights.flood_risk.model import Fitted, evaluate, fit
from civic.insights.flood_risk.readings import (
    HOUR,
    Gauge,
    gauges_list,
    hour_floor,
    rain_hourly,
)
from civic.insights.models import FloodRiskAssessment, FloodRiskModel
from civic.sensors.advisories.issuing import (
    advisory_forecast_draft,
    advisory_forecast_withdraw,
)
from civic.sensors.selectors import advisory_area, hourly_means

log = logging.getLogger(__name__)

#: High-water hours the model needs among the hours it learns from.
EVENTS_NEEDED = 10
#: The parts of the training period, in time order: learn, calibrate, score.
PARTS = (("learn", 0.0, 0.6), ("calibrate", 0.6, 0.8), ("score", 0.8, 1.0))
DRAFTED_BY = "flood-risk forecast"
#: What is kept: the latest trained models (each about a megabyte: the page shows the newest,
#: the others are there to compare with), and the assessments of the last days.
MODELS_KEPT = 5
ASSESSMENTS_KEPT = dt.timedelta(days=90)


class FloodRiskRefused(CivicError):
    code = "flood-risk-refused"


def _gauges() -> list[Gauge]:
    gauges = gauges_list()
    if not gauges:
        raise FloodRiskRefused(
            _(
                "No river gauge has a high-water line: give a water-level datastream a rule "
                "with a level."
            )
        )
    return gauges


def flood_risk_train(*, until: dt.datetime | None = None) -> FloodRiskModel:
    """Learn the chance of high water from the stored readings of the last
    CIVIC_INSIGHTS_FLOOD_RISK_TRAINING_DAYS, every gauge together, and score it on the latest
    fifth, which it did not learn from."""
    began = time.perf_counter()
    gauges = _gauges()
    until = hour_floor(until or clock.now())
    since = until - dt.timedelta(days=settings.INSIGHTS_FLOOD_RISK_TRAINING_DAYS)
    hours_ahead = settings.INSIGHTS_FLOOD_RISK_HOURS_AHEAD
    rain = rain_hourly(since, until)
    if rain is None:
        raise FloodRiskRefused(_("There is no rain gauge to learn from."))
    parts: dict[str, tuple[list, list]] = {name: ([], []) for name, _a, _b in PARTS}
    # The parts split the hours from the first rain reading on, not the whole window: a city
    # with a year of readings learns from a year, whatever the window.
    known = np.flatnonzero(~np.isnan(rain))
    first = int(known[0]) if len(known) else len(rain)
    hours = len(rain) - first
    for gauge in gauges:
        level = hourly_means(datastream_id=gauge.datastream_id, since=since, until=until)
        x, y = (
            features(level, rain, gauge.flood_level),
            outcome(level, gauge.flood_level, hours_ahead),
        )
        for name, start, end in PARTS:
            # A part's last hours would be judged on the next part's readings: left out.
            begin = first + int(start * hours)
            rows = slice(begin, max(begin, first + int(end * hours) - hours_ahead))
            keep = usable(x[rows], y[rows])
            parts[name][0].append(x[rows][keep])
            parts[name][1].append(y[rows][keep])
    joined = {
        name: (np.vstack(xs) if xs else np.empty((0, len(FEATURES))), np.concatenate(ys))
        for name, (xs, ys) in parts.items()
    }
    learned = int(joined["learn"][1].sum())
    if learned < EVENTS_NEEDED or not len(joined["score"][1]):
        raise FloodRiskRefused(
            _(
                "The readings hold %(events)s hours before high water to learn from; the model "
                "needs %(needed)s. Keep the gauges running longer, or train over more days."
            )
            % {"events": learned, "needed": EVENTS_NEEDED}
        )
    fitted = fit(*joined["learn"], *joined["calibrate"])
    x_score, y_score = joined["score"]
    scored = evaluate(y_score, fitted.probabilities(x_score), fitted.base_rate)
    scored["calibrated"] = fitted.calibration is not None
    model = FloodRiskModel.objects.create(
        trained_at=clock.now(),
        hours_ahead=hours_ahead,
        since=since,
        until=until,
        split={name: {"hours": len(y), "events": int(y.sum())} for name, (_x, y) in joined.items()},
        features=list(FEATURES),
        evaluation=scored,
        fitted=fitted.dumps(),
        seconds=time.perf_counter() - began,
    )
    kept = FloodRiskModel.objects.order_by("-trained_at", "-pk").values_list("pk", flat=True)
    FloodRiskModel.objects.exclude(pk__in=list(kept[:MODELS_KEPT])).delete()
    return model


def _feed_advisory(gauge: Gauge, probability: float, level: float, hours: int, area, previous):
    """The advisory the assessment carries on: drafted, kept or withdrawn."""
    advisory = previous.advisory if previous is not None else None
    threshold = settings.INSIGHTS_FLOOD_RISK_ADVISORY_PROBABILITY
    codes, names, circle = area
    if advisory is None and probability >= threshold and codes:
        now = clock.now()
        return advisory_forecast_draft(
            drafted_by=DRAFTED_BY,
            texts=texts.alert_texts(
                gauge=gauge, probability=probability, level=level, hours=hours, area=names
            ),
            neighbourhoods=codes,
            circle=circle,
            severity=gauge.rule.severity,
            certainty="Likely" if probability > 0.5 else "Possible",
            effective=now,
            expires=now + dt.timedelta(hours=hours),
            category=gauge.rule.advisory_category,
        )
    if advisory is not None and probability < threshold / 2:
        advisory_forecast_withdraw(
            advisory=advisory,
            texts=texts.withdrawn_texts(gauge=gauge, probability=probability, area=names),
        )
        return None
    return advisory


def flood_risk_assess(*, at: dt.datetime | None = None) -> list[FloodRiskAssessment]:
    """Each gauge's chance of high water within the model's hours ahead, judged at the end of
    the last whole hour before ``at`` (now), recorded once per gauge and hour (again: replaced),
    and fed to the advisories. A gauge without the readings of the last day is left out (and
    logged): its chance cannot be judged."""
    current = FloodRiskModel.objects.first()
    if current is None:
        raise FloodRiskRefused(
            _("There is no flood-risk model yet: train one (civic insights flood-risk train).")
        )
    gauges = _gauges()
    fitted = Fitted.loads(bytes(current.fitted))
    until = hour_floor(at or clock.now())
    since = until - (LOOKBACK_HOURS + 1) * HOUR
    rain = rain_hourly(since, until)
    out = []
    for gauge in gauges:
        level = hourly_means(datastream_id=gauge.datastream_id, since=since, until=until)
        x = features(
            level, rain if rain is not None else np.full(len(level), np.nan), gauge.flood_level
        )[-1:]
        if not usable(x).all():
            log.warning(
                "flood risk: no assessment of %s at %s, readings missing", gauge.place, until
            )
            continue
        probability = float(fitted.probabilities(x)[0])
        area = advisory_area(gauge.rule)
        with transaction.atomic():
            previous = (
                FloodRiskAssessment.objects.select_for_update(of=("self",))
                .filter(datastream_id=gauge.datastream_id, at__lt=until)
                .select_related("advisory")
                .first()
            )
            advisory = _feed_advisory(
                gauge, probability, float(level[-1]), current.hours_ahead, area, previous
            )
            assessment, _made = FloodRiskAssessment.objects.update_or_create(
                datastream_id=gauge.datastream_id,
                at=until,
                defaults={
                    "model": current,
                    "probability": round(probability, 4),
                    "level": float(level[-1]),
                    "flood_level": gauge.flood_level,
                    "hours_ahead": current.hours_ahead,
                    "neighbourhoods": area[0],
                    "names": area[1],
                    "advisory": advisory,
                },
            )
        out.append(assessment)
    FloodRiskAssessment.objects.filter(at__lt=until - ASSESSMENTS_KEPT).delete()
    return out
