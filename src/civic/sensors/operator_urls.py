from django.urls import path

from civic.sensors import operator_views as views

app_name = "sensors-operator"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("advisories/<int:advisory_id>/", views.advisory, name="advisory"),
    path("datastreams/<int:datastream_id>/", views.datastream, name="datastream"),
]
