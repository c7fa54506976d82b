"""The back office of the catalogue: service owners and administrators edit their own agency's
services; life events, topics and navigators are shared by every agency, so the installation's
operator edits them and administrators read them (see docs/security.md)."""

from django.contrib import admin

from civic.catalog.models import LifeEvent, NavigatorFlow, Service, Topic
from civic.identity.backoffice import ADD, CHANGE, EVERYTHING, READ, VIEW, AgencyScopedAdmin
from civic.identity.models import Role


@admin.register(Service)
class ServiceAdmin(AgencyScopedAdmin):
    agency_path = "agency"
    role_permissions = {
        Role.SERVICE_OWNER: frozenset({VIEW, ADD, CHANGE}),
        Role.ADMINISTRATOR: EVERYTHING,
    }
    list_display = ("code", "agency", "published", "updated_at")
    list_filter = ("agency", "published", "life_events")
    search_fields = ("code", "legal_basis")
    filter_horizontal = ("life_events", "topics")


class SharedContentAdmin(AgencyScopedAdmin):
    """Content no agency owns: a change reaches every agency's residents."""

    role_permissions = {Role.ADMINISTRATOR: READ, Role.SERVICE_OWNER: READ}


admin.site.register(LifeEvent, SharedContentAdmin)
admin.site.register(Topic, SharedContentAdmin)
admin.site.register(NavigatorFlow, SharedContentAdmin)
