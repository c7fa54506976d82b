"""Writes and checks of staff training: a record added (by the agency's administrator or data
protection officer, or by the demo and tests), and the exchange's check that a staff member's
data-protection training is current before personal data is released to them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import formats
from django.utils.translation import gettext as _

from civic.compliance.training.models import Course, TrainingRecord
from civic.core import clock
from civic.core.errors import CivicError
from civic.identity.models import Role, User
from civic.identity.selectors import staff_agency_id, staff_roles

#: How long a completed data-protection course counts when the record does not say.
VALID_FOR = dt.timedelta(days=365)


#: The longest a recorded course may count: the course is to be followed again by then.
LONGEST_VALID_YEARS = 2


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def training_record_check(
    *, user: User | None, by: User | None, completed_on: dt.date, valid_until: dt.date
) -> None:
    """Refuse a record its own staff member makes, or one that counts too long: the training
    is what lets a member read personal data, so nobody clears themselves."""
    if by is not None and user is not None and by.pk == user.pk:
        raise CivicError(
            _(
                "You cannot record your own training: another administrator or data "
                "protection officer of your agency records it."
            )
        )
    if valid_until < completed_on:
        raise CivicError(_("The training cannot end before it was completed."))
    longest = _years_after(completed_on, LONGEST_VALID_YEARS)
    if valid_until > longest:
        raise CivicError(
            _("A training counts at most %(years)s years: until %(day)s at the latest.")
            % {"years": LONGEST_VALID_YEARS, "day": formats.date_format(longest)}
        )


def training_record_add(
    *,
    user: User,
    course: str = Course.DATA_PROTECTION,
    completed_on: dt.date | None = None,
    valid_until: dt.date | None = None,
    by: User | None = None,
) -> TrainingRecord:
    """Record a completed course. ``by`` (when a person records it) must be an administrator
    or data protection officer of the staff member's own agency."""
    if course not in Course.values:
        raise CivicError(_("There is no course called “%(course)s”.") % {"course": course})
    if by is not None:
        allowed = {Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER} & staff_roles(user=by)
        if not allowed or staff_agency_id(user=by) != user.agency_id:
            raise PermissionDenied
    completed_on = completed_on or clock.today()
    valid_until = valid_until or completed_on + VALID_FOR
    training_record_check(user=user, by=by, completed_on=completed_on, valid_until=valid_until)
    if user.agency_id is None:
        raise CivicError(_("Only staff of an agency have training records."))
    return TrainingRecord.objects.create(
        agency_id=user.agency_id,
        user=user,
        course=course,
        completed_on=completed_on,
        valid_until=valid_until,
    )


def training_current_until(*, user_id: int, course: str = Course.DATA_PROTECTION) -> dt.date | None:
    """The last day the member's training counts, if it counts today; None otherwise."""
    today = clock.today()
    return (
        TrainingRecord.objects.filter(
            user_id=user_id, course=course, completed_on__lte=today, valid_until__gte=today
        )
        .order_by("-valid_until")
        .values_list("valid_until", flat=True)
        .first()
    )


def training_refusal(user_id: int) -> str:
    """The exchange's check (exchange.staff_checks): "" when the staff member's
    data-protection training is current, else why not and what to do."""
    if training_current_until(user_id=user_id) is not None:
        return ""
    lapsed = (
        TrainingRecord.objects.filter(user_id=user_id, course=Course.DATA_PROTECTION)
        .order_by("-valid_until")
        .values_list("valid_until", flat=True)
        .first()
    )
    what_to_do = _(
        "Complete the data-protection course and ask your data protection officer or "
        "administrator to record it; you can read personal data again from then."
    )
    if lapsed is not None and lapsed < clock.today():
        return (
            _(
                "Your data-protection training expired on %(date)s, so Civic does not show you personal data."
            )
            % {"date": formats.date_format(lapsed, "j F Y")}
            + " "
            + what_to_do
        )
    return (
        _(
            "Civic has no record of your data-protection training, so it does not show you personal data."
        )
        + " "
        + what_to_do
    )
