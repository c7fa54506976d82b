"""The agency's Privacy team: who handles data-subject requests besides the data protection
officer (docs/privacy.md, "Who handles them"). Its page lets the agency's officer or
administrator see and change it; every read and write is scoped to their agency here."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from civic.core.errors import NotFound
from civic.identity import services as identity
from civic.identity.models import Role, StaffTeam, User

#: The team the privacy-* case types name (setup: case-types.json).
PRIVACY_TEAM = "Privacy"
MANAGERS = (Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR)


def _manager_agency(user: User):
    roles = set(user.roles.values_list("role", flat=True)) if user.is_authenticated else set()
    if user.agency_id is None or not roles & {str(r) for r in MANAGERS}:
        raise NotFound(_("Only the agency's data protection officer or administrator does this."))
    return user.agency


def privacy_team_list(*, user: User) -> list[dict]:
    """The staff of the user's agency, each with whether they are in the Privacy team."""
    agency = _manager_agency(user)
    members = set(
        StaffTeam.objects.filter(team=PRIVACY_TEAM, user__agency=agency).values_list(
            "user_id", flat=True
        )
    )
    staff = User.objects.filter(agency=agency, kind=User.Kind.STAFF, is_active=True).order_by(
        "username"
    )
    return [
        {
            "user": member,
            "in_team": member.pk in members,
            "roles": sorted(
                str(Role(r).label) for r in member.roles.values_list("role", flat=True)
            ),
        }
        for member in staff
    ]


@transaction.atomic
def privacy_team_set(*, user: User, member_id: int, in_team: bool) -> User:
    """Put a staff member of the user's own agency in the Privacy team, or take them out. A
    member of another agency (or no staff member) is not found, and nothing changes."""
    agency = _manager_agency(user)
    member = User.objects.filter(
        pk=member_id, agency=agency, kind=User.Kind.STAFF, is_active=True
    ).first()
    if member is None:
        raise NotFound(_("There is no such member of your agency's staff."))
    if in_team:
        identity.staff_team_join(user=member, team=PRIVACY_TEAM)
    else:
        identity.staff_team_leave(user=member, team=PRIVACY_TEAM)
    return member


__all__ = ["PRIVACY_TEAM", "privacy_team_list", "privacy_team_set"]
