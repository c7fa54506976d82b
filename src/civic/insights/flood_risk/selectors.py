"""What the flood-risk page and API read: the latest chance per neighbourhood and the model's
scores."""

from __future__ import annotations

import datetime as dt

from civic.insights.models import FloodRiskAssessment, FloodRiskModel

#: An assessment older than this is not shown as the current chance.
CURRENT_FOR = dt.timedelta(hours=3)


def flood_risk_model_current() -> FloodRiskModel | None:
    return FloodRiskModel.objects.defer("fitted").first()


def flood_risk_latest() -> list[FloodRiskAssessment]:
    """Each gauge's latest assessment, if it is from the last hours of assessing."""
    newest = FloodRiskAssessment.objects.order_by("-at").values_list("at", flat=True).first()
    if newest is None:
        return []
    recent = (
        FloodRiskAssessment.objects.filter(at__gt=newest - CURRENT_FOR)
        .select_related("datastream__thing", "advisory")
        .order_by("datastream_id", "-at")
    )
    latest: dict[int, FloodRiskAssessment] = {}
    for assessment in recent:
        latest.setdefault(assessment.datastream_id, assessment)
    return sorted(latest.values(), key=lambda a: (-a.probability, a.datastream.thing.name))


def flood_risk_by_neighbourhood(latest: list[FloodRiskAssessment]) -> list[dict]:
    """Per neighbourhood near a gauge: the highest chance of the gauges around it."""
    out: dict[str, dict] = {}
    for assessment in latest:
        for code, name in zip(assessment.neighbourhoods, assessment.names, strict=False):
            if code not in out or out[code]["probability"] < assessment.probability:
                out[code] = {
                    "code": code,
                    "name": name,
                    "probability": assessment.probability,
                    "gauge": assessment.datastream.thing.name,
                    "at": assessment.at,
                    "hours_ahead": assessment.hours_ahead,
                }
    return sorted(out.values(), key=lambda row: (-row["probability"], row["name"]))


def flood_risk_history(*, hours: int = 48) -> list[dict]:
    """The last ``hours`` of assessments, per hour: the time and each gauge's chance and level."""
    newest = FloodRiskAssessment.objects.order_by("-at").values_list("at", flat=True).first()
    if newest is None:
        return []
    rows: dict[dt.datetime, dict] = {}
    for at, gauge, probability, level in (
        FloodRiskAssessment.objects.filter(at__gt=newest - dt.timedelta(hours=hours))
        .order_by("-at", "datastream__thing__name")
        .values_list("at", "datastream__thing__name", "probability", "level")
    ):
        rows.setdefault(at, {"at": at, "gauges": []})["gauges"].append(
            {"gauge": gauge, "probability": probability, "level": level}
        )
    return list(rows.values())
