"""What personal data looks like whoever it belongs to: personal numbers and IBANs (valid
check digits only, as field extraction finds them), e-mail addresses, Dutch and international
phone numbers, and dates said to be a date of birth."""

from __future__ import annotations

import re
from dataclasses import dataclass

from civic.documents.extraction.dates import dates
from civic.documents.extraction.identifiers import ibans, personal_numbers
from civic.documents.extraction.labels import LABELS


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    text: str


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w])")
_SEP = r"[\s.\-/]?"
# International: +CC or 00CC, an optional "(0)", then 7 to 12 more digits in groups.
_PHONE_INTERNATIONAL = re.compile(
    rf"(?<![\w+])(?:\+|00)[1-9]\d{{0,2}}{_SEP}(?:\(0\){_SEP})?\d(?:{_SEP}\d){{6,11}}(?![\w])"
)
# Dutch: ten digits starting with a single 0 (06-12345678, 020 123 4567, (010) 123 45 67).
_PHONE_DUTCH = re.compile(r"(?<![\w+])\(?0[1-9](?:\)?[\s.\-/]?\d){8}(?![\w])")
_BIRTH = re.compile(rf"(?<![\w])(?:{LABELS['birth']})", re.IGNORECASE)
#: How far after a birth label its date may stand ("geboren op 12 maart 1980").
BIRTH_REACH = 40


def pattern_spans(text: str) -> list[Span]:
    spans = [Span("personal-number", m.start, m.end, m.text) for m in personal_numbers(text)]
    spans += [Span("iban", m.start, m.end, m.text) for m in ibans(text)]
    spans += [Span("email", m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)]
    found_dates = dates(text)
    # A date followed by a number ("01-03-2024 12") has the ten digits of a phone number.
    # (Overlaps with other kinds are settled by length in ``personal_data_find``.)
    taken = [Span("date", d.start, d.end, d.text) for d in found_dates]
    for pattern in (_PHONE_INTERNATIONAL, _PHONE_DUTCH):
        for m in pattern.finditer(text):
            if any(s.start < m.end() and m.start() < s.end for s in taken):
                continue
            spans.append(Span("phone", m.start(), m.end(), m.group()))
            taken.append(spans[-1])
    for label in _BIRTH.finditer(text):
        after = [d for d in found_dates if 0 <= d.start - label.end() <= BIRTH_REACH]
        if after:
            spans.append(Span("date-of-birth", after[0].start, after[0].end, after[0].text))
    return spans
