from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "civic.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from civic.cases.selectors import decision_period_words
        from civic.catalog.facts import fact_register

        # Service pages say how long a decision takes from the case type, not typed twice.
        fact_register("decision_period", decision_period_words)
