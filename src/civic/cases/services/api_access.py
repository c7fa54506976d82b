"""Giving an API client access to the cases of a case type of its own agency, in one role of
the case type's workflow; and taking it away."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from civic.cases.models import CaseApiAccess, CaseType
from civic.core import clock
from civic.core.errors import CivicError
from civic.exchange.services import event_subscriptions_case_type_end
from civic.identity.models import ApiClient


def _workflow_roles(case_type: CaseType) -> set[str]:
    return {
        role
        for transition in case_type.workflow.get("transitions", [])
        for role in transition.get("roles", [])
    }


@transaction.atomic
def case_api_access_grant(
    *, api_client: ApiClient, case_type: CaseType, role: str, granted_by: str
) -> CaseApiAccess:
    if api_client.revoked_at is not None:
        raise CivicError(_("This API client is revoked."))
    if api_client.agency_id != case_type.agency_id:
        raise CivicError(
            _("An API client reaches only the cases of its own agency; %(type)s is another's.")
            % {"type": case_type.code}
        )
    roles = _workflow_roles(case_type)
    if role not in roles:
        raise CivicError(
            _("The workflow of %(type)s has no role %(role)s; it has %(roles)s.")
            % {"type": case_type.code, "role": role, "roles": ", ".join(sorted(roles))}
        )
    access, _created = CaseApiAccess.objects.update_or_create(
        api_client=api_client,
        case_type=case_type,
        defaults={"role": role, "granted_at": clock.now(), "granted_by": granted_by[:120]},
    )
    return access


@transaction.atomic
def case_api_access_revoke(*, api_client: ApiClient, case_type: CaseType) -> bool:
    """The client no longer reaches the case type's cases, nor gets their events: what was on
    its way to it about them is withdrawn."""
    deleted, _rows = CaseApiAccess.objects.filter(
        api_client=api_client, case_type=case_type
    ).delete()
    event_subscriptions_case_type_end(api_client=api_client, case_type=case_type.code)
    return bool(deleted)
