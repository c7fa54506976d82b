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
        from civic.catalog.facts import fact_register
        from civic.decisions.selectors import parameter_amount_words

        # Service pages give amounts from the law in force, not typed twice.
        fact_register("amount", parameter_amount_words)
        from civic.cases.explanations import explainer_set
        from civic.decisions.selectors import case_explanation

        # The case page lies below the rules and asks them through this hook.
        explainer_set(case_explanation)
