from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "civic.compliance"
    label = "compliance"
    verbose_name = _("Privacy oversight")

    def ready(self) -> None:
        from civic.compliance.training.services import training_refusal
        from civic.exchange.services import staff_check_add

        # Staff read personal data only while their data-protection training is current: the
        # exchange, below this app, asks through its staff checks.
        staff_check_add(training_refusal)
