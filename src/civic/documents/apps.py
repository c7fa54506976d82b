from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "civic.documents"
    label = "documents"
    verbose_name = _("Document intake")
