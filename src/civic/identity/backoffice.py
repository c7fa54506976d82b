"""The back office's one access rule (Django admin): each model admin declares which roles may
do what with it and the lookup to the agency that owns a row; this module scopes every list,
choice, filter and save to the user's agency. Imports identity's models and selectors only.

The installation's operator (an active superuser without an agency, see
``selectors.sees_every_agency``) may do what Django lets a superuser do. Everyone else gets
only what their roles allow, and only within their agency; Django's groups and model
permissions are not used.
"""

from __future__ import annotations

from functools import reduce

from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models

from civic.identity.selectors import (
    agency_get,
    agency_may_act,
    agency_scoped,
    sees_every_agency,
    staff_agency_id,
    staff_roles,
)

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
EVERYTHING = frozenset({VIEW, ADD, CHANGE, DELETE})
READ = frozenset({VIEW})


def _roles(request) -> set[str]:
    # Every back-office page asks about every model (the navigation): read the roles once.
    if not hasattr(request, "_civic_staff_roles"):
        request._civic_staff_roles = staff_roles(user=request.user)
    return request._civic_staff_roles


def _may(request, permissions: dict[str, frozenset[str]], action: str) -> bool:
    user = request.user
    if not (user.is_active and user.is_staff) or staff_agency_id(user=user) is None:
        return False
    return any(action in permissions.get(role, ()) for role in _roles(request))


class AgencyScopedAdmin(admin.ModelAdmin):
    """A model admin scoped to the user's agency.

    ``agency_path`` is the lookup from the model to the agency that owns a row ("agency",
    "service__agency", "pk" for the agency itself); empty for content every agency shares.
    ``role_permissions`` maps a role to what it may do here (``VIEW``, ``ADD``, ``CHANGE``,
    ``DELETE``); a role not named may do nothing.
    """

    agency_path: str = ""
    #: The field at ``agency_path`` holds the agency's code rather than a foreign key (the
    #: access log keeps codes, so that it never changes when an agency does).
    agency_by_code: bool = False
    role_permissions: dict[str, frozenset[str]] = {}

    # --- who may do what --------------------------------------------------------------

    def _operator(self, request) -> bool:
        return sees_every_agency(user=request.user)

    def _may(self, request, action: str) -> bool:
        return _may(request, self.role_permissions, action)

    def _owns(self, request, obj) -> bool:
        if obj is None or not self.agency_path or self._operator(request):
            return True
        return agency_may_act(user=request.user, agency_id=self.agency_of(obj))

    def has_module_permission(self, request):
        if self._operator(request):
            return super().has_module_permission(request)
        return any(self._may(request, action) for action in EVERYTHING)

    def has_view_permission(self, request, obj=None):
        if self._operator(request):
            return super().has_view_permission(request, obj)
        return (self._may(request, VIEW) or self._may(request, CHANGE)) and self._owns(request, obj)

    def has_add_permission(self, request):
        if self._operator(request):
            return super().has_add_permission(request)
        return self._may(request, ADD)

    def has_change_permission(self, request, obj=None):
        if self._operator(request):
            return super().has_change_permission(request, obj)
        return self._may(request, CHANGE) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._operator(request):
            return super().has_delete_permission(request, obj)
        return self._may(request, DELETE) and self._owns(request, obj)

    # --- what they see ------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not self.agency_path:
            return queryset
        return agency_scoped(
            queryset, user=request.user, path=self.agency_path, by_code=self.agency_by_code
        )

    def get_field_queryset(self, db, db_field, request):
        """Choices of a foreign key or many-to-many field: what the related model's admin
        shows this user, so another agency's rows are neither offered nor accepted."""
        related = self.admin_site._registry.get(db_field.remote_field.model)
        if isinstance(related, AgencyScopedAdmin) and related.agency_path:
            return related.get_queryset(request)
        return super().get_field_queryset(db, db_field, request)

    def get_list_filter(self, request):
        """A filter on a relation lists only the related rows the user's own rows use."""
        scoped = []
        for item in super().get_list_filter(request):
            field = self._field(item) if isinstance(item, str) else None
            if field is not None and field.is_relation:
                scoped.append((item, RelatedOnlyFieldListFilter))
            else:
                scoped.append(item)
        return scoped

    def _field(self, path: str) -> models.Field | None:
        model, field = self.model, None
        for part in path.split("__"):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return None
            model = field.related_model or model
        return field

    # --- what they save -----------------------------------------------------------------

    @property
    def agency_field(self) -> str:
        """The model's own field naming its agency, when ``agency_path`` is one."""
        if self.agency_by_code or self.agency_path in ("", "pk") or "__" in self.agency_path:
            return ""
        return self.agency_path

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if self.agency_field and not self._operator(request):
            fields += (self.agency_field,)
        return fields

    def agency_of(self, obj) -> int | None:
        """The id of the agency that owns ``obj``, along ``agency_path``."""
        if self.agency_path == "pk":
            return obj.pk
        *hops, last = self.agency_path.split("__")
        owner = reduce(lambda current, hop: getattr(current, hop, None), hops, obj)
        if owner is None:
            return None
        if self.agency_by_code:
            agency = agency_get(code=getattr(owner, last, ""))
            return agency.pk if agency else None
        return getattr(owner, f"{last}_id", None)

    def save_model(self, request, obj, form, change):
        """A new row of a model that names its agency gets the user's; any save of a row
        that is not the user's agency's is refused, whatever the form sent."""
        if self.agency_field and not self._operator(request):
            setattr(obj, f"{self.agency_field}_id", staff_agency_id(user=request.user))
        if self.agency_path and not self._owns(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class AgencyScopedInline(admin.TabularInline):
    """An inline that may be changed exactly when its parent may."""

    def _parent(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None):
        return self._parent().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent().has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent().has_change_permission(request, obj)
