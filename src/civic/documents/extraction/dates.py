"""Dates in Dutch and English: numeric (day first, as both languages write them here, or ISO),
and with month names or their abbreviations in either language. Every date is checked against
the calendar (no 31 April) and a plausible span of years; values are ISO 8601 strings."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from civic.documents.extraction.identifiers import Match
from civic.documents.extraction.noise import DIGITISH, as_digits

MONTHS = {
    # Dutch
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dec": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "mar": 3, "oct": 10,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
YEAR_MIN, YEAR_MAX = 1900, 2100

_D = DIGITISH
_NUMERIC = re.compile(
    rf"(?<![\w.,/-])({_D}{{1,2}})\s?([-/. ])\s?({_D}{{1,2}})\s?\2\s?({_D}{{4}})(?![\w/-]|[.,]\d)"
)
_ISO = re.compile(r"(?<![\w.-])(\d{4})-(\d{2})-(\d{2})(?![\w-])")
#: A month may be named in two languages, as identity cards do ("11 APR/APR 1954", "MEI/MAY").
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w])({_D}{{1,2}})(?:e|st|nd|rd|th)?\s+({_MONTH_NAMES})\.?"
    rf"(?:\s?/\s?({_MONTH_NAMES})\.?)?,?\s+({_D}{{4}})(?![\w])",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![\w])({_MONTH_NAMES})\.?\s+({_D}{{1,2}})(?:st|nd|rd|th)?,?\s+({_D}{{4}})(?![\w])",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"(?<![\w])({_MONTH_NAMES})\.?\s+({_D}{{4}})(?![\w])", re.IGNORECASE)
_YEAR_MONTH = re.compile(r"(?<![\w.-])(\d{4})-(\d{2})(?![\w-])")


def _date(year: str, month: int | str, day: str) -> dt.date | None:
    year_digits, day_digits = as_digits(year), as_digits(day)
    month_digits = month if isinstance(month, int) else as_digits(month)
    if not (year_digits and day_digits and month_digits):
        return None
    try:
        value = dt.date(int(year_digits), int(month_digits), int(day_digits))
    except ValueError:
        return None
    return value if YEAR_MIN <= value.year <= YEAR_MAX else None


def dates(text: str) -> list[Match]:
    """Every valid date in ``text`` in the order it appears, as ISO strings."""
    found: list[Match] = []

    def add(match: re.Match, value: dt.date | None) -> None:
        if value and not any(m.start < match.end() and match.start() < m.end for m in found):
            found.append(Match(value.isoformat(), match.start(), match.end(), match.group()))

    for match in _ISO.finditer(text):
        add(match, _date(match.group(1), match.group(2), match.group(3)))
    for match in _NUMERIC.finditer(text):
        add(match, _date(match.group(4), match.group(3), match.group(1)))
    for match in _DAY_MONTH_YEAR.finditer(text):
        month, other = (MONTHS.get((m or "").lower()) for m in match.group(2, 3))
        if other in (None, month):  # the two languages must name the same month
            add(match, _date(match.group(4), month, match.group(1)))
    for match in _MONTH_DAY_YEAR.finditer(text):
        add(match, _date(match.group(3), MONTHS[match.group(1).lower()], match.group(2)))
    return sorted(found, key=lambda m: m.start)


def months(text: str) -> list[Match]:
    """Months given without a day ("november 2024", "2024-11"), as "YYYY-MM"."""
    found = []
    for match in _MONTH_YEAR.finditer(text):
        year = as_digits(match.group(2))
        if year and YEAR_MIN <= int(year) <= YEAR_MAX:
            value = f"{year}-{MONTHS[match.group(1).lower()]:02d}"
            found.append(Match(value, match.start(), match.end(), match.group()))
    for match in _YEAR_MONTH.finditer(text):
        year, month = int(match.group(1)), int(match.group(2))
        if YEAR_MIN <= year <= YEAR_MAX and 1 <= month <= 12:
            found.append(Match(f"{year}-{month:02d}", match.start(), match.end(), match.group()))
    return sorted(found, key=lambda m: m.start)


_RANGE_WORDS = re.compile(
    r"^\s*(?:t/m|tot en met|tot|until|till|to|through|-|–|—)\s*$", re.IGNORECASE
)


def date_ranges(text: str) -> list[tuple[Match, Match]]:
    """Pairs of dates joined by "tot (en met)", "t/m", "until", "to" or a dash (any of three)."""
    found = dates(text)
    return [
        (a, b)
        for a, b in itertools.pairwise(found)
        if _RANGE_WORDS.match(text[a.end : b.start]) and a.value <= b.value
    ]
