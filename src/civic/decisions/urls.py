"""The public algorithm register, under /algorithms/."""

from django.urls import path

from civic.decisions.views import algorithms

app_name = "algorithms"

urlpatterns = [
    path("", algorithms.index, name="index"),
    path("register.json", algorithms.register_json, name="register-json"),
    path("publiccode.yml", algorithms.publiccode, name="publiccode"),
    path("processing/", algorithms.processing, name="processing"),
    path("<slug:slug>.json", algorithms.entry_json, name="entry-json"),
    path("<slug:slug>/", algorithms.detail, name="detail"),
    path("<slug:slug>/assessments/", algorithms.assessment, name="assessment"),
]
