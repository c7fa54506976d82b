"""Staff pages of the rule sets (shadow mode, switching to deciding), under /staff/rules/."""

from django.urls import path

from civic.decisions.views import rules

app_name = "rules"

urlpatterns = [
    path("", rules.rules_index, name="index"),
    path("<slug:case_type>/", rules.rules_case_type, name="case-type"),
]
