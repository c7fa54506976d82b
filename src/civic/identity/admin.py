"""The back office for identity: an agency's administrators manage their own agency's staff,
roles and API clients; agencies themselves and residents' accounts are the installation
operator's. Scoped to the user's agency by ``identity.backoffice``."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civic.core.errors import CivicError
from civic.identity import selectors, services
from civic.identity.backoffice import (
    CHANGE,
    EVERYTHING,
    VIEW,
    AgencyScopedAdmin,
    AgencyScopedInline,
)
from civic.identity.models import Agency, ApiClient, ResidentAccount, Role, StaffRole, User
from civic.identity.services import api_client_limits_check


class StaffRoleInline(AgencyScopedInline):
    model = StaffRole
    extra = 0


@admin.register(User)
class CivicUserAdmin(AgencyScopedAdmin, UserAdmin):
    agency_path = "agency"
    role_permissions = {Role.ADMINISTRATOR: EVERYTHING}
    list_display = ("username", "kind", "agency", "first_name", "last_name", "is_active")
    list_filter = ("kind", "agency", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Civic", {"fields": ("kind", "agency", "preferred_language", "second_factor_state")}),
    )
    readonly_fields = ("second_factor_state",)
    inlines = [StaffRoleInline]
    actions = ["second_factor_reset"]

    @admin.display(description=_("second factor"))
    def second_factor_state(self, obj):
        factor = selectors.second_factor_get(user=obj) if obj and obj.pk else None
        if factor is None:
            return _("none: sets up an authenticator app at the next login")
        return _("authenticator app since %(date)s; %(left)s recovery codes left") % {
            "date": factor.enrolled_at.date().isoformat(),
            "left": selectors.recovery_codes_left(user=obj),
        }

    @admin.action(
        permissions=["change"],
        description=_("Reset the second factor (they set up their authenticator app again)"),
    )
    def second_factor_reset(self, request, queryset):
        """For a lost phone: the staff member sets up their app again at their next login,
        and the sessions the old factor let in end. Each reset is in the user's history."""
        reset = 0
        for user in queryset:
            if services.second_factor_reset(user=user, by=request.user):
                self.log_change(request, user, [{"changed": {"fields": ["second factor"]}}])
                reset += 1
        self.message_user(
            request,
            ngettext(
                "The second factor of %(count)d staff member was reset.",
                "The second factors of %(count)d staff members were reset.",
                reset,
            )
            % {"count": reset},
            messages.SUCCESS,
        )

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if self._operator(request):
            return fields
        # Only the operator makes superusers or hands out Django's own permissions; an
        # agency's administrator gives roles, which apply within the agency.
        return (*fields, "kind", "is_superuser", "groups", "user_permissions")


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_path = "pk"
    role_permissions = {Role.ADMINISTRATOR: frozenset({VIEW, CHANGE})}
    list_display = ("code", "name", "name_nl", "kind")
    search_fields = ("code", "name", "name_nl")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        # The access log names agencies by code: only the operator may change one.
        return fields if self._operator(request) else (*fields, "code", "kind")


class ApiClientForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        try:
            api_client_limits_check(
                cleaned.get("subjects_per_minute", self.instance.subjects_per_minute),
                cleaned.get("subjects_per_day", self.instance.subjects_per_day),
            )
        except CivicError as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return cleaned


@admin.register(ApiClient)
class ApiClientAdmin(AgencyScopedAdmin):
    form = ApiClientForm
    agency_path = "agency"
    role_permissions = {Role.ADMINISTRATOR: frozenset({VIEW, CHANGE})}
    list_display = (
        "client_id",
        "name",
        "agency",
        "subjects_per_minute",
        "subjects_per_day",
        "created_at",
        "revoked_at",
    )
    list_filter = ("agency",)
    # The secret hash is never shown or edited here; clients are made with `civic apiclient create`.
    exclude = ("secret_hash",)
    readonly_fields = ("client_id", "created_at")

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        # The limits guard residents against the agency's own integration: only the
        # installation's operator sets them, not the agency whose client they hold back.
        if self._operator(request):
            return fields
        return (*fields, "subjects_per_minute", "subjects_per_day")


@admin.register(ResidentAccount)
class ResidentAccountAdmin(AgencyScopedAdmin):
    """Residents belong to no agency: only the operator reads their accounts."""

    list_display = ("__str__", "created_at")
    readonly_fields = ("user", "personal_number", "created_at")

    def has_add_permission(self, request):
        # An account is made at the resident's first login (an empty one failed to save).
        return False


def _operator_only(model_admin: admin.ModelAdmin) -> type[admin.ModelAdmin]:
    """The admin class of ``model_admin`` under the back office's one rule: no role of any
    agency may use it, so only the installation's operator does."""
    base = type(model_admin)
    return type(f"OperatorOnly{base.__name__}", (AgencyScopedAdmin, base), {"__module__": __name__})


# Django's groups and django-axes's login attempts are registered before Civic's apps load:
# they span every agency (any staff member's user name and address), so they are the
# operator's alone. Every admin of Civic's own apps is an AgencyScopedAdmin already.
for _model, _model_admin in list(admin.site._registry.items()):
    if not isinstance(_model_admin, AgencyScopedAdmin):
        admin.site.unregister(_model)
        admin.site.register(_model, _operator_only(_model_admin))
