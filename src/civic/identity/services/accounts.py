"""Agencies, staff accounts, residents' accounts and a user's language."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from civic.core.errors import CivicError
from civic.core.numbers import personal_number_clean
from civic.identity.models import (
    Agency,
    ResidentAccount,
    Role,
    StaffRole,
    StaffTeam,
    User,
)


def agency_ensure(*, code: str, name: str, name_nl: str = "", kind: str = "national") -> Agency:
    agency, _created = Agency.objects.update_or_create(
        code=code, defaults={"name": name, "name_nl": name_nl, "kind": kind}
    )
    return agency


@transaction.atomic
def staff_team_join(*, user: User, team: str) -> None:
    """Make a staff member one of ``team`` of their agency (as case types name it, e.g.
    "Privacy": who may see the data-subject requests besides the data protection officer)."""
    team = team.strip()
    if user.kind != User.Kind.STAFF or not team:
        raise CivicError(_("Only staff join a team, and the team needs a name."))
    StaffTeam.objects.get_or_create(user=user, team=team[:60])


@transaction.atomic
def staff_team_leave(*, user: User, team: str) -> None:
    """Take a staff member out of ``team`` (nothing to do when not in it)."""
    StaffTeam.objects.filter(user=user, team=team.strip()[:60]).delete()


def staff_user_create(
    *,
    username: str,
    agency: Agency,
    roles: list[str],
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise CivicError(_("Unknown role(s): %(roles)s.") % {"roles": ", ".join(sorted(unknown))})
    user = User(
        username=username,
        kind=User.Kind.STAFF,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
        email=email,
        # Service owners and administrators work in the back office (Django admin), within
        # their agency: an administrator is the agency's, not a superuser of the installation.
        is_staff=bool({Role.ADMINISTRATOR, Role.SERVICE_OWNER} & set(roles)),
        is_superuser=False,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    StaffRole.objects.bulk_create([StaffRole(user=user, role=role) for role in roles])
    return user


def resident_account_ensure(*, personal_number: str) -> User:
    """The resident's user, created on first login. Refuses a number that fails its check."""
    number = personal_number_clean(personal_number)
    account = ResidentAccount.objects.select_related("user").filter(personal_number=number).first()
    if account:
        return account.user
    with transaction.atomic():
        user = User(username=f"resident-{number}", kind=User.Kind.RESIDENT)
        user.set_unusable_password()
        user.save()
        ResidentAccount.objects.create(user=user, personal_number=number)
    return user


def user_language_set(*, user, language: str) -> None:
    """Remember a logged-in user's language, so it follows them to other devices."""
    if user.is_authenticated and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
