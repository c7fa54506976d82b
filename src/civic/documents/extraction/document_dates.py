"""The dates a document is about: when it was written, a birth, a death, the start of a
tenancy, and the start and end of a period. A date said to start or end something is not the
document's date; a birth date is the one of the person the record gives the number of."""

from __future__ import annotations

import re

from civic.documents.extraction import labels as lb
from civic.documents.extraction.dates import date_ranges, dates
from civic.documents.extraction.identifiers import Match, personal_numbers

Lines = list[str]


#: A date said to be when something starts or ends ("Vanaf 2 februari open", "until 1 May").
_FROM_OR_UNTIL = re.compile(
    r"\b(?:vanaf|per|met ingang van|tot|t/m|from|as of|until|till|by|before|vóór)\s*$",
    re.IGNORECASE,
)


def letter_date(lines: Lines) -> str | None:
    """The date after "Datum:", or of a "Place, date" line; else the first date not said to be
    a birth or a decision's date, nor the start or end of a period ("from … until …", "vanaf
    2 februari": what the document is about, not when it was written)."""
    dated = lb.first_after_label(lines, "dated", dates, exclude="not_dated") or lb.place_and_date(
        lines
    )
    if dated:
        return dated
    text = "\n".join(lines)
    in_period = {d.start for pair in date_ranges(text) for d in pair}
    at = 0
    for line in lines:
        start, at = at, at + len(line) + 1
        if lb.labelled_lines([line], "birth") or lb.labelled_lines([line], "decision"):
            continue
        found = [
            d
            for d in dates(line)
            if start + d.start not in in_period and not _FROM_OR_UNTIL.search(line[: d.start])
        ]
        if found:
            return found[0].value
    return None


#: The EU driving licence's numbered fields: 3. is the date (and place) of birth. OCR reads the
#: number's dot as "e", "," or ":" now and then.
_LICENCE = re.compile(r"rijbewijs|driving licen[cs]e|permis de conduire|f[üu]hrerschein", re.I)
_LICENCE_BIRTH = re.compile(r"^\s*3\s*[.,:e]?\s+(?=\d)")


def _birth_of_the_numbered(lines: Lines) -> str | None:
    """When a record says several people were born (a father and the child he recognises), the
    birth of the one whose personal number it gives: in the same sentence, the nearest."""
    text = " ".join(lines)
    numbers = personal_numbers(text)
    born = [d for d in dates(text) if lb.BORN_BEFORE.search(text[max(0, d.start - 30) : d.start])]
    if not numbers or len(born) < 2:
        return None

    def between(d: Match) -> str:
        return text[min(d.end, numbers[0].start) : max(d.start, numbers[0].end)]

    near = [d for d in born if len(between(d)) <= 120 and not re.search(r"[.;]\s", between(d))]
    return min(near, key=lambda d: len(between(d))).value if near else None


def birth_date(lines: Lines) -> str | None:
    labelled = _birth_of_the_numbered(lines) or lb.first_after_label(lines, "birth", dates)
    if labelled or not any(_LICENCE.search(line) for line in lines):
        return labelled
    for line in lines:
        if _LICENCE_BIRTH.match(line):
            found = dates(line)
            if found:
                return found[0].value
    return None


def death_date(lines: Lines) -> str | None:
    """The date after "overleden" or "died", but not one said to be the birth ("died …,
    born on 1996-09-30")."""
    return lb.first_after_label(lines, "death", lb.dates_not_of_birth)


def tenancy_start(lines: Lines) -> str | None:
    """The date the tenancy starts on, by its label, else the start of its term ("for a
    fixed term from 1 March 2019 to 29 February 2020")."""
    labelled = lb.first_after_label(lines, "starts", dates)
    if labelled:
        return labelled
    ranges = date_ranges("\n".join(lines))
    return ranges[0][0].value if ranges else None


def period_date(lines: Lines, which: int) -> str | None:
    value = lb.period(lines)
    return value["start" if which == 0 else "end"] if isinstance(value, dict) else None
