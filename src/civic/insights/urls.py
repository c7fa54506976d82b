from django.urls import path

from civic.insights import stream_views, views

app_name = "insights"

urlpatterns = [
    path("", views.kpis_page, name="kpis"),
    # Before the kinds of case: a case type could be called "streams" too.
    path("streams/<int:datastream_id>/", stream_views.stream_forecast_page, name="stream-forecast"),
    path("<slug:case_type>/", views.case_type_page, name="case-type"),
]
