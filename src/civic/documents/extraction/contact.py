"""How a person or an organisation can be reached, as it is written on a page: e-mail
addresses, Dutch and international phone numbers, Dutch postcodes and web addresses.

Shared by personal-data detection (an e-mail address or a phone number is personal data) and by
field extraction (a page that says how to reach its heading's organisation has a sender).
"""

from __future__ import annotations

import re

from civic.documents.extraction.dates import dates

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w])")
_SEPARATOR = r"[\s.\-/]?"
#: International: +CC or 00CC, an optional "(0)", then 7 to 12 more digits in groups.
PHONE_INTERNATIONAL = re.compile(
    rf"(?<![\w+])(?:\+|00)[1-9]\d{{0,2}}{_SEPARATOR}(?:\(0\){_SEPARATOR})?"
    rf"\d(?:{_SEPARATOR}\d){{6,11}}(?![\w])"
)
#: Dutch: ten digits starting with a single 0 (06-12345678, 020 123 4567, (010) 123 45 67).
PHONE_DUTCH = re.compile(r"(?<![\w+])\(?0[1-9](?:\)?[\s.\-/]?\d){8}(?![\w])")
POSTCODE_DUTCH = re.compile(r"\b\d{4}\s?[A-Z]{2}\b")
WEB_ADDRESS = re.compile(r"\bwww\.|\b[\w-]+\.(?:nl|com|org|eu)\b")
#: OCR often reads "info@club.nl" as "info @ club.nl".
_SPACED_AT = re.compile(r"\s?@\s?")


def says_how_to_reach(line: str) -> bool:
    """Whether ``line`` holds a postcode, a phone number, an e-mail or a web address. A date
    with a time ("01-02-2025 20:00") has a phone number's ten digits: dates are read first."""
    for found in dates(line):
        line = line[: found.start] + " " * (found.end - found.start) + line[found.end :]
    return any(
        pattern.search(text)
        for text in (line, _SPACED_AT.sub("@", line))
        for pattern in (POSTCODE_DUTCH, PHONE_DUTCH, PHONE_INTERNATIONAL, EMAIL, WEB_ADDRESS)
    )
