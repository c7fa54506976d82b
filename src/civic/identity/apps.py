from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "civic.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self) -> None:
        from civic.core.memo import bump_on_change
        from civic.identity.models import Agency, ApiClient

        # The exchange's memo of API clients (services.api_client_authenticate).
        bump_on_change(ApiClient, Agency)

        # A typo in CIVIC_RESIDENT_LOGIN_METHODS stops every process at start (`civic config
        # check` included), naming the methods Civic knows, rather than hiding a login.
        from civic.identity.login.registry import methods_check

        methods_check()
