"""Field extraction per document type: ``extract_fields(document_type, pages) -> dict``.

``pages`` are the pages' texts (OCR output or a text layer). Each value is validated before it
is kept: personal numbers by their mod-11 check, IBANs by mod-97 and their country's format,
dates by the calendar, amounts by their notation; a value that fails is left out, never
guessed. Values are strings (ISO dates, "1234.56" amounts, compact IBANs); a period is a month
("2024-11") or a range ``{"start": ..., "end": ...}``.

The type codes are the classifier's (``models.DocumentType``). An unknown type, or none, gets
every extractor's fields that are found (``GENERAL``), so the pipeline extracts before the
classifier says what the document is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from civic.documents.extraction import labels as lb
from civic.documents.extraction.amounts import amounts
from civic.documents.extraction.dates import date_ranges, dates
from civic.documents.extraction.identifiers import (
    Match,
    case_references,
    ibans,
    personal_numbers,
)
from civic.documents.extraction.statements import statement_balances

Lines = list[str]

#: Words that open a payslip rather than name the employer.
_TITLES = re.compile(
    r"^(payslip|pay slip|loonstrook|salarisspecificatie|salary specification|payroll|"
    r"loonspecificatie|pay statement|factuur|invoice|rekeningafschrift|bank statement|"
    r"bezwaarschrift|objection|(?:onder)?huurovereenkomst|huurcontract|tenancy agreement|"
    r"(?:sub)?lease agreement|rental agreement|(?:bus)?lijn \d+|(?:bus )?line \d+)\b",
    re.IGNORECASE,
)


def _first(found: list) -> str | None:
    return found[0].value if found else None


def _all_text(lines: Lines) -> str:
    return "\n".join(lines)


def personal_number(lines: Lines) -> str | None:
    labelled = lb.first_after_label(lines, "personal_number", personal_numbers)
    return labelled or _first(personal_numbers(_all_text(lines)))


def iban(lines: Lines) -> str | None:
    return _first(ibans(_all_text(lines)))


def case_reference(lines: Lines) -> str | None:
    return _first(case_references(_all_text(lines)))


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
    text = _all_text(lines)
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


def _company_line(lines: Lines) -> str | None:
    for line in lines[:4]:
        if _TITLES.match(line) or not re.search(r"[A-Za-z]{3}", line):
            continue
        name = re.split(r"\s[—–-]\s", line)[0].strip()
        if len(name.split()) > 6:  # a sentence of the letter, not a letterhead's name
            return None
        # A letterhead in capitals is a name in ordinary case ("KAPSALON KNIP"), but an
        # acronym stays one ("ABN AMRO").
        words = name.split()
        return name.title() if name.isupper() and max(map(len, words)) >= 6 else name
    return None


def employer(lines: Lines) -> str | None:
    return (
        lb.text_after_label(lines, "employer")
        or lb.text_after_label(lines, "on_behalf")
        or _company_line(lines)
    )


#: An e-mail's sender is "Name <address>": the name is the sender, the address is not.
_ADDRESS = re.compile(r"\s*(?:[<(\[][^<>()\[\]]*@[^<>()\[\]]*[>)\]]?|\S+\s?@\s?\S+)\s*$")


def _labelled_sender(lines: Lines) -> str | None:
    labelled = lb.text_after_label(lines, "sender")
    if labelled:
        name = _ADDRESS.sub("", labelled).strip(" ,;:")
        return name if re.search(r"[A-Za-z]{2}", name) else labelled
    return None


def sender(lines: Lines) -> str | None:
    """After "Van:", else the letterhead; a letter that opens with whom it is to ("To the
    Mayor and Aldermen of Den Haag") has none, and its sender signs under the closing."""
    return _labelled_sender(lines) or _company_line(lines) or lb.signed_by(lines)


#: How a sender can be reached: a Dutch postcode, a phone number, an e-mail or web address.
_CONTACT = re.compile(
    r"\b\d{4}\s?[A-Z]{2}\b|(?:\+31|\b0)[\d()\s-]{8,}\d|\S+\s?@\s?\S+\.\w{2,}|\bwww\.|"
    r"\b[\w-]+\.(?:nl|com|org|eu)\b"
)


#: A heading that names an organisation by its kind or legal form.
_ORGANISATION = re.compile(
    r"(?:club|vereniging|association|society|koor|choir|orkest|orchestra|stichting|foundation|"
    r"gemeente|municipality|"
    r"school)\b|\b(?:b\.?v\.?|n\.?v\.?|v\.o\.f\.|ltd|inc)(?!\w)",
    re.IGNORECASE,
)


def any_page_sender(lines: Lines) -> str | None:
    """A page of no known kind (a flyer, a recipe, minutes) has a sender when a line says so,
    or when its heading names an organisation or the page says how to reach it: a recipe's
    title is no sender."""
    labelled = _labelled_sender(lines)
    if labelled:
        return labelled
    heading = _company_line(lines)
    if heading and (_ORGANISATION.search(heading) or any(_CONTACT.search(line) for line in lines)):
        return heading
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
    ranges = date_ranges(_all_text(lines))
    return ranges[0][0].value if ranges else None


def signatory(lines: Lines) -> str | None:
    """Who signed: after "Van:", or under the closing. Not the first line: an objection is
    written on a form or a court's page whose heading is the body's, not the signer's."""
    return _labelled_sender(lines) or lb.signed_by(lines)


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
    text = _all_text(lines)
    found = [m for m in amounts(text) if not _RATE.match(text, m.end)]
    return max(found, key=lambda m: float(m.value)).value if found else None


def _period_dates(lines: Lines, which: int) -> str | None:
    value = lb.period(lines)
    return value["start" if which == 0 else "end"] if isinstance(value, dict) else None


EXTRACTORS: dict[str, Callable[[Lines], object]] = {
    "personal_number": personal_number,
    "iban": iban,
    "case_reference": case_reference,
    "date": letter_date,
    "birth_date": birth_date,
    "death_date": death_date,
    "employer": employer,
    "sender": sender,
    "signatory": signatory,
    "physician": lambda lines: (
        lb.undersigned(lines)
        or lb.above_title(lines)
        or lb.text_after_label(lines, "physician")
        or _company_line(lines)
    ),
    "any_page_sender": any_page_sender,
    "period": lb.period,
    "start_date": lambda lines: _period_dates(lines, 0),
    "end_date": lambda lines: _period_dates(lines, 1),
    "gross_amount": gross_amount,
    "net_amount": net_amount,
    "total_amount": total_amount,
    "opening_balance": lambda lines: (
        lb.amount_after(lines, "opening_balance") or statement_balances(lines)[0]
    ),
    "closing_balance": lambda lines: (
        lb.amount_after(lines, "closing_balance", last=True) or statement_balances(lines)[1]
    ),
    "rent_amount": rent_amount,
    "landlord": lambda lines: (
        lb.party(lines, "verhuurder|landlord")
        or lb.section_name(lines, "landlord")
        or lb.text_after_label(lines, "landlord")
        or lb.lets_first(lines)
        or lb.main_tenant(lines)
        or _company_line(lines)
    ),
    "tenancy_start": tenancy_start,
    "invoice_number": lb.invoice_number,
}

#: The fields each type of document gives (the classifier's type codes).
FIELDS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "payslip": ("employer", "period", "gross_amount", "net_amount", "personal_number", "iban"),
    "invoice": ("sender", "total_amount", "iban", "date", "invoice_number"),
    # A statement's first line is its holder, not its sender: the bank is not extracted.
    "bank-statement": ("iban", "start_date", "end_date", "opening_balance", "closing_balance"),
    "objection": ("case_reference", "date", "signatory", "personal_number"),
    "letter": ("sender", "date", "case_reference", "personal_number"),
    "medical-certificate": ("physician", "date", "birth_date", "start_date", "end_date"),
    "identity-document": ("personal_number", "birth_date"),
    "tenancy-agreement": ("landlord", "rent_amount", "tenancy_start", "iban"),
    "civil-record": ("personal_number", "birth_date", "death_date"),
    "other": ("any_page_sender", "date"),
}  # fmt: skip
#: Extractors that give a field under another name: a letter's signatory is its sender, a
#: tenancy's start is its start date.
RENAMED = {
    "signatory": "sender",
    "physician": "sender",
    "any_page_sender": "sender",
    "tenancy_start": "start_date",
}
#: For a document of no known type: whatever is found of the checked, type-free fields.
GENERAL = ("personal_number", "iban", "case_reference", "date", "birth_date", "total_amount")


def extract_fields(document_type: str | None, pages: Sequence[str]) -> dict:
    """The fields of ``document_type`` found in ``pages`` (name → value); fields not found
    are left out."""
    return fields_named(FIELDS_BY_TYPE.get(document_type or "", GENERAL), pages)


def stored_field_names(document_type: str) -> list[str]:
    """The fields a document of this type has, under the names they are stored by."""
    return [RENAMED.get(name, name) for name in FIELDS_BY_TYPE.get(document_type, ())]


#: What routing looks for in every document, whatever its type: whom and which case it is about.
ROUTING_KEYS = ("personal_number", "case_reference")


def fields_named(names: Sequence[str], pages: Sequence[str]) -> dict:
    """The fields ``names`` found in ``pages`` (name → value), each checked."""
    lines = lb.lines_of(list(pages))
    fields = {}
    for name in names:
        value = EXTRACTORS[name](lines)
        if value:
            fields[RENAMED.get(name, name)] = value
    return fields


__all__ = [
    "EXTRACTORS",
    "FIELDS_BY_TYPE",
    "GENERAL",
    "RENAMED",
    "ROUTING_KEYS",
    "extract_fields",
    "fields_named",
    "stored_field_names",
]
