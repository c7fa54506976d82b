"""The back office for the exchange: purposes and grants are edited here; the access log and
checkpoints are read-only (nobody edits the log, not even an administrator)."""

from django.contrib import admin

from civic.exchange.models import AccessLogEntry, Checkpoint, Consent, Grant, Purpose


@admin.register(Purpose)
class PurposeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "controller", "legal_ground", "legal_basis", "confidential")
    list_filter = ("controller", "legal_ground", "confidential")
    search_fields = ("code", "name", "legal_basis")


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
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


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("purpose", "subject", "given_at", "withdrawn_at")


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
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
