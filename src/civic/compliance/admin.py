"""The back office for privacy oversight: an agency's access alerts, to read. They are raised
by the exchange and acted on at /staff/privacy/alerts/; the back office changes none of them."""

from django.contrib import admin

from civic.compliance.models import AccessAlert
from civic.identity.backoffice import READ, AgencyScopedAdmin
from civic.identity.models import Role


@admin.register(AccessAlert)
class AccessAlertAdmin(AgencyScopedAdmin):
    agency_path = "agency"
    role_permissions = {Role.DATA_PROTECTION_OFFICER: READ, Role.ADMINISTRATOR: READ}
    list_display = ("raised_at", "kind", "api_client", "agency", "acknowledged_at")
    list_filter = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The back office of staff training, in its own package.
from civic.compliance.training import admin as _training_admin  # noqa: E402, F401
