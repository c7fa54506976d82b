"""Staff pages of the rule sets (shadow mode, switching to deciding) and of what-if reforms,
under /staff/rules/."""

from django.urls import path

from civic.decisions.views import reforms, rules

app_name = "rules"

urlpatterns = [
    path("", rules.rules_index, name="index"),
    path("reforms/", reforms.reforms_index, name="reforms"),
    path("reforms/compare/", reforms.reforms_compare, name="reforms-compare"),
    path("reforms/runs/<int:run_id>/", reforms.reform_run, name="reform-run"),
    path(
        "reforms/runs/<int:run_id>.json",
        reforms.reform_export,
        {"kind": "json"},
        name="reform-export-json",
    ),
    path(
        "reforms/runs/<int:run_id>.csv",
        reforms.reform_export,
        {"kind": "csv"},
        name="reform-export-csv",
    ),
    path("<slug:case_type>/", rules.rules_case_type, name="case-type"),
]
