"""Who changes a case: a staff member (Django's user), or an API client acting on the cases of
the case types it was given, each in one workflow role. The services take either as ``user``;
the few places that differ ask here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from civic.identity.models import ApiClient
from civic.identity.selectors import staff_agency_id, staff_roles


@dataclass(frozen=True)
class ClientActing:
    """An API client on the case API: its agency, and per case type code the role it acts in."""

    client: ApiClient
    roles: dict[str, str] = field(default_factory=dict)
    is_authenticated = True

    @property
    def agency_id(self) -> int:
        return self.client.agency_id

    @property
    def username(self) -> str:
        return self.client.client_id

    def get_full_name(self) -> str:
        return _("%(name)s (API client)") % {"name": self.client.name}


def roles_on(case, user) -> set[str]:
    """The workflow roles ``user`` holds on ``case``."""
    if isinstance(user, ClientActing):
        role = user.roles.get(case.case_type.code)
        return {role} if role else set()
    return staff_roles(user=user)


def agency_of(user) -> int | None:
    return user.agency_id if isinstance(user, ClientActing) else staff_agency_id(user=user)


def may_see(case, user) -> bool:
    """Staff see their agency's cases; a client only those of the case types it was given."""
    if agency_of(user) != case.agency_id:
        return False
    return not isinstance(user, ClientActing) or case.case_type.code in user.roles
