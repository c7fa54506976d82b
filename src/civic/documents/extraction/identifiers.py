"""Identifiers with a check: personal numbers (mod-11 "elfproef", through core.numbers), IBANs
(mod-97 and each country's format, through python-stdnum) and Civic's case references (a
valid date and six hexadecimal digits)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from stdnum import iban as stdnum_iban

from civic.core.numbers import personal_number_is_valid
from civic.documents.extraction.noise import (
    DIGIT_LOOKALIKES,
    DIGITISH,
    as_digits,
    as_letters,
    real_digits,
)


@dataclass(frozen=True)
class Match:
    """A value found in a page's text: the clean value and the span of the text it came from."""

    value: str
    start: int
    end: int
    text: str


# Nine digit-like characters with at most one space, dot or dash between any two, not inside a
# longer run of letters or digits ("NL91ABNA0417164300" holds nine digits that are no BSN). A
# "|" or "!" set apart from the digits at either end is a table's rule or a mark, not a 1: read
# as one, "| 14409420" passed the elfproef on a scanned identity card whose number is another.
_PERSONAL_NUMBER = re.compile(
    rf"(?<!\w)(?<!\d[.,-])(?![|!][ .\-]){DIGITISH}(?:[ .\-]?{DIGITISH}){{8}}"
    rf"(?<![ .\-][|!])(?!\w|[.,-]\d|-\w)"
)
#: A personal number must be mostly real digits: "lollOlIlO" is a word, not a number.
MIN_REAL_DIGITS = 7


def personal_numbers(text: str) -> list[Match]:
    """Every valid personal number in ``text``, in order; look-alikes repaired, check digit
    required."""
    found = []
    for match in _PERSONAL_NUMBER.finditer(text):
        raw = match.group()
        if real_digits(raw) < MIN_REAL_DIGITS:
            continue
        digits = as_digits(raw)
        if digits and len(digits) == 9 and personal_number_is_valid(digits):
            found.append(Match(digits, match.start(), match.end(), raw))
    return found


# Two letters, two digit-likes, then 10 to 30 letters or digits, in groups split by single
# spaces (a space may also fall inside a group, as OCR splits them, even between the check
# digits: "NL1 1INGB…").
_IBAN = re.compile(
    rf"(?<![A-Za-z0-9])[A-Za-z]{{2}}{DIGITISH} ?{DIGITISH}(?: ?[A-Za-z0-9|!]){{10,30}}"
)
IBAN_MIN, IBAN_MAX = 15, 34


def _iban_variants(compact: str) -> list[str]:
    country = as_letters(compact[:2])
    check = as_digits(compact[2:4]) or compact[2:4]
    bban = compact[4:].upper()
    # Keep a leading run of up to four letters (a bank code: NL's ABNA, GB's NWBK) and read
    # the rest as digits; also try the BBAN as it came (France, Italy mix letters in).
    letters = re.match(r"[A-Z0-9]{0,4}", bban).group()
    head = as_letters(letters) if len(letters) == 4 and not letters.isdigit() else letters
    tail = "".join(DIGIT_LOOKALIKES.get(ch, ch) for ch in compact[4 + len(letters) :])
    return [country + check + head + tail.upper(), country + check + bban]


def _iban_valid(candidate: str) -> bool:
    try:
        stdnum_iban.validate(candidate)
    except Exception:  # stdnum raises ValidationError subclasses; nothing else matters here
        return False
    return True


def ibans(text: str) -> list[Match]:
    """Every valid IBAN in ``text`` (compact, upper case): the longest prefix of each candidate
    that passes mod-97 and the country's format."""
    found = []
    position = 0
    while (match := _IBAN.search(text, position)) is not None:
        # A candidate may run on into the next words; what follows the IBAN it holds is
        # searched again (two IBANs on one line).
        position = match.start() + 1
        raw = match.group()
        compact = re.sub(r"\s", "", raw)
        for length in range(min(len(compact), IBAN_MAX), IBAN_MIN - 1, -1):
            hit = next((v for v in _iban_variants(compact[:length]) if _iban_valid(v)), None)
            if hit:
                end = _raw_end(raw, length) + match.start()
                found.append(Match(hit, match.start(), end, text[match.start() : end]))
                position = end
                break
    found += _dutch_ibans_missing_a_letter(text, found)
    return sorted(found, key=lambda m: m.start)


# A Dutch IBAN whose "NL" lost a letter at the edge of a stamp or a column ("L46BUNQ…"): the
# bank code and the ten digits are all there, and mod-97 tells whether it is an IBAN at all.
_HEADLESS_NL = re.compile(r"(?<![A-Za-z0-9])[NL](\d{2} ?[A-Z]{4}(?: ?\d){10})(?![A-Za-z0-9])")


def _dutch_ibans_missing_a_letter(text: str, found: list[Match]) -> list[Match]:
    repaired = []
    for match in _HEADLESS_NL.finditer(text):
        if any(m.start < match.end() and match.start() < m.end for m in found):
            continue
        candidate = "NL" + re.sub(r"\s", "", match.group(1))
        if _iban_valid(candidate):
            repaired.append(Match(candidate, match.start(), match.end(), match.group()))
    return repaired


def _raw_end(raw: str, length: int) -> int:
    """Where, in ``raw``, its first ``length`` characters other than spaces end."""
    taken = 0
    for i, ch in enumerate(raw):
        taken += not ch.isspace()
        if taken == length:
            return i + 1
    return len(raw)


# Civic's references: "261204-A1B2C3" (a case), "261204-A1B2C3-B" (its objection) and
# "AP-261204-A1B2C3" (a submitted application); see cases.services and forms.services.
_CIVIC_REFERENCE = re.compile(
    rf"(?<![\w-])((?:AP-)?)({DIGITISH}{{6}})-([0-9A-FOoIl]{{6}})((?:-B)?)(?![\w])"
)
#: Another body's reference after a label ("Uw kenmerk: KB-2024-393945").
_LABELLED_REFERENCE = re.compile(
    r"(?i:kenmerk|referentie|reference|ref\.|zaaknummer|dossiernummer|case number|case no\.?)"
    r"\s*[:.]?\s*([A-Z]{1,4}[- ]?\d{2,4}[- ]?[A-Z0-9]{3,8})(?![\w])"
)


#: Other bodies' references shaped letters-year-number ("KB-2024-393945", "Z-2023-929633").
_YEAR_REFERENCE = re.compile(r"(?<![\w-])([A-Z]{1,4}-(?:19|20)\d{2}-\d{4,8})(?![\w-])")


def case_references(text: str) -> list[Match]:
    """Civic's case references (date part checked), then references given after a label."""
    found = []
    for match in _CIVIC_REFERENCE.finditer(text):
        prefix, day, code, suffix = match.groups()
        day_digits = as_digits(day)
        if not day_digits or len(day_digits) != 6:
            continue
        try:
            dt.date(2000 + int(day_digits[:2]), int(day_digits[2:4]), int(day_digits[4:]))
        except ValueError:
            continue
        code = code.upper().replace("O", "0").replace("I", "1").replace("L", "1")
        value = f"{prefix}{day_digits}-{code}{suffix}"
        found.append(Match(value, match.start(), match.end(), match.group()))
    for match in [*_LABELLED_REFERENCE.finditer(text), *_YEAR_REFERENCE.finditer(text)]:
        if not any(m.start <= match.start(1) < m.end for m in found):
            value = match.group(1).replace(" ", "-")
            found.append(Match(value, match.start(1), match.end(1), match.group(1)))
    return found
