"""Personal-data detection (issue 17, item 5): the patterns, and the register records of the
person the document concerns (their name is found, a stranger's is not taken for theirs)."""

from __future__ import annotations

import datetime as dt

from civic.documents.personal_data import PersonRecord, personal_data_find
from civic.documents.personal_data.boxes import boxes_of

ANNA = PersonRecord(
    given_names="Anna Maria",
    surname="de Vries",
    street="Kerkstraat 12",
    postcode="1234 AB",
    city="Havenstad",
    birth_date=dt.date(1980, 3, 12),
    relatives=("Piet de Vries",),
)

LETTER = """Anna Maria de Vrles
Kerkstraat l2, 1234AB Havenstad
Geboren op 12 maart 1980. BSN 1234 56 782
IBAN NL91 ABNA 0417 1643 00, mail anna.devries@example.nl, tel 06-12345678
Mijn man Piet de Vries en onze buurman Jan Jansen helpen mij.
Met vriendelijke groet, A.M. de Vries"""


def kinds(findings):
    return [(f.kind, f.text) for f in findings]


def test_the_persons_register_records_and_the_patterns_are_found():
    assert kinds(personal_data_find([LETTER], person=ANNA)) == [
        ("name", "Anna Maria de Vrles"),  # OCR's l for an i: still her name
        ("address", "Kerkstraat l2"),
        ("address", "1234AB"),
        ("date-of-birth", "12 maart 1980"),
        ("personal-number", "1234 56 782"),
        ("iban", "NL91 ABNA 0417 1643 00"),
        ("email", "anna.devries@example.nl"),
        ("phone", "06-12345678"),
        ("relative-name", "Piet de Vries"),
        ("name", "A.M. de Vries"),
    ]


def test_an_unrelated_name_is_not_taken_for_the_persons():
    texts = [f.text for f in personal_data_find([LETTER], person=ANNA)]
    assert not any("Jansen" in text for text in texts)
    other = PersonRecord(given_names="Jan", surname="Jansen")
    found = kinds(personal_data_find(["Anna de Vries schrijft aan Jan Jansen."], person=other))
    assert found == [("name", "Jan Jansen")]
    # A surname alone may be anyone's: not flagged.
    assert personal_data_find(["De familie Jansen woont hier."], person=other) == []


IDENTITY_COPY = """Kopie paspoort ter identificatie
Naam / Surname de Vries
Voornamen / Given names Anna Maria
Geboortedatum 12 03 1980
1. Lid van de familie Jansen
P<NLDDE<VRIES<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<<<
NX1234567<4NLD8003125F3012311<<<<<<<<<<<<<<00"""


def test_a_name_split_over_labelled_lines_and_the_machine_readable_zone_is_found():
    # A redacted identity copy must black out every part: the surname and the given names on
    # their own lines, and the machine-readable zone's spelling (OCR read an I as a 1 in it).
    assert [f.text for f in personal_data_find([IDENTITY_COPY], person=ANNA) if f.kind == "name"] == [
        "de Vries", "Anna Maria", "DE<VRIES<<ANNA<MAR1A",
    ]  # fmt: skip
    # Apart, a surname ending a line is anyone's; so is a given name.
    assert (
        personal_data_find(["Naam / Surname de Vries\nTotaal 12,00\nTe betalen"], person=ANNA) == []
    )
    assert personal_data_find(["Voornamen Anna Maria\n\n\n\n\nNaam de Vries"], person=ANNA) == []


def test_an_initial_is_one_letter_and_accents_are_what_ocr_makes_of_them():
    chloe = PersonRecord(given_names="Chloë", surname="Vertoor")
    # "1." is a field's number on a driving licence, not her initial C.
    found = personal_data_find(["1. Vertoor\n2. Chloé\n3. 27.11.1960"], person=chloe)
    assert [f.text for f in found] == ["Vertoor", "Chloé"]
    lucy = PersonRecord(given_names="Lucy", surname="Perkins")
    assert [f.text for f in personal_data_find(["L. Perkins, 1. Perkins"], person=lucy)] == [
        "L. Perkins"
    ]


def test_without_register_records_only_the_patterns_run():
    found = kinds(personal_data_find([LETTER]))
    assert ("name", "Anna Maria de Vrles") not in found
    assert ("personal-number", "1234 56 782") in found
    assert ("date-of-birth", "12 maart 1980") in found  # said to be a birth date


def test_phone_numbers_dutch_and_international_and_what_is_not_one():
    text = "Bel 020-1234567, 06 1234 5678, +31 (0)20 123 4567 of +44 20 7946 0958; " \
        "niet 12-03-2024, niet 01-03-2024 12 en niet BSN 123456782"  # fmt: skip
    phones = [f.text for f in personal_data_find([text]) if f.kind == "phone"]
    assert phones == ["020-1234567", "06 1234 5678", "+31 (0)20 123 4567", "+44 20 7946 0958"]


def test_invalid_numbers_are_not_reported_as_personal_data():
    assert personal_data_find(["BSN 123456789, IBAN NL91ABNA0417164301"]) == []


def test_findings_are_numbered_by_page_and_placed_on_the_words():
    words = [["BSN:", 10, 10, 50, 30], ["1234", 60, 10, 100, 30], ["56", 110, 10, 130, 30],
             ["782", 140, 10, 180, 30], ["thanks", 200, 10, 260, 30]]  # fmt: skip
    findings = personal_data_find(["Hello", "BSN: 1234 56 782 thanks"], words=[[], words])
    assert [(f.kind, f.page, f.boxes) for f in findings] == [
        ("personal-number", 2, [[60, 10, 100, 30], [110, 10, 130, 30], [140, 10, 180, 30]])
    ]
    # A number read as one word with its label: that word's box.
    assert boxes_of("123456782", [["BSN:123456782", 5, 5, 90, 20]]) == [[5, 5, 90, 20]]
