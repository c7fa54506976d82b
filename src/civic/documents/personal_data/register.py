"""Names, address and date of birth of the person a document concerns, as the registers hold
them, found in the text even when OCR has changed a letter or two.

A name is found in the forms letters use: all given names and the surname, the first given
name and the surname, initials and the surname ("J.P. van den Berg"), the surname after a
title ("mevrouw De Vries", "Mr Smith") or before a comma and the given names. A surname alone
is not enough: "Jansen" on a payslip may be anyone. Text is compared with the records by
rapidfuzz's ratio over windows of as many words as the form has.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from civic.documents.extraction.dates import dates
from civic.documents.personal_data.patterns import Span

#: Similarity (0–100) from which a window of text is the register's name or street.
MIN_SIMILARITY = 88
TITLES = ("mevrouw", "mevr.", "de heer", "dhr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr.")


@dataclass(frozen=True)
class PersonRecord:
    """What the registers hold of the person a document concerns."""

    given_names: str = ""
    surname: str = ""  # with its prefix: "van den Berg"
    street: str = ""  # with the house number: "Kerkstraat 12"
    postcode: str = ""  # "1234 AB"
    city: str = ""
    birth_date: dt.date | None = None
    relatives: tuple[str, ...] = field(default_factory=tuple)  # full names


def name_forms(given_names: str, surname: str) -> list[str]:
    given = given_names.split()
    if not surname:
        return []
    forms = []
    if given:
        forms += [f"{given_names} {surname}", f"{given[0]} {surname}", f"{surname}, {given_names}"]
        initials = "".join(f"{g[0]}." for g in given)
        forms += [f"{initials} {surname}", f"{given[0][0]}. {surname}"]
    forms += [f"{title} {surname}" for title in TITLES]
    # Longest first: "Anna Maria de Vries" before "Anna de Vries"; forms of the same length in
    # the order above (not a set's, which changes with the hash seed and with it the findings).
    return sorted(dict.fromkeys(forms), key=lambda f: -len(f.split()))


_TOKEN = re.compile(r"\S+")


def _windows(text: str, size: int):
    tokens = list(_TOKEN.finditer(text))
    for i in range(len(tokens) - size + 1):
        start, end = tokens[i].start(), tokens[i + size - 1].end()
        yield start, end, text[start:end]


def _fuzzy_spans(text: str, forms: list[str], kind: str) -> list[Span]:
    spans: list[Span] = []
    for form in forms:
        size = len(form.split())
        for start, end, window in _windows(text, size):
            trimmed = window.rstrip(",.;:")
            if fuzz.ratio(trimmed.lower(), form.lower()) < MIN_SIMILARITY:
                continue
            if any(s.start < end and start < s.end for s in spans):
                continue
            spans.append(Span(kind, start, start + len(trimmed), trimmed))
    return spans


def register_spans(text: str, person: PersonRecord) -> list[Span]:
    spans = _fuzzy_spans(text, name_forms(person.given_names, person.surname), "name")
    for relative in person.relatives:
        given, _, surname = relative.rpartition(" ")
        spans += _fuzzy_spans(text, name_forms(given, surname), "relative-name")
    if person.street:
        spans += _fuzzy_spans(text, [person.street], "address")
    if person.postcode:
        compact = person.postcode.replace(" ", "")
        pattern = re.compile(rf"(?<![\w]){compact[:4]}\s?{compact[4:]}(?![\w])", re.IGNORECASE)
        spans += [Span("address", m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    if person.birth_date:
        wanted = person.birth_date.isoformat()
        spans += [Span("date-of-birth", d.start, d.end, d.text) for d in dates(text)
                  if d.value == wanted]  # fmt: skip
    return spans
