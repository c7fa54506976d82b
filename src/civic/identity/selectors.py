"""Reads of the identity app for other apps and pages, and the one rule of agency scoping:
a staff member sees and changes their own agency's data only (``agency_scoped``)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from civic.core import clock
from civic.identity.models import (
    Agency,
    ApiClient,
    Authorisation,
    ResidentAccount,
    Role,
    StaffRecoveryCode,
    StaffRole,
    StaffSecondFactor,
    StaffTeam,
    User,
)
from civic.identity.persons import minor_children, minor_children_named, person_names
from civic.identity.second_factor import codes
from civic.identity.second_factor.sealing import unseal


def staff_roles(*, user: User) -> set[str]:
    if not user.is_authenticated or user.kind != User.Kind.STAFF:
        return set()
    return set(StaffRole.objects.filter(user=user).values_list("role", flat=True))


def staff_teams(*, user: User) -> set[str]:
    """The teams a staff member belongs to (none for anyone else)."""
    if not getattr(user, "is_authenticated", False) or user.kind != User.Kind.STAFF:
        return set()
    return set(StaffTeam.objects.filter(user=user).values_list("team", flat=True))


def staff_has_role(*, user: User, role: Role | str) -> bool:
    return str(role) in staff_roles(user=user)


def sees_every_agency(*, user) -> bool:
    """The installation's operator: an active superuser who belongs to no agency (made with
    `civic createsuperuser`). Everyone else sees one agency's data at most."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_superuser
        and user.agency_id is None
    )


def staff_agency_id(*, user) -> int | None:
    """The agency whose data a staff member may see and change; None for residents, visitors
    and staff without an agency."""
    if not getattr(user, "is_authenticated", False) or user.kind != User.Kind.STAFF:
        return None
    return user.agency_id


def agency_scoped(
    queryset: QuerySet, *, user, path: str = "agency", by_code: bool = False
) -> QuerySet:
    """``queryset`` narrowed to the rows of the user's agency, found along ``path`` (a lookup
    that ends in an agency, such as ``service__agency``; with ``by_code`` a field holding the
    agency's code). The operator gets every row; anyone without an agency gets none."""
    if sees_every_agency(user=user):
        return queryset
    agency_id = staff_agency_id(user=user)
    if agency_id is None:
        return queryset.none()
    if by_code:
        return queryset.filter(**{path: user.agency.code})
    return queryset.filter(**{path: agency_id})


def agency_may_act(*, user, agency_id: int | None) -> bool:
    """Whether the user may see or change something owned by ``agency_id``."""
    if sees_every_agency(user=user):
        return True
    own = staff_agency_id(user=user)
    return own is not None and own == agency_id


def resident_personal_number(*, user: User) -> str | None:
    if not user.is_authenticated or user.kind != User.Kind.RESIDENT:
        return None
    account = getattr(user, "resident", None)
    return account.personal_number if account else None


def resident_language(*, personal_number: str) -> str:
    """The language the resident chose on their account ("" when they never chose)."""

    account = (
        ResidentAccount.objects.filter(personal_number=personal_number)
        .select_related("user")
        .first()
    )
    return account.user.preferred_language if account else ""


def resident_languages(*, personal_numbers: list[str]) -> dict[str, str]:
    """``resident_language`` for many residents in one query: those who chose one."""

    return {
        number: language
        for number, language in ResidentAccount.objects.filter(
            personal_number__in=personal_numbers
        ).values_list("personal_number", "user__preferred_language")
        if language
    }


def agency_list() -> list[Agency]:
    return list(Agency.objects.order_by("name"))


def agency_get(*, code: str) -> Agency | None:
    return Agency.objects.filter(code=code).first()


def api_clients_named(*, name: str) -> list:
    """The API clients in use with this name (a set-up grants to a client by its name)."""

    return list(
        ApiClient.objects.filter(name=name, revoked_at__isnull=True).select_related("agency")
    )


