from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "civic.decisions"
    label = "decisions"
    verbose_name = _("Rules and decisions")

    def ready(self) -> None:
        from civic.core.metrics import gauges_register
        from civic.decisions.metrics import decisions_gauges

        gauges_register(decisions_gauges)
