from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civic.core"
    label = "core"
    verbose_name = "Core"