def may_represent(*, representative: str, person: str) -> str | None:
    """Why ``representative`` may act for ``person`` today ("parent" or "authorisation"), or None."""

    if person in minor_children(personal_number=representative):
        return "parent"
    if Authorisation.objects.filter(
        grantor=person,
        representative=representative,
        revoked_at__isnull=True,
        valid_until__gte=clock.today(),
    ).exists():
        return "authorisation"
    return None


def may_apply_for(*, representative: str, person: str) -> bool:
    """Whether ``representative`` may apply for services for ``person`` today: a parent for a
    minor child, or someone authorised with the scope "all" (not "only look at my data")."""

    if person in minor_children(personal_number=representative):
        return True
    return Authorisation.objects.filter(
        grantor=person,
        representative=representative,
        scope="all",
        revoked_at__isnull=True,
        valid_until__gte=clock.today(),
    ).exists()


def representable(*, representative: str) -> list[dict]:
    """Everyone the resident may act for today, and why."""

    people = [
        {"personal_number": c.personal_number, "name": c.name, "reason": "parent", "until": None}
        for c in minor_children_named(personal_number=representative)
    ]
    granted = list(
        Authorisation.objects.filter(
            representative=representative, revoked_at__isnull=True, valid_until__gte=clock.today()
        ).order_by("valid_until")
    )
    names = person_names(personal_numbers=[row.grantor for row in granted])
    for row in granted:
        people.append(
            {
                "personal_number": row.grantor,
                "name": names.get(row.grantor, ""),
                "reason": "authorisation",
                "until": row.valid_until,
            }
        )
    return people


def authorisations_given(*, grantor: str) -> list:

    return list(
        Authorisation.objects.filter(grantor=grantor, revoked_at__isnull=True).order_by(
            "valid_until"
        )
    )


# --- the staff's second factor ------------------------------------------------------------


def second_factor_required() -> bool:
    """CIVIC_STAFF_SECOND_FACTOR: whether staff logins ask for a code after the password."""

    return settings.STAFF_SECOND_FACTOR == "required"


def needs_second_factor(*, user) -> bool:
    """Whoever works inside Civic (staff pages, the back office) rather than as a resident."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.kind == User.Kind.STAFF or user.is_staff or user.is_superuser)
    )


def second_factor_get(*, user):

    return StaffSecondFactor.objects.filter(user=user).first()


def second_factor_is_current(*, user, factor_id) -> bool:
    """Whether ``factor_id`` (what a session passed with) is still the user's factor: false
    after a reset, so that the sessions the old factor let in end."""

    return (
        isinstance(factor_id, int)
        and StaffSecondFactor.objects.filter(pk=factor_id, user_id=user.pk).exists()
    )


def recovery_codes_left(*, user) -> int:

    return StaffRecoveryCode.objects.filter(factor__user=user, used_at__isnull=True).count()


def second_factor_demo_code(*, username: str) -> tuple[str, int, int] | None:
    """A code the demo account ``username`` may log in with, the seconds until it is accepted
    (0: now) and the seconds until it is no longer accepted; None for an account whose factor
    was not made by `civic demo`. The current step's code, or a later step's when that one is
    used up (the drift window accepts the next step's code early)."""

    factor = StaffSecondFactor.objects.filter(user__username=username, demo=True).first()
    secret = unseal(factor.secret, user_id=factor.user_id) if factor else None
    if secret is None:
        return None
    seconds = int(clock.now().timestamp())
    step = max(seconds // codes.PERIOD_SECONDS, factor.last_used_step + 1)
    starts = max(0, (step - codes.DRIFT_STEPS) * codes.PERIOD_SECONDS - seconds)
    ends = (step + codes.DRIFT_STEPS + 1) * codes.PERIOD_SECONDS - seconds
    return codes.code_at(secret, step), starts, ends


def staff_of_agency_with_role(*, agency_id: int, role: Role | str) -> list[User]:
    """The active staff of an agency who hold ``role`` (for example, whom to tell about an
    access alert)."""
    return list(
        User.objects.filter(
            kind=User.Kind.STAFF, agency_id=agency_id, is_active=True, roles__role=str(role)
        )
        .distinct()
        .order_by("pk")
    )


def api_client_by_id(*, client_id: str):

    return ApiClient.objects.filter(client_id=client_id).select_related("agency").first()
