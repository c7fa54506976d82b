"""Fields found next to their labels, in Dutch and English: the amount on the line that says
"Netto", the name after "Werkgever:", the dates of the line that says "Periode"."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from civic.documents.extraction.amounts import amounts
from civic.documents.extraction.dates import date_ranges, dates, months
from civic.documents.extraction.identifiers import Match

#: Labels of each labelled field, as regular expressions matched at word starts, case-insensitive.
LABELS = {
    "gross_amount": r"bruto|gross",
    "gross_fallback": r"basissalaris|basic salary|salaris|salary",
    "net_amount": r"netto|net\b|net pay|net wage|uitbetaald bedrag|amount paid",
    # What is owed, said in so many words: before a "Total" that may head a column.
    "amount_due": r"te betalen|amount due|to pay|incl\. btw|incl\. vat|inclusief btw|"
    r"including vat|totaal incl|total incl",
    "total_amount": r"totaal|total|te betalen|amount due|to pay|verschuldigd|incl\. btw|"
    r"incl\. vat|inclusief btw|including vat",
    "opening_balance": r"beginsaldo|openingssaldo|vorig saldo|startsaldo|opening balance|"
    r"previous balance|balance brought forward|saldo per|balance on|saldo op|saldo begin|"
    r"balance at (?:the )?start",
    "closing_balance": r"eindsaldo|nieuw saldo|closing balance|new balance|balance carried|"
    r"saldo per|balance on|saldo op|saldo eind|balance at (?:the )?end",
    "starts": r"gaat in op|ingangsdatum|ingaande|met ingang van|starts on|commences on|"
    r"start date|with effect from|per maand vanaf|per month from|(?:is )?ingegaan op|"
    r"begonnen op|started on|began on|commenced on|betaalt vanaf|pays from",
    "new_rent": r"nieuwe (?:kale )?huur|new (?:basic )?rent",
    "rent_amount": r"kale huur|huurprijs|huur\b|rent\b|monthly rent|basic rent|"
    r"(?:onder)?huurder betaalt|(?:sub)?tenant pays",
    "employer": r"werkgever|employer",
    "on_behalf": r"namens|on behalf of",
    # "van" and "from" only as a label ("Van: …"), not the word in a sentence.
    "sender": r"afzender|sender|van(?=\s*:)|from(?=\s*:)",
    # The signing doctor's title: a GP's, a company doctor's (a fitness-for-work statement),
    # a specialist's; the longer titles first, so "Bedrijfsarts X" gives "X".
    "physician": r"behandelend arts|bedrijfsarts|verzekeringsarts|huisarts|arts|"
    r"company doctor|occupational physician|physician|doctor|general practitioner|gp|"
    r"verloskundige|registered midwife|midwife",
    "dated": r"datum|date(?! of birth)",
    "landlord": r"verhuurder|landlord",
    "period": r"periode|loonperiode|period|pay period|tijdvak",
    "birth": r"geboren|geboortedatum|date of birth|born|birth date|d\.o\.b\.",
    "decision": r"besluit|beschikking|beslissing|decision",
    "death": r"overleden|overlijdensdatum|(?:datum (?:van )?)?overlijden|died|date of death|deceased",
    "not_dated": r"geboren|geboortedatum|date of birth|born|besluit|beschikking|beslissing|"
    r"decision",
    "invoice_number": r"factuurnummer|factuurnr\.?|notanummer|invoice number|invoice no\.?|"
    r"bill number|bill no\.?",
    "personal_number": r"bsn|burgerservicenummer|burgerservicenr\.?|sofinummer|"
    r"personal number|citizen service (?:number|no\.?)",
}
CLOSINGS = re.compile(
    r"met vriendelijke groet|hoogachtend|vriendelijke groeten|kind regards|yours sincerely|"
    r"yours faithfully|best regards|with regards",
    re.IGNORECASE,
)


def _label(name: str) -> re.Pattern:
    return re.compile(rf"(?<![\w])(?:{LABELS[name]})", re.IGNORECASE)


def lines_of(pages: list[str]) -> list[str]:
    return [line.strip() for page in pages for line in page.splitlines() if line.strip()]


def labelled_lines(lines: list[str], name: str, *, exclude: str | None = None) -> list[str]:
    label = _label(name)
    excluded = _label(exclude) if exclude else None
    return [
        line for line in lines if label.search(line) and not (excluded and excluded.search(line))
    ]


def first_after_label(
    lines: list[str],
    name: str,
    finder: Callable[[str], list[Match]],
    *,
    last: bool = False,
    exclude: str | None = None,
) -> str | None:
    """The first value ``finder`` gives on a line with the label (after the label when the
    line holds several), or on the next line when the label stands alone."""
    label = _label(name)
    excluded = _label(exclude) if exclude else None
    values = []
    for i, line in enumerate(lines):
        hit = label.search(line)
        if not hit or (excluded and excluded.search(line)):
            continue
        found = [m for m in finder(line) if m.start >= hit.start()] or finder(line)
        if not found and i + 1 < len(lines) and not line[hit.end() :].strip(" :.-"):
            found = finder(lines[i + 1])
        if found:
            values.append(found[0].value)
    if not values:
        return None
    return values[-1] if last else values[0]


def text_after_label(lines: list[str], name: str) -> str | None:
    """The words after a label at the start of a line ("Werkgever: Bakkerij Jansen")."""
    # The label is a whole word: "DOCTOR'S NOTE" is a title, not the doctor "'S NOTE".
    label = re.compile(rf"^\s*(?:{LABELS[name]})\b(?!['’])\s*[:.]?\s*(.+)$", re.IGNORECASE)
    for line in lines:
        match = label.match(line)
        if match and re.search(r"[A-Za-z]{2}", match.group(1)):
            return match.group(1).strip(" :.-|")
    return None


BORN_BEFORE = re.compile(rf"(?:{LABELS['birth']})\W*(?:on|op)?\s*$", re.IGNORECASE)


def dates_not_of_birth(text: str) -> list[Match]:
    """The dates of ``text`` but those right after "born (on)" or "geboren (op)"."""
    return [d for d in dates(text) if not BORN_BEFORE.search(text[max(0, d.start - 30) : d.start])]


def _amounts_or_bare(text: str) -> list[Match]:
    """The amounts of ``text`` (else its numbers with cents), but none that is a date's year
    ("Saldo op 1 juli 2025 € 500,00" is not € 2025)."""
    days = dates(text)

    def undated(found: list[Match]) -> list[Match]:
        return [m for m in found if not any(d.start < m.end and m.start < d.end for d in days)]

    return undated(amounts(text)) or undated(amounts(text, bare=True))


def amount_after(lines: list[str], name: str, **kw) -> str | None:
    """The amount after a label: with its currency, or else a number with cents."""
    return first_after_label(lines, name, _amounts_or_bare, **kw)


def period(lines: list[str]) -> dict | str | None:
    """A month ("2024-11") or a range ({"start": ..., "end": ...}) on the period line, else the
    first month named anywhere."""
    for line in labelled_lines(lines, "period"):
        found = dates(line)
        if len(found) >= 2:
            return {"start": found[0].value, "end": found[1].value}
        month = months(line)
        if month:
            return month[0].value
    ranges = date_ranges(" ".join(lines))
    if ranges:
        return {"start": ranges[0][0].value, "end": ranges[0][1].value}
    for line in lines:
        month = months(line)
        if month:
            return month[0].value
    return None


#: Short closings, taken only as a line of their own ("Groetjes,"; not "Thanks for …").
SHORT_CLOSINGS = re.compile(
    r"^\s*(?:groet\s?jes|groeten|groet|hartelijke groet(?:en)?|met groet|cheers|thanks|"
    r"many thanks|thank you|regards|warm regards|kind wishes)\s*[,.!]?\s*$",
    re.IGNORECASE,
)


def signed_by(lines: list[str]) -> str | None:
    """The name below a closing ("Met vriendelijke groet, / J. Jansen", "Groetjes, / Piet")."""
    for i, line in enumerate(lines):
        match = CLOSINGS.search(line) or SHORT_CLOSINGS.match(line)
        if not match:
            continue
        rest = line[match.end() :].strip(" ,.")
        if re.search(r"[A-Za-z]{2}", rest):
            return rest
        if i + 1 < len(lines) and re.search(r"[A-Za-z]{2}", lines[i + 1]):
            return lines[i + 1].strip(" ,.")
    return None


_PARTY = re.compile(
    r"(?:ondergetekenden|undersigned)\s*:\s*(.+?),\s*(?:hierna|hereinafter)\W{0,3}"
    r"(?:de |the )?(\w+)",
    re.IGNORECASE | re.DOTALL,
)


def party(lines: list[str], role: str) -> str | None:
    """A contract's party by its role ("X, hierna ‘verhuurder’")."""
    match = _PARTY.search(" ".join(lines))
    if match and match.group(2).lower() in role.split("|"):
        return match.group(1).strip()
    return None


