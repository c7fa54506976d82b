"""Numbers, ids, page numbers and dates read from a request, or a 400 that says what is wrong.

What comes in a query string or a form is the sender's to choose: a page number of twenty
digits, an id that is not a number, a date in the year 9999. Each reader returns a value the
rest of Civic can use (it fits a 64-bit database integer; a date can move a day either way and
through any time zone) or raises :class:`BadParameter`, which Django answers with the 400 page
(``civic.views.bad_request`` shows the message) and the API with problem+json. Imports nothing
of Civic's apps.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from django.core.exceptions import BadRequest, ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from civic.core.errors import CivicError

#: The largest id a database table of Civic can hold (a signed 64-bit integer).
ID_MAX = 2**63 - 1
#: Pages of a list: far more than any list has, and (page - 1) × page size stays a small offset.
PAGE_MAX = 100_000
#: Dates Civic reads from people: wide enough for any birth date or deadline, narrow enough to
#: add a day or move through a time zone without leaving the calendar.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)
#: ASCII digits only: `int()` also takes "١٢", "1_000" and spaces, which no form sends.
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,30}")


class BadParameter(CivicError, BadRequest):
    """A value in the query string or form that cannot be used; the message says which and why."""

    code = "bad-parameter"
    status = 400


def _whole_number(raw: str) -> int | None:
    return int(raw) if _WHOLE_NUMBER.fullmatch(raw) else None


def int_param(
    data: Mapping[str, str],
    name: str,
    *,
    default: int | None = None,
    minimum: int = 0,
    maximum: int = ID_MAX,
) -> int:
    """The whole number ``data[name]`` from ``minimum`` to ``maximum``; ``default`` when it is
    missing or empty (without a default it is required)."""
    raw = data.get(name, "") or ""
    if raw == "" and default is not None:
        return default
    number = _whole_number(raw)
    if number is None or not minimum <= number <= maximum:
        raise BadParameter(
            _("“%(name)s” must be a whole number from %(minimum)s to %(maximum)s.")
            % {"name": name, "minimum": minimum, "maximum": maximum}
        )
    return number


def id_param(data: Mapping[str, str], name: str) -> int:
    """The id of a row (an authorisation, a question, a task) named in a form: required."""
    return int_param(data, name, minimum=1)


def page_param(data: Mapping[str, str], name: str = "page") -> int:
    """The page of a list to show, 1 when none is asked. A page past the last is the caller's to
    handle (show the last); one that is not a sensible whole number is refused."""
    raw = data.get(name, "") or ""
    if raw == "":
        return 1
    number = _whole_number(raw)
    if number is None or not 1 <= number <= PAGE_MAX:
        raise BadParameter(
            _("The page number must be a whole number from 1 to %(maximum)s.")
            % {"maximum": PAGE_MAX}
        )
    return number


def _range_text() -> dict[str, str]:
    return {
        "earliest": date_format(EARLIEST_DATE, "DATE_FORMAT"),
        "latest": date_format(LATEST_DATE, "DATE_FORMAT"),
    }


def date_param(
    data: Mapping[str, str], name: str, *, default: dt.date | None = None
) -> dt.date | None:
    """The date ``data[name]`` (year-month-day) within EARLIEST_DATE..LATEST_DATE, or
    ``default`` when it is missing or empty."""
    raw = data.get(name, "") or ""
    if raw == "":
        return default
    try:
        value = dt.date.fromisoformat(raw) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else None
    except ValueError:
        value = None
    if value is None or not EARLIEST_DATE <= value <= LATEST_DATE:
        raise BadParameter(
            _("“%(name)s” must be a date as year-month-day between %(earliest)s and %(latest)s.")
            % {"name": name, **_range_text()}
        )
    return value


def date_in_range(value: dt.date | dt.datetime) -> None:
    """A form field's validator: the same range as :func:`date_param`, as a field error."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s.") % _range_text(),
            code="date_out_of_range",
        )


def in_calendar(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """For API schemas (a pydantic ``AfterValidator``): ``value`` if it lies in the same range,
    a moment compared in UTC (year 9999 at -12:00 is past the end of the calendar there), else
    ValueError, which the API answers as an invalid request."""
    try:
        if isinstance(value, dt.datetime):
            day = (value.astimezone(dt.UTC) if value.tzinfo else value).date()
        else:
            day = value
    except OverflowError:
        day = None
    if day is None or not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(
            f"must be between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}"
        )
    return value
