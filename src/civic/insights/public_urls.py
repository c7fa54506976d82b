from django.urls import path

from civic.insights import flood_risk_views, views

app_name = "performance"

urlpatterns = [
    # Before the services' pages: a service code could be "maturity" or "flood-risk" too.
    path("maturity/", views.maturity_page, name="maturity"),
    path("flood-risk/", flood_risk_views.flood_risk_page, name="flood-risk"),
    path("<slug:code>/", views.performance_page, name="service"),
]
