"""Names, address and date of birth of the person a document concerns, as the registers hold
them, found in the text even when OCR has changed a letter or two.

A name is found in the forms letters use: all given names and the surname, the first given
name and the surname, initials and the surname ("J.P. van den Berg"), the surname after a
title ("mevrouw De Vries", "Mr Smith") or before a comma and the given names. A surname alone
is not enough: "Jansen" on a payslip may be anyone. Text is compared with the records by
rapidfuzz's ratio over windows of as many words as the form has.

Identity documents and civil-status extracts split the name: the surname on one line and the
given names on another, each after its label ("Surname / Naam de Jong", "Voornamen Dion"), and
the machine-readable zone spells it once more ("P<NLDDE<JONG<<DION<<<"). Both parts are the
person's name when each ends its own line and they stand within a few lines of each other; the
machine-readable zone is matched in its own spelling (ICAO 9303: capitals, "<" for a space,
"<<" between surname and given names).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from civic.documents.extraction.dates import dates
from civic.documents.personal_data.patterns import Span

#: Similarity (0–100) from which a window of text is the register's name or street.
MIN_SIMILARITY = 88
#: How many lines apart a surname and given names standing each on a line of their own may be.
SPLIT_NAME_REACH = 3
TITLES = ("mevrouw", "mevr.", "de heer", "dhr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr.")


@dataclass(frozen=True)
class PersonRecord:
    """What the registers hold of the person a document concerns."""

    given_names: str = ""
    surname: str = ""  # with its prefix: "van den Berg"
    street: str = ""  # with the house number: "Kerkstraat 12"
    postcode: str = ""  # "1234 AB"
    city: str = ""
    birth_date: dt.date | None = None
    relatives: tuple[str, ...] = field(default_factory=tuple)  # full names


def name_forms(given_names: str, surname: str) -> list[str]:
    given = given_names.split()
    if not surname:
        return []
    forms = []
    if given:
        forms += [f"{given_names} {surname}", f"{given[0]} {surname}", f"{surname}, {given_names}"]
        initials = "".join(f"{g[0]}." for g in given)
        forms += [f"{initials} {surname}", f"{given[0][0]}. {surname}"]
    forms += [f"{title} {surname}" for title in TITLES]
    # Longest first: "Anna Maria de Vries" before "Anna de Vries"; forms of the same length in
    # the order above (not a set's, which changes with the hash seed and with it the findings).
    return sorted(dict.fromkeys(forms), key=lambda f: -len(f.split()))


_TOKEN = re.compile(r"\S+")
_INITIALS = re.compile(r"^(?:\w\.)+ ")


def _folded(text: str) -> str:
    """Lower case without accents: OCR reads "Chloë" as "Chloé" or "Chloe" as often as not."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _windows(text: str, size: int):
    tokens = list(_TOKEN.finditer(text))
    for i in range(len(tokens) - size + 1):
        start, end = tokens[i].start(), tokens[i + size - 1].end()
        yield start, end, text[start:end]


def _fuzzy_spans(text: str, forms: list[str], kind: str) -> list[Span]:
    spans: list[Span] = []
    for form in forms:
        size = len(form.split())
        for start, end, window in _windows(text, size):
            trimmed = window.rstrip(",.;:")
            if fuzz.ratio(_folded(trimmed), _folded(form)) < MIN_SIMILARITY:
                continue
            if _INITIALS.match(form) and trimmed[:1].lower() != form[:1].lower():
                continue  # an initial is one letter: "1. Perkins" is a field's number, not L.
            if any(s.start < end and start < s.end for s in spans):
                continue
            spans.append(Span(kind, start, start + len(trimmed), trimmed))
    return spans


def _line_ending_spans(text: str, part: str) -> list[tuple[int, Span]]:
    """``part`` of a name (fuzzily) as the last words of a line: (line number, span)."""
    found = []
    size = len(part.split())
    offset = 0
    for number, line in enumerate(text.split("\n")):
        tokens = list(_TOKEN.finditer(line))
        if len(tokens) >= size:
            start, end = tokens[-size].start(), tokens[-1].end()
            window = line[start:end].rstrip(",.;:")
            if fuzz.ratio(_folded(window), _folded(part)) >= MIN_SIMILARITY:
                found.append(
                    (number, Span("name", offset + start, offset + start + len(window), window))
                )
        offset += len(line) + 1
    return found


def _split_name_spans(text: str, given_names: str, surname: str) -> list[Span]:
    """The surname and the given names each ending a line of their own, near each other."""
    if not (given_names and surname):
        return []
    surnames = _line_ending_spans(text, surname)
    given = _line_ending_spans(text, given_names) or _line_ending_spans(
        text, given_names.split()[0]
    )
    spans = []
    for line, span in surnames:
        near = [g for g_line, g in given if 0 < abs(g_line - line) <= SPLIT_NAME_REACH]
        if near:
            spans += [span, *near]
    return list({(s.start, s.end): s for s in spans}.values())


def mrz_name(given_names: str, surname: str) -> str:
    """The name as the machine-readable zone spells it: "DE<JONG<<DION"."""

    def spelt(part: str) -> str:
        return re.sub(r"[^A-Z]+", "<", _folded(part).upper()).strip("<")

    return f"{spelt(surname)}<<{spelt(given_names)}"


_MRZ_LINE = re.compile(r"^.*<<.*$", re.MULTILINE)


def _mrz_spans(text: str, given_names: str, surname: str) -> list[Span]:
    if not surname:
        return []
    wanted = mrz_name(given_names, surname)
    spans = []
    for line in _MRZ_LINE.finditer(text):
        compact = line.group().upper()
        alignment = fuzz.partial_ratio_alignment(wanted, compact)
        if alignment is None or alignment.score < MIN_SIMILARITY:
            continue
        start, end = line.start() + alignment.dest_start, line.start() + alignment.dest_end
        spans.append(Span("name", start, end, text[start:end]))
    return spans


def register_spans(text: str, person: PersonRecord) -> list[Span]:
    spans = _fuzzy_spans(text, name_forms(person.given_names, person.surname), "name")
    spans += _split_name_spans(text, person.given_names, person.surname)
    spans += _mrz_spans(text, person.given_names, person.surname)
    for relative in person.relatives:
        given, _, surname = relative.rpartition(" ")
        spans += _fuzzy_spans(text, name_forms(given, surname), "relative-name")
    if person.street:
        spans += _fuzzy_spans(text, [person.street], "address")
    if person.postcode:
        compact = person.postcode.replace(" ", "")
        pattern = re.compile(rf"(?<![\w]){compact[:4]}\s?{compact[4:]}(?![\w])", re.IGNORECASE)
        spans += [Span("address", m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    if person.birth_date:
        wanted = person.birth_date.isoformat()
        spans += [Span("date-of-birth", d.start, d.end, d.text) for d in dates(text)
                  if d.value == wanted]  # fmt: skip
    return spans
