"""The back office for service owners: they edit their own agency's services; administrators
edit everything, including life events, topics and navigators."""

from django.contrib import admin

from civic.catalog.models import LifeEvent, NavigatorFlow, Service, Topic
from civic.identity.models import Role
from civic.identity.selectors import staff_has_role


class ServiceOwnerAccess(admin.ModelAdmin):
    """Service owners may work here without Django model permissions being handed out one by one."""

    def _owner(self, request) -> bool:
        return request.user.is_active and staff_has_role(user=request.user, role=Role.SERVICE_OWNER)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self._owner(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or self._owner(request)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj) or self._owner(request)
        return allowed and (
            obj is None
            or request.user.is_superuser
            or getattr(obj, "agency_id", None) in (None, request.user.agency_id)
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) or self._owner(request)


@admin.register(Service)
class ServiceAdmin(ServiceOwnerAccess):
    list_display = ("code", "agency", "published", "updated_at")
    list_filter = ("agency", "published", "life_events")
    search_fields = ("code", "legal_basis")
    filter_horizontal = ("life_events", "topics")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return (
            queryset if request.user.is_superuser else queryset.filter(agency=request.user.agency)
        )

    def get_readonly_fields(self, request, obj=None):
        return () if request.user.is_superuser else ("agency",)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.agency = request.user.agency
        super().save_model(request, obj, form, change)


admin.site.register(LifeEvent)
admin.site.register(Topic)
admin.site.register(NavigatorFlow)
