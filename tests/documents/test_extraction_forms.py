"""Identity cards, benefit specifications, pregnancy statements, deeds of recognition, garage
leases and timetables: what such pages say, in Dutch and English."""

from civic.documents.extraction import extract_fields
from civic.documents.extraction.amounts import amounts
from civic.documents.extraction.dates import dates


def test_a_month_named_in_two_languages_as_on_an_identity_card():
    assert [d.value for d in dates("Geboortedatum: 04 MEI/MAY 1960")] == ["1960-05-04"]
    assert [d.value for d in dates("Date of birth: 11 APR/APR 1954")] == ["1954-04-11"]
    # Two different months are no date.
    assert dates("Date of birth: 11 APR/MAY 1954") == []


def test_a_currency_sign_before_a_number_is_that_numbers():
    assert [a.value for a in amounts("23 € 134,18 € 3.086,14")] == ["134.18", "3086.14"]
    assert [a.value for a in amounts("Totaal 25 €")] == ["25.00"]


def test_a_benefits_gross_is_what_the_days_come_to():
    page = "Bruto WW-uitkering 23 € 134,18 € 3.086,14\nNetto uitkering € 2.730,32"
    assert extract_fields("payslip", [page])["gross_amount"] == "3086.14"
    # Without a count of days the first amount of the row stays the gross.
    page = "Bruto loon € 3.086,14 € 250,00\nNetto € 2.730,32"
    assert extract_fields("payslip", [page])["gross_amount"] == "3086.14"


def test_a_midwife_signs_under_her_title_not_as_the_undersigned():
    page = (
        "Pregnancy statement\n|, the undersigned, registered midwife, declare that the woman"
        " named above is pregnant.\nMidwife Louise Hammond\nBIG register 47258752783"
    )
    assert extract_fields("medical-certificate", [page])["sender"] == "Louise Hammond"
    page = "Ondergetekende, J. de Boer, huisarts, verklaart dat"
    assert extract_fields("medical-certificate", [page])["sender"] == "J. de Boer"


def test_a_deed_gives_the_birth_of_the_person_it_numbers():
    page = (
        "1. Op 08-07-2025 verscheen voor mij: Tygo Sprong, geboren op 05-08-1978 te Arnhem.\n"
        "2. Hij verklaarde te erkennen als zijn kind: Kyra Langevoort, geboren op 17-10-2024 te\n"
        "Utrecht, burgerservicenummer 304971704, kind van Jason Moenen."
    )
    assert extract_fields("civil-record", [page])["birth_date"] == "2024-10-17"
    # A number in another sentence says nothing about whose birth it is: the first one stays.
    page = (
        "Jake Ernst, born on 20-10-1995 in Tilburg. Zara Kamp, born on 2018-02-12 in Havenstad."
        "\nThe registrar. Personal number 868300056"
    )
    assert extract_fields("civil-record", [page])["birth_date"] == "1995-10-20"


def test_a_lease_forms_landlord_section_gives_its_name():
    page = (
        "Huurovereenkomst garagebox\nA. VERHUURDER\nNaam Woonstichting De Haven\n"
        "B. HUURDER\nNaam Merel van der Heijden\nverhuurder … ………. huurder nen."
    )
    assert extract_fields("tenancy-agreement", [page])["landlord"] == "Woonstichting De Haven"
    # The tenant's section is not the landlord's.
    page = "Huurovereenkomst garagebox\nB. HUURDER\nNaam Merel van der Heijden"
    assert extract_fields("tenancy-agreement", [page]).get("landlord") != "Merel van der Heijden"


def test_a_bus_lines_heading_is_no_sender():
    page = (
        "Line 193 Leiden, Station — Groningen, Centrum\n"
        "Qbuzz - Monday to Friday - valid from 25-05-2025\n"
        "Travel information: 0900-9292 or 9292.nl"
    )
    assert extract_fields("other", [page]).get("sender") == "Qbuzz"
    page = "Lijn 152 Leiden, Station — Den Haag, Centrum\n05:56 06:11 06:26\n9292.nl"
    assert "sender" not in extract_fields("other", [page])


def test_a_letter_to_the_municipality_is_sent_by_its_signer():
    page = (
        "To the Mayor and Aldermen of Den Haag\nDen Haag, 09-02-2024\nDear Mayor and Aldermen,\n"
        "For months I have suffered from noise.\nYours faithfully,\nThomas Wever\nNoutdreef 234"
    )
    assert extract_fields("letter", [page])["sender"] == "Thomas Wever"
    # A letterhead stays the sender, whoever signs for it.
    page = "Bakkerij Jansen\nGeachte heer,\nMet vriendelijke groet,\nPiet Jansen"
    assert extract_fields("letter", [page])["sender"] == "Bakkerij Jansen"
