"""Personal data in a document's pages: what the patterns find (personal numbers, IBANs, e-mail
addresses, phone numbers, dates of birth) and what matches the register records of the person
the document concerns (their names, address, date of birth, relatives' names).

``personal_data_find(pages, person=None)`` takes the pages' texts and, when known, their word
boxes; ``person`` is a plain :class:`PersonRecord`, so the detector needs no database (routing
reads the record through the exchange and passes it in). Without a record only the patterns
run. Each :class:`Finding` has a kind, the text as it stands on the page, the page number, and
the boxes (pixels of the stored page image) of the words it covers, for redaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from civic.documents.personal_data.boxes import Word, boxes_of
from civic.documents.personal_data.patterns import pattern_spans
from civic.documents.personal_data.register import PersonRecord, register_spans

KINDS = (
    "personal-number",
    "iban",
    "email",
    "phone",
    "date-of-birth",
    "name",
    "relative-name",
    "address",
)


@dataclass
class Finding:
    kind: str
    text: str
    page: int
    boxes: list[list[int]] = field(default_factory=list)

    def as_report(self) -> dict:
        return {"kind": self.kind, "text": self.text, "page": self.page}

    def as_stored(self) -> dict:
        return {**self.as_report(), "boxes": self.boxes}


def personal_data_find(
    pages: Sequence[str],
    *,
    words: Sequence[Sequence[Word]] | None = None,
    person: PersonRecord | None = None,
) -> list[Finding]:
    """Every finding on every page, in page order and, within a page, in text order. Where two
    findings overlap the longer one stays (an address's postcode is not reported twice)."""
    findings: list[Finding] = []
    for number, text in enumerate(pages, start=1):
        spans = pattern_spans(text) + (register_spans(text, person) if person else [])
        spans.sort(key=lambda s: (s.start, -(s.end - s.start)))
        kept = []
        for span in spans:
            if kept and span.start < kept[-1].end:
                if span.end - span.start > kept[-1].end - kept[-1].start:
                    kept[-1] = span
                continue
            kept.append(span)
        page_words = words[number - 1] if words and number <= len(words) else []
        for span in kept:
            findings.append(Finding(span.kind, span.text, number, boxes_of(span.text, page_words)))
    return findings


def personal_data_blacked_out(text: str, *, keep: frozenset[str] = frozenset({"date"})) -> str:
    """``text`` with every personal number, IBAN, e-mail address and phone number found in it
    (the kinds in ``keep`` aside: a date in free text is rarely a birth date) replaced by
    "[…]": for free text that is kept without knowing whose it is (residents' feedback)."""
    spans = sorted(
        (s for s in pattern_spans(text) if s.kind not in keep),
        key=lambda s: (s.start, -(s.end - s.start)),
    )
    out, at = [], 0
    for span in spans:
        if span.start < at:  # inside one already blacked out
            continue
        out += [text[at : span.start], "[…]"]
        at = span.end
    return "".join(out) + text[at:]


__all__ = [
    "KINDS",
    "Finding",
    "PersonRecord",
    "Word",
    "personal_data_blacked_out",
    "personal_data_find",
]
