"""Who a document is from or names as a party: an employer, a sender, a signatory, a
physician, a landlord. Each from a label when there is one, else from where such a name stands
(a letterhead, under the closing, above a carer's title)."""

from __future__ import annotations

import re

from civic.documents.extraction import labels as lb
from civic.documents.extraction.contact import says_how_to_reach

Lines = list[str]

#: Words that open a payslip rather than name the employer.
_TITLES = re.compile(
    r"^(payslip|pay slip|loonstrook|salarisspecificatie|salary specification|payroll|"
    r"loonspecificatie|pay statement|factuur|invoice|rekeningafschrift|bank statement|"
    r"bezwaarschrift|objection|(?:onder)?huurovereenkomst|huurcontract|tenancy agreement|"
    r"(?:sub)?lease agreement|rental agreement|(?:bus)?lijn \d+|(?:bus )?line \d+)\b",
    re.IGNORECASE,
)


def company_line(lines: Lines) -> str | None:
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
        or company_line(lines)
    )


#: An e-mail's sender is "Name <address>": the name is the sender, the address is not.
_ADDRESS = re.compile(r"\s*(?:[<(\[][^<>()\[\]]*@[^<>()\[\]]*[>)\]]?|\S+\s?@\s?\S+)\s*$")


def labelled_sender(lines: Lines) -> str | None:
    labelled = lb.text_after_label(lines, "sender")
    if labelled:
        name = _ADDRESS.sub("", labelled).strip(" ,;:")
        return name if re.search(r"[A-Za-z]{2}", name) else labelled
    return None


def sender(lines: Lines) -> str | None:
    """After "Van:", else the letterhead; a letter that opens with whom it is to ("To the
    Mayor and Aldermen of Den Haag") has none, and its sender signs under the closing."""
    return labelled_sender(lines) or company_line(lines) or lb.signed_by(lines)


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
    labelled = labelled_sender(lines)
    if labelled:
        return labelled
    heading = company_line(lines)
    if heading and (_ORGANISATION.search(heading) or any(map(says_how_to_reach, lines))):
        return heading
    return None


def signatory(lines: Lines) -> str | None:
    """Who signed: after "Van:", or under the closing. Not the first line: an objection is
    written on a form or a court's page whose heading is the body's, not the signer's."""
    return labelled_sender(lines) or lb.signed_by(lines)


def physician(lines: Lines) -> str | None:
    """Who signed the statement: "undersigned", above a carer's title, after its label, or the
    practice's letterhead."""
    return (
        lb.undersigned(lines)
        or lb.above_title(lines)
        or lb.text_after_label(lines, "physician")
        or company_line(lines)
    )


def landlord(lines: Lines) -> str | None:
    """The party that lets: named as such, the section about it, the one who "lets" first, the
    main tenant of a sublease, or the letterhead of a rent letter."""
    return (
        lb.party(lines, "verhuurder|landlord")
        or lb.section_name(lines, "landlord")
        or lb.text_after_label(lines, "landlord")
        or lb.lets_first(lines)
        or lb.main_tenant(lines)
        or company_line(lines)
    )