#: A contract that opens with who lets: "T. van Gorp, hoofdhuurder van …, verhuurt …",
#: "J. Smith, of 12 High Street, sublets part of the dwelling to …".
_LETS = re.compile(
    r"^\s*([A-Z][^,\n]{2,60}?),[^.]{0,160}?\b(?:(?:onder)?verhuurt|(?:sub)?lets)\b",
    re.IGNORECASE,
)


def lets_first(lines: list[str]) -> str | None:
    """The party named first in a sentence whose verb is "verhuurt" or "lets": the landlord."""
    for line_start in range(min(len(lines), 12)):
        match = _LETS.match(" ".join(lines[line_start : line_start + 3]))
        # The party's name stands on the line the sentence starts on (not a title above it).
        if (
            match
            and match.end(1) <= len(lines[line_start])
            and re.search(r"[A-Za-z]{2}", match.group(1))
        ):
            return match.group(1).strip()
    return None


_MAIN_TENANT = re.compile(r"^\s*([A-Z][^,]{2,60}),\s*(?:main tenant|hoofdhuurder)\b")


def main_tenant(lines: list[str]) -> str | None:
    """A sublease's landlord: the main tenant ("M. van Doorn, main tenant of …")."""
    for line in lines:
        match = _MAIN_TENANT.match(line)
        if match:
            return match.group(1).strip()
    return None


