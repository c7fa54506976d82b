"""A resident's wish to hear of advisories, and its consent: warnings about the home area
rest on the resident's consent to the advisories' purpose (their address is looked up each
time an advisory is sent), given and withdrawn with the choice."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from civic.core import clock
from civic.core.errors import CivicError
from civic.core.numbers import personal_number_clean
from civic.exchange.selectors import neighbourhoods_list, purpose_get
from civic.exchange.services import consent_give, consent_withdraw
from civic.sensors import models as m


class SubscriptionRefused(CivicError):
    code = "subscription-refused"

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()))


@transaction.atomic
def advisory_subscription_set(
    *, personal_number: str, home: bool, neighbourhoods: list[str]
) -> m.AdvisorySubscription | None:
    """Keep what the resident chose; nothing chosen ends the subscription. Returns it, or
    None once ended."""
    number = personal_number_clean(personal_number)
    known = {n["code"] for n in neighbourhoods_list()}
    unknown = sorted(set(neighbourhoods) - known)
    if unknown:
        raise SubscriptionRefused({"neighbourhoods": _("Choose neighbourhoods from the list.")})
    purpose = purpose_get(code=settings.SENSORS_ADVISORY_PURPOSE)
    if home and purpose is None:
        raise SubscriptionRefused(
            {"home": _("Warnings about your home area are not offered here.")}
        )
    if purpose is not None:
        if home:
            consent_give(personal_number=number, purpose=purpose)
        else:
            consent_withdraw(personal_number=number, purpose=purpose)
    if not home and not neighbourhoods:
        m.AdvisorySubscription.objects.filter(personal_number=number).delete()
        return None
    subscription, _made = m.AdvisorySubscription.objects.update_or_create(
        personal_number=number,
        defaults={
            "home": home,
            "neighbourhoods": sorted(set(neighbourhoods)),
            "updated_at": clock.now(),
        },
    )
    return subscription


def advisory_subscription_erase(*, personal_number: str) -> bool:
    """For an erasure: the subscription goes and its consent is withdrawn (the consent's
    record stays, as proof of what was allowed when). Whether there was one."""
    number = personal_number_clean(personal_number)
    had = m.AdvisorySubscription.objects.filter(personal_number=number).exists()
    advisory_subscription_set(personal_number=number, home=False, neighbourhoods=[])
    return had
