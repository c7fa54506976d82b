"""The public algorithm register, under /algorithms/."""

from django.urls import path  # noqa: F401

app_name = "algorithms"

urlpatterns: list = []
