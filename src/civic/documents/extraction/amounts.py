"""Amounts of money in Dutch ("€ 1.234,56", "€ 25,-") and English ("EUR 1,234.56") notation.

The decimal separator is the last comma or dot followed by exactly two digits (or a dash);
any other separators must group thousands by three, so "1.23.4" is no amount. Values are
plain decimal strings with two decimals ("1234.56"); a minus sign is kept.
"""

from __future__ import annotations

import re
from decimal import Decimal

from civic.documents.extraction.identifiers import Match

_NUMBER = r"-?\s?\d{1,3}(?:[.,\s]\d{3})*(?:[.,](?:\d{2}|-{1,2}))?|-?\s?\d+(?:[.,](?:\d{2}|-{1,2}))?"
_CURRENCY = r"(?:€|EUR|eur|Eur)"
_AMOUNT = re.compile(
    # An amount must end where its notation ends: "€ 4,lO2.56" (OCR noise) is no "€ 4".
    rf"{_CURRENCY}\s?(?P<before>{_NUMBER})(?![\w]|[.,]\w)"
    # A sign before a number is that number's ("23 € 134,18": 23 days at € 134,18, not € 23).
    rf"|(?<![\w.,])(?P<after>{_NUMBER})\s?{_CURRENCY}(?!\s?-?\s?\d)"
)


def amount_parse(raw: str) -> Decimal | None:
    text = raw.replace(" ", "").replace("\u00a0", "")
    negative = text.startswith("-")
    text = text.lstrip("-")
    text = re.sub(r"[.,]-+$", "", text)
    decimals = "00"
    tail = re.search(r"[.,](\d{2})$", text)
    if tail:
        decimals = tail.group(1)
        text = text[: tail.start()]
    groups = re.split(r"[.,]", text)
    if any(not g.isdigit() for g in groups):
        return None
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    value = Decimal(f"{''.join(groups)}.{decimals}")
    return -value if negative else value


#: After a label ("Totaal 2.542,80") an amount may go without its currency, if it has cents.
_BARE = re.compile(
    r"(?<![\w.,])(?P<before>-?\d{1,3}(?:[.,]\d{3})*[.,]\d{2}|-?\d+[.,]\d{2})(?![\w]|[.,]\w)"
)


def amounts(text: str, *, bare: bool = False) -> list[Match]:
    """Every amount with a currency sign or code in ``text``, in order; with ``bare`` also
    numbers with cents and no currency."""
    found = []
    for match in (_BARE if bare else _AMOUNT).finditer(text):
        raw = match.group("before") or match.group("after") if not bare else match.group()
        value = amount_parse(raw)
        if value is not None:
            found.append(Match(f"{value:.2f}", match.start(), match.end(), match.group()))
    return found
