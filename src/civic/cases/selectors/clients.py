"""Cases for an agency's API clients: the case types each client was given and the role it
acts in on them."""

from __future__ import annotations

import datetime as dt

from civic.cases.acting import ClientActing, may_see
from civic.cases.models import Case


def client_acting(*, client) -> ClientActing:
    """The client with the case types it was given and the role it acts in on each."""
    from civic.cases.models import CaseApiAccess

    rows = CaseApiAccess.objects.filter(
        api_client=client, case_type__agency_id=client.agency_id
    ).values_list("case_type__code", "role")
    return ClientActing(client=client, roles=dict(rows))


def cases_for_client(
    *,
    acting: ClientActing,
    state: str = "",
    case_type: str = "",
    updated_since: dt.datetime | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[int, list[Case]]:
    """(total, page) of the cases the client may see, most recently changed first."""
    cases = Case.objects.filter(
        agency_id=acting.agency_id, case_type__code__in=list(acting.roles)
    ).select_related("case_type")
    if state:
        cases = cases.filter(state=state)
    if case_type:
        cases = cases.filter(case_type__code=case_type)
    if updated_since:
        cases = cases.filter(updated_at__gte=updated_since)
    total = cases.count()
    return total, list(cases.order_by("-updated_at", "-pk")[offset : offset + limit])


def case_for_client(*, acting: ClientActing, reference: str) -> Case | None:
    """A case the client may see; None for any other (never reveal it exists)."""
    case = (
        Case.objects.select_related("case_type", "agency", "submission__draft")
        .filter(reference=reference)
        .first()
    )
    return case if case is not None and may_see(case, acting) else None
