from django.urls import path

from civic.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.kpis_page, name="kpis"),
    path("<slug:case_type>/", views.case_type_page, name="case-type"),
]
