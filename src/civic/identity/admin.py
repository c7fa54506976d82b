"""The back office for identity: agencies, staff and their roles, API clients."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from civic.identity.models import Agency, ApiClient, ResidentAccount, StaffRole, User


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0


@admin.register(User)
class CivicUserAdmin(UserAdmin):
    list_display = ("username", "kind", "agency", "first_name", "last_name", "is_active")
    list_filter = ("kind", "agency", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Civic", {"fields": ("kind", "agency", "preferred_language")}),
    )
    inlines = [StaffRoleInline]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_nl", "kind")
    search_fields = ("code", "name", "name_nl")


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("client_id", "name", "agency", "created_at", "revoked_at")
    list_filter = ("agency",)
    # The secret hash is never shown or edited here; clients are made with `civic apiclient create`.
    exclude = ("secret_hash",)
    readonly_fields = ("client_id", "created_at")

    def has_add_permission(self, request):
        return False


@admin.register(ResidentAccount)
class ResidentAccountAdmin(admin.ModelAdmin):
    list_display = ("__str__", "created_at")
    readonly_fields = ("user", "personal_number", "created_at")
