"""Reads of the identity app for other apps and pages."""

from __future__ import annotations

from civic.identity.models import Agency, Role, StaffRole, User


def staff_roles(*, user: User) -> set[str]:
    if not user.is_authenticated or user.kind != User.Kind.STAFF:
        return set()
    return set(StaffRole.objects.filter(user=user).values_list("role", flat=True))


def staff_has_role(*, user: User, role: Role | str) -> bool:
    return str(role) in staff_roles(user=user)


def resident_personal_number(*, user: User) -> str | None:
    if not user.is_authenticated or user.kind != User.Kind.RESIDENT:
        return None
    account = getattr(user, "resident", None)
    return account.personal_number if account else None


def agency_list() -> list[Agency]:
    return list(Agency.objects.order_by("name"))


def agency_get(*, code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()
