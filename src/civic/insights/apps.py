from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "civic.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from civic.cases.backlog_panels import backlog_panel_add
        from civic.insights.backlog_panel import staffing_panel

        backlog_panel_add(staffing_panel)
