"""The amounts a document is about: a rent (the new one when a letter raises it), a
payslip's gross and net, an invoice's total (what is owed, else the largest amount that is not
a rate)."""

from __future__ import annotations

import re

from civic.documents.extraction import labels as lb
from civic.documents.extraction.amounts import amounts

Lines = list[str]


#: A new rent beside the current one: "Nu  Per 1 juli 2026" over "Kale huur € 853,28 € 895,94".
#: The heading may have lost its "Nu" to OCR: "Per 1 juli 2026" heads the new column still.
_NOW_AND_NEW = re.compile(
    r"\b(?:nu|now|huidig|current|oud|old)\b.*\b(?:per|from|vanaf|nieuw|new|m\.i\.v\.)\b|"
    r"^\W*(?:per|from|vanaf|m\.i\.v\.|met ingang van)\s+\d{1,2}\s+[a-z]+\s+\d{4}\s*$",
    re.I,
)


def rent_amount(lines: Lines) -> str | None:
    """The rent: a new one when the page says so ("Nieuwe huur", or the second column of a
    rent row under "Nu | Per 1 juli"), else the one after "Kale huur" or "Rent"."""
    new = lb.amount_after(lines, "new_rent")
    if new:
        return new
    for i, line in enumerate(lines):
        if not _NOW_AND_NEW.search(line) or amounts(line):
            continue
        for row in lines[i + 1 : i + 3]:
            found = amounts(row)
            if len(found) == 2 and lb.labelled_lines([row], "rent_amount"):
                return found[1].value
    return lb.amount_after(lines, "rent_amount")


#: A row of units, a rate and what they come to: "Bruto WW-uitkering 23 € 134,18 € 3.086,14".
_UNITS_BEFORE = re.compile(r"\b\d{1,3}(?:[.,]\d)?\s*$")


def _row_total(lines: Lines, label: str) -> str | None:
    """The last amount of a labelled row that counts units at a rate (days × a day's pay)."""
    for line in lb.labelled_lines(lines, label):
        found = amounts(line)
        if len(found) >= 2 and _UNITS_BEFORE.search(line[: found[0].start]):
            return found[-1].value
    return None


def gross_amount(lines: Lines) -> str | None:
    return (
        _row_total(lines, "gross_amount")
        or lb.amount_after(lines, "gross_amount")
        or lb.amount_after(lines, "gross_fallback")
    )


def net_amount(lines: Lines) -> str | None:
    return lb.amount_after(lines, "net_amount")


_RATE = re.compile(r"\s*(?:per|/|a|an|each|p\.)\s*\w", re.IGNORECASE)


def total_amount(lines: Lines) -> str | None:
    labelled = lb.amount_after(lines, "amount_due", last=True) or lb.amount_after(
        lines, "total_amount", last=True, exclude="gross_amount"
    )
    if labelled:
        return labelled
    # The largest amount, but not a rate ("70 hours at € 69.37 per hour").
    text = "\n".join(lines)
    found = [m for m in amounts(text) if not _RATE.match(text, m.end)]
    return max(found, key=lambda m: float(m.value)).value if found else None
