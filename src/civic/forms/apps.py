from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsConfig(AppConfig):
    name = "civic.forms"
    label = "forms"
    verbose_name = _("Forms")

    def ready(self) -> None:
        # A typo in CIVIC_UPLOAD_SCANNER stops every process at start (`civic config check`
        # included), naming the scanners Civic knows, rather than at a resident's first upload.
        from civic.forms.scanning.registry import scanner_class

        scanner_class()
