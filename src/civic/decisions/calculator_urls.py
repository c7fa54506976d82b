"""The public calculator, under /calculator/."""

from django.urls import path

from civic.decisions.views import calculator

app_name = "calculator"

urlpatterns = [
    path("", calculator.start, name="start"),
    path("household/", calculator.household, name="household"),
    path("details/", calculator.details, name="details"),
    path("results/", calculator.results, name="results"),
    path("my-data/", calculator.my_data, name="my-data"),
]
