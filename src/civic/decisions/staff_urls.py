"""Staff pages of the rule sets (shadow mode, switching to deciding), under /staff/rules/."""

from django.urls import path  # noqa: F401

app_name = "rules"

urlpatterns: list = []
