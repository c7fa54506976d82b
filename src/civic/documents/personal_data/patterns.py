"""What personal data looks like whoever it belongs to: personal numbers and IBANs (valid
check digits only, as field extraction finds them), e-mail addresses, Dutch and international
phone numbers, and dates said to be a date of birth."""

from __future__ import annotations

import re
from dataclasses import dataclass

from civic.documents.extraction.contact import EMAIL, PHONE_DUTCH, PHONE_INTERNATIONAL
from civic.documents.extraction.dates import dates
from civic.documents.extraction.identifiers import ibans, personal_numbers
from civic.documents.extraction.labels import LABELS


@dataclass(frozen=True)
class Span:
    kind: str
    start: int
    end: int
    text: str


_BIRTH = re.compile(rf"(?<![\w])(?:{LABELS['birth']})", re.IGNORECASE)
#: How far after a birth label its date may stand ("geboren op 12 maart 1980").
BIRTH_REACH = 40


def pattern_spans(text: str) -> list[Span]:
    spans = [Span("personal-number", m.start, m.end, m.text) for m in personal_numbers(text)]
    spans += [Span("iban", m.start, m.end, m.text) for m in ibans(text)]
    spans += [Span("email", m.start(), m.end(), m.group()) for m in EMAIL.finditer(text)]
    found_dates = dates(text)
    # A date followed by a number ("01-03-2024 12") has the ten digits of a phone number.
    # (Overlaps with other kinds are settled by length in ``personal_data_find``.)
    taken = [Span("date", d.start, d.end, d.text) for d in found_dates]
    for pattern in (PHONE_INTERNATIONAL, PHONE_DUTCH):
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
