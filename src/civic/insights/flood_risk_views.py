"""The public flood-risk page: each neighbourhood's chance of high water, how the model scored
against climatology, its reliability diagram (an SVG drawn on the server, followed by a table
of the same figures) and the method."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civic.insights.flood_risk import selectors
from civic.insights.flood_risk.features import FEATURES

#: The reliability diagram's plot area (px) and its margin for the axes' labels.
PLOT, MARGIN = 300, 50


def _reliability_points(reliability: list[dict]) -> list[dict]:
    """A point per bin with hours: forecast across, observed up, on a 0-1 square."""
    return [
        {
            **row,
            "x": MARGIN + round(PLOT * row["forecast"]),
            "y": MARGIN + PLOT - round(PLOT * row["observed"]),
        }
        for row in reliability
        if row["hours"]
    ]


def flood_risk_page(request: HttpRequest) -> HttpResponse:
    latest = selectors.flood_risk_latest()
    model = selectors.flood_risk_model_current()
    evaluation = model.evaluation if model else {}
    ticks = [
        {
            "value": v / 10,
            "at": MARGIN + round(PLOT * v / 10),
            "y": MARGIN + PLOT - round(PLOT * v / 10),
        }
        for v in range(0, 11, 2)
    ]
    return render(
        request,
        "insights/flood_risk.html",
        {
            "gauges": latest,
            "neighbourhoods": selectors.flood_risk_by_neighbourhood(latest),
            "history": selectors.flood_risk_history(hours=24),
            "model": model,
            "evaluation": evaluation,
            "points": _reliability_points(evaluation.get("reliability", [])),
            "ticks": ticks,
            "plot": {
                "left": MARGIN,
                "right": MARGIN + PLOT,
                "top": MARGIN,
                "bottom": MARGIN + PLOT,
            },
            "features": FEATURES,
            "threshold": settings.INSIGHTS_FLOOD_RISK_ADVISORY_PROBABILITY,
        },
    )