_UNDERSIGNED = re.compile(r"(?:ondergetekende|undersigned),\s*([^,]{3,60}),", re.IGNORECASE)


def undersigned(lines: list[str]) -> str | None:
    """The person who signs a statement ("Ondergetekende, J. de Boer, huisarts, verklaart")."""
    match = _UNDERSIGNED.search(" ".join(lines))
    if not match:
        return None
    # "the undersigned, registered midwife, declares": a title, not the signer's name.
    name = match.group(1).strip()
    return name if _NAME.match(name) and not _TITLE_WORDS.search(name) else None


#: A carer's title on the line under the signer's name ("physiotherapist, BIG 99425222056"),
#: not a label before a name ("Physician Frank Henderson").
_CARER = re.compile(
    rf"^\s*(?:{LABELS['physician']}|specialist|fysiotherapeut|psycholoog|verpleegkundige|"
    r"tandarts|physiotherapist|psychologist|nurse|dentist)\s*(?:[,(–-]|$)",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"^(?:[A-Z][\w.'’-]*\.?\s+|(?:van|de|der|den|ter|ten|het|la|le)\s+){0,5}[A-Z][\w'’-]+$"
)


_TITLE_WORDS = re.compile(rf"\b(?:{LABELS['physician']}|registered)\b", re.IGNORECASE)


def above_title(lines: list[str]) -> str | None:
    """The signer of a statement: the name on the line above a carer's title."""
    for name, title in itertools.pairwise(lines):
        if _CARER.match(title) and _NAME.match(name.strip()) and len(name.split()) >= 2:
            return name.strip()
    return None


_PLACE_AND_DATE = re.compile(r"^[A-Z][\w'’. -]{1,30},\s*(.+)$")


def place_and_date(lines: list[str]) -> str | None:
    """The date of a line "Havenstad, 4 september 2026", as letters and statements are dated."""
    for line in lines:
        match = _PLACE_AND_DATE.match(line)
        if match:
            found = dates(match.group(1))
            if found and found[0].start == 0:
                return found[0].value
    return None


#: An invoice's number: a run of letters and digits, with at least one digit, that may hold
#: dashes, slashes or dots ("2026-5346", "F243", "INV/2024/0193").
_INVOICE_NUMBER = re.compile(r"(?=[\w/.-]*\d)([A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)*)(?![\w])")
#: "Factuur F243 — 2026-02-24": the title followed by the number.
_INVOICE_TITLE = re.compile(
    r"^\s*(?:factuur|invoice|nota|bill)\s+(?:nr\.?\s*|no\.?\s*)?(?=\S*\d)", re.IGNORECASE
)


def invoice_number(lines: list[str]) -> str | None:
    """The number after its label ("Factuurnummer: 2026-5346"), or after an invoice's title
    ("Invoice F243 — 24-02-2026"); a date is no invoice number."""
    label = re.compile(rf"^\s*(?:{LABELS['invoice_number']})\s*[:.]?\s*", re.IGNORECASE)
    for pattern in (label, _INVOICE_TITLE):
        for line in lines:
            match = pattern.match(line)
            if not match:
                continue
            rest = line[match.end() :]
            # OCR may leave a speck before the number ("Factuurnr. DP INV2024787420").
            rest = re.sub(r"^[A-Za-z]{1,2}\W+(?=[A-Za-z]*\d)", "", rest)
            number = _INVOICE_NUMBER.match(rest)
            if number and not dates(rest[: number.end()]):
                return number.group(1).rstrip(".")
    return None


#: A form's section for a party ("A. VERHUURDER", "B. Tenant:") and its "Naam"/"Name" row.
_SECTION = r"^\s*(?:[A-Z0-9]{1,2}[.)]\s*)?(?:%s)\s*:?\s*$"
_NAME_ROW = re.compile(r"^\s*(?:naam|name)\s*:?\s+(.*[A-Za-z]{2}.*)$", re.IGNORECASE)


def section_name(lines: list[str], name: str) -> str | None:
    """The name in a form's section for a party: "A. LANDLORD" over "Name Q-Park Verhuur"."""
    heading = re.compile(_SECTION % LABELS[name], re.IGNORECASE)
    for i, line in enumerate(lines):
        if heading.match(line):
            for row in lines[i + 1 : i + 3]:
                match = _NAME_ROW.match(row)
                if match:
                    return match.group(1).strip(" :.-|")
    return None
