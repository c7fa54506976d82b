"""A bank statement's balances read from its tables, where no line says "Beginsaldo".

- **Running balance.** A transaction export lists, a row a transaction, its date, the amount
  and the balance after it ("20250914;Albert Heijn;-297.59;3313.65"). A row is a line that
  starts with a date and ends with two numbers with cents. The rows check one another, as a
  check digit checks a number: each balance must be the one before it plus the row's amount.
  The closing balance is the last row's balance and the opening balance the first row's
  balance minus its amount, each taken only when the row agrees with its neighbour; with
  amounts that carry no sign (separate debit and credit columns) only the closing balance is
  taken, as the first row's direction is not known.
- **Balances under their dates.** An annual statement puts the balance at the start and at the
  end of the year in two columns headed by those days ("1 januari  31 december"); a row with
  two amounts under such a heading gives the opening and the closing balance.
"""

from __future__ import annotations

import re
from decimal import Decimal

from civic.documents.extraction.amounts import amounts

#: A row starts with a date: "20250914", "14-09", "14-09-2025", "2025-09-14".
_ROW_DATE = re.compile(
    r"^\s*(?:(?:19|20)\d{6}|\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?|\d{4}-\d{2}-\d{2})\b"
)
#: The row's last two numbers with cents, the second ending the line, with a space or a
#: separator between them (OCR may read a ";" as ":", "/", "|" or "i").
_TWO_NUMBERS = re.compile(
    r"(?<![\d.,])(-?\d{1,3}(?:[.,]\d{3})*[.,]\d{2}|-?\d+[.,]\d{2})(?:\s?[;:/|i];?\s?|\s)"
    r"(?:€\s?)?(-?\d{1,3}(?:[.,]\d{3})*[.,]\d{2}|-?\d+[.,]\d{2})\s*$"
)
_CENT = Decimal("0.01")


def _number(raw: str) -> Decimal | None:
    found = amounts(raw, bare=True)
    return Decimal(found[0].value) if len(found) == 1 else None


_CENTS = re.compile(r"\d[.,]\d{2}")


def _rows(lines: list[str]) -> list[tuple[Decimal, Decimal, bool, int]]:
    """(amount, balance, signed, line number) of each transaction row, in order."""
    rows = []
    for number, line in enumerate(lines):
        if not _ROW_DATE.match(line):
            continue
        match = _TWO_NUMBERS.search(line.replace("€ ", "€"))
        if not match:
            continue
        amount, balance = _number(match.group(1)), _number(match.group(2))
        if amount is None or balance is None:
            continue
        signed = match.group(1).startswith("-") or "€" not in line
        rows.append((amount, balance, signed, number))
    return rows


def _follows(before: tuple, after: tuple) -> bool:
    """Whether ``after``'s balance is ``before``'s plus ``after``'s amount (either way round
    when the amount carries no sign)."""
    amount, balance, signed, _ = after
    if signed:
        return (before[1] + amount).quantize(_CENT) == balance
    return balance in {(before[1] + amount).quantize(_CENT), (before[1] - amount).quantize(_CENT)}


def running_balances(lines: list[str]) -> tuple[str | None, str | None]:
    """(opening, closing) from a table with a running balance; each None unless its row is
    confirmed by the row next to it."""
    rows = _rows(lines)
    if len(rows) < 2:
        return None, None

    def clear(number: int) -> bool:
        # The table's first (last) row: the line before (after) it is no row OCR garbled.
        return not (0 <= number < len(lines)) or not _CENTS.search(lines[number])

    opening = closing = None
    first, second = rows[0], rows[1]
    if (
        second[3] == first[3] + 1
        and clear(first[3] - 1)
        and first[2]
        and second[2]
        and _follows(first, second)
    ):
        opening = f"{first[1] - first[0]:.2f}"
    before, last = rows[-2], rows[-1]
    if last[3] == before[3] + 1 and clear(last[3] + 1) and _follows(before, last):
        closing = f"{last[1]:.2f}"
    return opening, closing


#: A day and a month's name; any ending after the month's first letters, as OCR drops or
#: changes one ("1 Januar").
_DAY_MONTH = re.compile(
    r"\b\d{1,2}\s+(?:jan|feb|maa|mar|apr|mei|may|jun|jul|aug|sep|okt|oct|nov|dec)[a-z]*\b",
    re.IGNORECASE,
)


def dated_columns(lines: list[str]) -> tuple[str | None, str | None]:
    """(opening, closing) from a row of two amounts under a heading of two days."""
    for i, line in enumerate(lines):
        if len(_DAY_MONTH.findall(line)) != 2:
            continue
        for row in lines[i + 1 : i + 4]:
            found = amounts(row)
            if len(found) == 2:
                return found[0].value, found[1].value
    return None, None


def statement_balances(lines: list[str]) -> tuple[str | None, str | None]:
    opening, closing = running_balances(lines)
    if opening is None and closing is None:
        return dated_columns(lines)
    return opening, closing
