"""The forecast page of a sensor stream, for the city operators who run the sensors: the next
fortnight's daily figure (an SVG chart drawn on the server, then the table of the same
figures) and how the forecaster scored on the stream's past."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from civic.identity.access import staff_with
from civic.identity.models import Role
from civic.insights.stream_forecast import HORIZON, stream_forecast
from civic.insights.views import forecast_columns
from civic.sensors.models import Datastream


@staff_with(Role.CITY_OPERATOR)
def stream_forecast_page(request: HttpRequest, datastream_id: int) -> HttpResponse:
    forecast = stream_forecast(datastream_id=datastream_id)
    if forecast is None:
        raise Http404
    stream = Datastream.objects.select_related("thing").get(pk=datastream_id)
    return render(
        request,
        "insights/stream_forecast.html",
        {
            "stream": stream,
            "forecast": forecast,
            "chart": forecast_columns(forecast.get("days", [])),
            "horizon": HORIZON,
        },
    )
