from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "civic.catalog"
    label = "catalog"
    verbose_name = _("Service catalogue")

    def ready(self) -> None:
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from civic.catalog.semantic import available

        if settings.CATALOG_SEMANTIC and not available():
            raise ImproperlyConfigured(
                "CIVIC_CATALOG_SEMANTIC is on but its model is not installed: "
                "pip install civic[semantic] (or switch it off)."
            )
