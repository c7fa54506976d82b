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

from collections.abc import Callable, Sequence

from civic.documents.extraction import document_amounts, document_dates, parties
from civic.documents.extraction import labels as lb
from civic.documents.extraction.identifiers import case_references, ibans, personal_numbers
from civic.documents.extraction.statements import statement_balances

Lines = list[str]


def _first(found: list) -> str | None:
    return found[0].value if found else None


def personal_number(lines: Lines) -> str | None:
    labelled = lb.first_after_label(lines, "personal_number", personal_numbers)
    return labelled or _first(personal_numbers("\n".join(lines)))


def iban(lines: Lines) -> str | None:
    return _first(ibans("\n".join(lines)))


def case_reference(lines: Lines) -> str | None:
    return _first(case_references("\n".join(lines)))


EXTRACTORS: dict[str, Callable[[Lines], object]] = {
    "personal_number": personal_number,
    "iban": iban,
    "case_reference": case_reference,
    "date": document_dates.letter_date,
    "birth_date": document_dates.birth_date,
    "death_date": document_dates.death_date,
    "employer": parties.employer,
    "sender": parties.sender,
    "signatory": parties.signatory,
    "physician": parties.physician,
    "any_page_sender": parties.any_page_sender,
    "period": lb.period,
    "start_date": lambda lines: document_dates.period_date(lines, 0),
    "end_date": lambda lines: document_dates.period_date(lines, 1),
    "gross_amount": document_amounts.gross_amount,
    "net_amount": document_amounts.net_amount,
    "total_amount": document_amounts.total_amount,
    "opening_balance": lambda lines: (
        lb.amount_after(lines, "opening_balance") or statement_balances(lines)[0]
    ),
    "closing_balance": lambda lines: (
        lb.amount_after(lines, "closing_balance", last=True) or statement_balances(lines)[1]
    ),
    "rent_amount": document_amounts.rent_amount,
    "landlord": parties.landlord,
    "tenancy_start": document_dates.tenancy_start,
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
