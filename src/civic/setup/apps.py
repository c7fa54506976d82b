from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SetupConfig(AppConfig):
    name = "civic.setup"
    label = "setup"
    verbose_name = _("Jurisdiction set-up")
