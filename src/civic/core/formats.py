"""One way to write a date, a moment, a number and an amount in each language, from the locale.

Pages, PDFs, messages and e-mails all write them through these functions (templates through
the ``date`` filter and :mod:`civic.core.templatetags.civic_i18n`), in the active language: the
formats are in :mod:`civic.core.locale_formats` (Django's FORMAT_MODULE_PATH), the euro sign's
place in the translations ("€10,350" in English, "€ 10.350" in Dutch).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?$")


def _date_value(value: Any) -> dt.date | dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        if not _ISO.match(value):
            return None
        try:
            return (
                dt.date.fromisoformat(value)
                if len(value) == 10
                else dt.datetime.fromisoformat(value)
            )
        except ValueError:
            return None
    return value if isinstance(value, dt.date) else None


def date_text(value: Any) -> str:
    """A date (or the local date of a moment, or an ISO string) as "8 February 1969" /
    "8 februari 1969"; "" for nothing, the value itself as text when it is no date."""
    when = _date_value(value)
    if when is None:
        return "" if value in (None, "") else str(value)
    if isinstance(when, dt.datetime):
        when = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    return formats.date_format(when, "DATE_FORMAT")


def moment_text(value: Any) -> str:
    """A moment in local time, as "4 December 2026, 06:28" / "4 december 2026 06:28"."""
    when = _date_value(value)
    if when is None:
        return "" if value in (None, "") else str(value)
    if not isinstance(when, dt.datetime):
        return date_text(when)
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    return formats.date_format(when, "DATETIME_FORMAT")


def number_text(value: Any, decimals: int | None = None) -> str:
    """A number grouped in thousands as the language writes it: 10,350.5 / 10.350,5."""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def money_text(value: Any, *, cents: bool | None = None) -> str:
    """Euros: "€10,350" / "€ 10.350"; with cents ("€125.50" / "€ 125,50") when ``cents`` is
    true, or when it is None and the amount has any."""
    amount = decimal.Decimal(str(value)).quantize(decimal.Decimal("0.01"))
    if cents is None:
        cents = amount % 1 != 0
    if cents:
        text = number_text(amount, 2)
    else:
        text = number_text(amount.quantize(decimal.Decimal("1"), rounding=decimal.ROUND_HALF_UP), 0)
    # Translators: where the euro sign goes and whether a space follows it.
    return _("€%(amount)s") % {"amount": text}
