"""Who reads: an API client, a staff member, a resident (perhaps for someone) or a job."""

from __future__ import annotations

from dataclasses import dataclass, field

from civic.exchange.models import AccessLogEntry
from civic.identity.selectors import staff_roles


@dataclass(frozen=True)
class Actor:
    kind: str
    id: str
    agency: str
    roles: frozenset[str] = field(default_factory=frozenset)
    api_client_pk: int | None = None
    #: For a resident acting for someone else: the represented person's personal number.
    on_behalf_of: str = ""
    #: An API client's own limits (subjects released a minute and a day); None: the default.
    subjects_per_minute: int | None = None
    subjects_per_day: int | None = None

    @classmethod
    def api_client(cls, client) -> Actor:
        return cls(
            AccessLogEntry.ActorKind.API_CLIENT,
            client.client_id,
            client.agency.code,
            api_client_pk=client.pk,
            subjects_per_minute=client.subjects_per_minute,
            subjects_per_day=client.subjects_per_day,
        )

    @classmethod
    def staff(cls, user) -> Actor:

        return cls(
            AccessLogEntry.ActorKind.STAFF,
            str(user.pk),
            user.agency.code if user.agency else "",
            roles=frozenset(staff_roles(user=user)),
        )

    @classmethod
    def job(cls, name: str, *, agency: str) -> Actor:
        return cls(AccessLogEntry.ActorKind.JOB, name, agency)

    @classmethod
    def resident(cls, personal_number: str, *, on_behalf_of: str = "") -> Actor:
        return cls(
            AccessLogEntry.ActorKind.RESIDENT, personal_number, "", on_behalf_of=on_behalf_of
        )
