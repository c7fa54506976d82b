"""Writes of the breach register: a breach recorded, and each step of GDPR art. 33 and 34 taken
(assess the risk, notify the supervisory authority within 72 hours of discovery, notify the
people concerned when the risk is high, close), each with the reasons the law asks for when a
notification is late or not made. Only the agency's data protection officer writes; scoped to
the user's agency here, not in the view."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from civic.compliance.breaches.models import Breach
from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.identity.models import Role
from civic.identity.selectors import agency_scoped, staff_has_role

#: GDPR art. 33(1): the supervisory authority is told within 72 hours of becoming aware.
NOTIFY_WITHIN = dt.timedelta(hours=72)
TEXT_LONGEST = 4000
#: What a new breach must say (art. 33(3)(a), (c), (d)), by field.
TEXTS = ("nature", "data_categories", "people_categories", "consequences", "measures")


def breach_deadline(breach: Breach) -> dt.datetime:
    return breach.discovered_at + NOTIFY_WITHIN


def breach_overdue(breach: Breach, now: dt.datetime | None = None) -> bool:
    """Past 72 hours and the authority neither told nor decided against."""
    return (
        breach.step in (Breach.Step.ASSESS, Breach.Step.NOTIFY_AUTHORITY)
        and breach.authority_notified_at is None
        and (now or clock.now()) > breach_deadline(breach)
    )


def _officer(user) -> None:
    if not staff_has_role(user=user, role=Role.DATA_PROTECTION_OFFICER):
        raise CivicError(_("Only a data protection officer can keep the breach register."))


def _text(value: str, *, name: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise BreachRefused(name, _("Fill this in: the notification has to say it."))
    if len(value) > TEXT_LONGEST:
        raise BreachRefused(
            name,
            _("Keep this to %(most)s characters; it has %(count)s.")
            % {"most": TEXT_LONGEST, "count": len(value)},
        )
    return value


class BreachRefused(CivicError):
    """A breach or a step refused, naming the field to correct."""

    code = "breach-refused"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _when(value: dt.datetime | None, *, name: str, after: dt.datetime | None = None) -> dt.datetime:
    if value is None:
        raise BreachRefused(name, _("Enter the date and time."))
    if value > clock.now():
        raise BreachRefused(name, _("The date and time must be in the past."))
    if after is not None and value < after:
        raise BreachRefused(name, _("The date and time must be after the breach was discovered."))
    return value


def _said(breach: Breach, user, what: str) -> None:
    breach.history = [
        *breach.history,
        {"at": clock.now().isoformat(), "by": user.get_username(), "what": what},
    ]


@transaction.atomic
def breach_record(
    *,
    user,
    discovered_at: dt.datetime | None,
    nature: str,
    data_categories: str,
    people_categories: str,
    people_approx: int | None,
    records_approx: int | None,
    consequences: str,
    measures: str,
) -> Breach:
    """A new breach in the user's agency's register; the 72 hours run from ``discovered_at``."""
    _officer(user)
    texts = {
        name: _text(value, name=name)
        for name, value in zip(
            TEXTS, (nature, data_categories, people_categories, consequences, measures), strict=True
        )
    }
    for name, number in (("people_approx", people_approx), ("records_approx", records_approx)):
        if number is None or number < 0:
            raise BreachRefused(name, _("Enter a whole number (an estimate will do)."))
    now = clock.now()
    breach = Breach(
        agency_id=user.agency_id,
        reference=uuid.uuid4().hex[:20],
        discovered_at=_when(discovered_at, name="discovered_at"),
        recorded_at=now,
        recorded_by=user,
        people_approx=people_approx,
        records_approx=records_approx,
        **texts,
    )
    _said(breach, user, "recorded")
    breach.save()
    # Numbered by its row, so two officers recording at once never share a reference.
    breach.reference = f"BR-{now:%Y}-{breach.pk:05d}"
    breach.save(update_fields=["reference"])
    return breach


def _breach_for(user, breach_id: int) -> Breach:
    _officer(user)
    breach = (
        agency_scoped(Breach.objects.select_for_update(), user=user).filter(pk=breach_id).first()
    )
    if breach is None:
        raise NotFound(_("There is no such breach."))
    return breach


def step_moved(breach: Breach) -> str:
    return _("This breach is no longer at that step (it is %(step)s).") % {
        "step": breach.get_step_display()
    }


def date_unreadable() -> str:
    return _("Enter a real date, and a time such as 14:30.")


def told_unchosen() -> str:
    return _("Choose whether the people concerned were told.")


def _at_step(breach: Breach, step: str) -> None:
    if breach.step != step:
        raise BreachRefused("step", step_moved(breach))


@transaction.atomic
def breach_assess(*, user, breach_id: int, risk: str, reason: str = "") -> Breach:
    """The risk to people: unlikely (the authority is not told; the reason is recorded, art.
    33(5)), a risk (tell the authority), or high (tell the people concerned too, art. 34)."""
    breach = _breach_for(user, breach_id)
    _at_step(breach, Breach.Step.ASSESS)
    if risk not in (Breach.Risk.NONE, Breach.Risk.RISK, Breach.Risk.HIGH):
        raise BreachRefused("risk", _("Choose how likely the breach is to harm people."))
    breach.risk = risk
    if risk == Breach.Risk.NONE:
        breach.no_notification_reason = _text(reason, name="reason")
        breach.step = Breach.Step.CLOSE
    else:
        breach.step = Breach.Step.NOTIFY_AUTHORITY
    _said(breach, user, f"assessed: {risk}")
    breach.save()
    return breach


@transaction.atomic
def breach_authority_notified(
    *,
    user,
    breach_id: int,
    notified_at: dt.datetime | None,
    authority_reference: str = "",
    late_reason: str = "",
) -> Breach:
    """The supervisory authority was told. Past the 72 hours the notification says why it is
    late (art. 33(1)), so the reason is required."""
    breach = _breach_for(user, breach_id)
    _at_step(breach, Breach.Step.NOTIFY_AUTHORITY)
    notified_at = _when(notified_at, name="notified_at", after=breach.discovered_at)
    late = notified_at > breach_deadline(breach)
    breach.late_reason = _text(late_reason, name="late_reason", required=late)
    breach.authority_notified_at = notified_at
    breach.authority_reference = _text(
        authority_reference, name="authority_reference", required=False
    )[:100]
    breach.step = (
        Breach.Step.NOTIFY_SUBJECTS if breach.risk == Breach.Risk.HIGH else Breach.Step.CLOSE
    )
    _said(breach, user, "authority notified" + (" late" if late else ""))
    breach.save()
    return breach


@transaction.atomic
def breach_subjects_notified(
    *,
    user,
    breach_id: int,
    notified_at: dt.datetime | None = None,
    exemption: str = "",
    told: str = "",
) -> Breach:
    """The people concerned were told (art. 34(1)), or are not, for a reason of art. 34(3)."""
    breach = _breach_for(user, breach_id)
    _at_step(breach, Breach.Step.NOTIFY_SUBJECTS)
    if told not in ("", "yes", "no"):
        raise BreachRefused("told", told_unchosen())
    if told == "yes" and notified_at is None:
        raise BreachRefused("notified_at", _("Enter the date and time."))
    if notified_at is None:
        breach.subjects_exemption = _text(exemption, name="exemption")
        _said(breach, user, "people concerned not notified")
    else:
        breach.subjects_notified_at = _when(
            notified_at, name="notified_at", after=breach.discovered_at
        )
        _said(breach, user, "people concerned notified")
    breach.step = Breach.Step.CLOSE
    breach.save()
    return breach


@transaction.atomic
def breach_close(*, user, breach_id: int) -> Breach:
    breach = _breach_for(user, breach_id)
    _at_step(breach, Breach.Step.CLOSE)
    breach.step, breach.closed_at = Breach.Step.CLOSED, clock.now()
    _said(breach, user, "closed")
    breach.save()
    return breach
