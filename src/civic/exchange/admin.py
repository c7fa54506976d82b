"""The back office for the exchange: an agency's administrators edit the purposes their agency
controls and the grants under them; the access log and checkpoints are read-only (nobody
edits the log, not even an administrator). Scoped to the user's agency by
``identity.backoffice``."""

from django.contrib import admin

from civic.exchange.models import AccessLogEntry, Checkpoint, Consent, Grant, Purpose
from civic.exchange.services import deliveries_recheck
from civic.identity.backoffice import ADD, CHANGE, READ, VIEW, AgencyScopedAdmin
from civic.identity.models import Role

ADMINISTRATORS = {Role.ADMINISTRATOR: frozenset({VIEW, ADD, CHANGE})}


@admin.register(Purpose)
class PurposeAdmin(AgencyScopedAdmin):
    agency_path = "controller"
    role_permissions = {**ADMINISTRATORS, Role.SERVICE_OWNER: READ}
    list_display = ("code", "name", "controller", "legal_ground", "legal_basis", "confidential")
    list_filter = ("controller", "legal_ground", "confidential")
    search_fields = ("code", "name", "legal_basis")


@admin.register(Grant)
class GrantAdmin(AgencyScopedAdmin):
    """A grant belongs to the agency that controls its purpose; its grantee (an API client or
    an agency's staff role or job) is chosen from that agency only."""

    agency_path = "purpose__controller"
    role_permissions = ADMINISTRATORS
    list_display = (
        "purpose",
        "register",
        "api_client",
        "staff_role",
        "job",
        "agency",
        "valid_from",
        "valid_until",
        "revoked_at",
    )
    list_filter = ("register", "purpose", "staff_role")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:  # ended or narrowed here: what has not gone out under it yet is withdrawn
            deliveries_recheck(purpose=obj.purpose, register=obj.register)


class ReadOnlyAdmin(AgencyScopedAdmin):
    role_permissions = {Role.ADMINISTRATOR: READ}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    agency_path = "purpose__controller"
    list_display = ("purpose", "subject", "given_at", "withdrawn_at")


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    """An agency's administrators read the entries of their own agency's reads."""

    agency_path = "agency"
    agency_by_code = True
    list_display = (
        "position",
        "at",
        "actor_kind",
        "actor",
        "agency",
        "purpose",
        "register",
        "kind",
    )
    list_filter = ("actor_kind", "agency", "purpose", "register", "kind")
    search_fields = ("trace_id", "subject", "case")


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("tree_size", "timestamp", "root_hash", "key_id")
