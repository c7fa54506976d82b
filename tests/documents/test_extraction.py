"""Field extraction (issue 17, item 4): each validator keeps what its check accepts and leaves
out what it does not, in Dutch and English and through OCR's usual noise."""

from __future__ import annotations

import pytest

from civic.documents.extraction import FIELDS_BY_TYPE, extract_fields
from civic.documents.extraction.amounts import amounts
from civic.documents.extraction.dates import dates, months
from civic.documents.extraction.identifiers import case_references, ibans, personal_numbers


def values(matches):
    return [m.value for m in matches]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BSN 123456782", ["123456782"]),
        ("Burgerservicenummer: 1234.56.782", ["123456782"]),
        ("personal number 1234 56 782.", ["123456782"]),
        ("BSN l23456782", ["123456782"]),  # OCR read the 1 as an l
        ("nr.123456782.Next", ["123456782"]),  # OCR lost the spaces
        ("1.123456782", []),  # inside a longer number
        ("123456782,50", []),
        ("BSN 12345678O", []),  # the O repaired gives 123456780: wrong check digit
        ("BSN 123456789", []),  # fails the elfproef
        ("BSN 12345678", []),  # eight digits
        ("BSN 1234567823", []),  # ten digits: part of something longer
        ("NL91ABNA0417164300", []),  # the account's digits are no personal number
        # A table's rule beside eight digits is no 1: read as one, it passed the elfproef
        # on a scanned identity card whose number was another (144014294).
        ("Personal no. | 14409420 |", []),
        ("BSN | 123456782 |", ["123456782"]),  # ruled on both sides, the number stands
        ("BSN |23456782", ["123456782"]),  # a 1 read as "|" within the number is still one
    ],
)
def test_personal_numbers_only_with_a_valid_check_digit(text, expected):
    assert values(personal_numbers(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IBAN NL91 ABNA 0417 1643 00", ["NL91ABNA0417164300"]),
        ("rekening NL91ABNA0417164300.", ["NL91ABNA0417164300"]),
        ("NL91ABNA04171643OO", ["NL91ABNA0417164300"]),  # O for 0 in the account
        ("NLO5RABO3623650693", ["NL05RABO3623650693"]),  # O for 0 in the check digits
        ("NL56RABO85641 14400", ["NL56RABO8564114400"]),  # OCR split a group
        ("GB82 WEST 1234 5698 7654 32", ["GB82WEST12345698765432"]),
        ("DE89370400440532013000 and NL91ABNA0417164300", ["DE89370400440532013000",
                                                           "NL91ABNA0417164300"]),
        ("NL91ABNA0417164301", []),  # mod-97 fails
        ("NL91ABNA041716430", []),  # one digit short
        ("NL92ABNA0417164300", []),  # wrong check digits
    ],
)  # fmt: skip
def test_ibans_only_when_mod_97_and_the_country_format_agree(text, expected):
    assert values(ibans(text)) == expected


def test_case_references_as_civic_makes_them_and_after_a_label():
    text = (
        "Uw kenmerk: 261204-A1B2C3-B. Aanvraag AP-250101-0F0F0F. Your ref. KB-2024-393945; "
        "not a date 261304-A1B2C3; zaak 26l204-A1B2C3"
    )
    assert values(case_references(text)) == [
        "261204-A1B2C3-B",
        "AP-250101-0F0F0F",
        "261204-A1B2C3",
        "KB-2024-393945",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Havenstad, 4 september 2026", ["2026-09-04"]),
        ("London, 4th September 2026", ["2026-09-04"]),
        ("September 4, 2026", ["2026-09-04"]),
        ("op 12 mrt. 2024 en 1 okt 2024", ["2024-03-12", "2024-10-01"]),
        ("12-03-2024, 12/03/2024, 12.03.2024, 2024-03-12", ["2024-03-12"] * 4),
        ("Date of birth 14 08 1981", ["1981-08-14"]),
        ("l2-O3-2O24", ["2024-03-12"]),  # OCR noise in the digits
        ("31-04-2024", []),  # no 31 April
        ("29 februari 2023", []),  # not a leap year
        ("12-13-2024", []),  # no month 13
        ("01-01-1800", []),  # outside the plausible years
    ],
)
def test_dates_in_both_languages_checked_against_the_calendar(text, expected):
    assert values(dates(text)) == expected


def test_months_without_a_day():
    assert values(months("Periode januari 2025; Pay period 2026-11; Period May 2024")) == [
        "2025-01",
        "2026-11",
        "2024-05",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€ 1.234,56", ["1234.56"]),
        ("EUR 1,234.56", ["1234.56"]),
        ("€1234.56 and 2.500,- EUR", ["1234.56", "2500.00"]),
        ("Loonheffing € -772,79", ["-772.79"]),
        ("€ 25", ["25.00"]),
        ("€ 1.23.4", []),  # not grouped by thousands
        ("1.234,56", []),  # no currency: not an amount of money here
    ],
)
def test_amounts_in_dutch_and_english_notation(text, expected):
    assert values(amounts(text)) == expected


DUTCH_PAYSLIP = """Bakkerij De Korenbloem B.V.
Julialaan 65, 9496 SA Breda
LOONSTROOK
Werknemer Anna de Vries
BSN 1234 56 782
Periode november 2024
IBAN NL91 ABNA 0417 1643 00
Bruto loon € 3.743,23
Loonheffing € 647,83
Netto loon € 2.851,63"""

ENGLISH_PAYSLIP_OCR = """FlexPay payroll services
on behalf of Jansen Installatietechniek
Weekly wage slip, weeks of August 2024
BSN l23456782
Gross € 4,lO2.56
Deductions € 529.09
Net wage € 3,573.47
Transferred to NL91ABNA04l7l643OO"""


def test_a_dutch_payslip():
    assert extract_fields("payslip", [DUTCH_PAYSLIP]) == {
        "employer": "Bakkerij De Korenbloem B.V.",
        "period": "2024-11",
        "gross_amount": "3743.23",
        "net_amount": "2851.63",
        "personal_number": "123456782",
        "iban": "NL91ABNA0417164300",
    }


def test_an_english_payslip_read_by_ocr_with_noise():
    fields = extract_fields("payslip", [ENGLISH_PAYSLIP_OCR])
    assert fields["employer"] == "Jansen Installatietechniek"
    assert fields["period"] == "2024-08"
    assert fields["personal_number"] == "123456782"
    assert fields["iban"] == "NL91ABNA0417164300"
    assert fields["net_amount"] == "3573.47"
    # "4,lO2.56" is not an amount: left out rather than guessed.
    assert "gross_amount" not in fields


def test_an_invoice_a_bank_statement_and_an_objection():
    invoice = (
        "Energie Direct B.V.\nFactuur\nDatum: 11 mei 2026\nSubtotaal € 2.000,00\n"
        "Totaal te betalen € 2.420,00\nGraag voor 1 juni op NL91ABNA0417164300"
    )
    assert extract_fields("invoice", [invoice]) == {
        "sender": "Energie Direct B.V.",
        "total_amount": "2420.00",
        "iban": "NL91ABNA0417164300",
        "date": "2026-05-11",
    }
    statement = (
        "ABN AMRO\nRekeningafschrift NL91 ABNA 0417 1643 00\n"
        "Periode 09-04-2026 t/m 08-05-2026\nBeginsaldo € 4.892,40\nEindsaldo € 17.471,49"
    )
    assert extract_fields("bank-statement", [statement]) == {
        "iban": "NL91ABNA0417164300",
        "start_date": "2026-04-09",
        "end_date": "2026-05-08",
        "opening_balance": "4892.40",
        "closing_balance": "17471.49",
    }
    objection = (
        "Havenstad, 4 September 2026\nRe: your decision of 11 July 2026, "
        "reference 261204-A1B2C3\nI object.\nKind regards,\nAnna de Vries"
    )
    assert extract_fields("objection", [objection]) == {
        "case_reference": "261204-A1B2C3",
        "date": "2026-09-04",
        "sender": "Anna de Vries",
    }  # fmt: skip


def test_without_a_type_every_checked_field_found_is_extracted():
    assert extract_fields(None, [DUTCH_PAYSLIP]) == {
        "personal_number": "123456782",
        "iban": "NL91ABNA0417164300",
        "total_amount": "3743.23",
    }
    assert extract_fields(None, ["Please find enclosed my objection."]) == {}
    assert set(FIELDS_BY_TYPE) >= {"payslip", "invoice", "bank-statement", "objection", "other"}


def test_a_total_after_its_label_may_go_without_a_currency_sign():
    invoice = (
        "Schildersbedrijf Kleur\nFactuur\nTotaal (vrijgesteld van btw) 2.542,80\n"
        "Werk en materiaal Aantal Totaal\nVerf 3 € 45,00 € 135,00\nIncl. btw € 3.554,76"
    )
    assert extract_fields("invoice", [invoice])["total_amount"] == "3554.76"
    assert extract_fields("invoice", ["Totaal 2.542,80"])["total_amount"] == "2542.80"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IBAN NL9l ABNA 04l7 l643 OO", ["NL91ABNA0417164300"]),  # l for 1, O for 0
        ("IBAN NL91 ABNA O4I7 I643 0O", ["NL91ABNA0417164300"]),  # I for 1
        ("IBAN NL9l ABNA 04l7 l643 O1", []),  # repaired, but mod-97 fails: nothing
        ("IBAN NL9l ABNA 04l7 l643 S0", []),  # S for 5 gives a wrong number: nothing
        ("account NL9 1ABNA0417164300", ["NL91ABNA0417164300"]),  # a space in the check digits
        ("IBAN L91ABNA0417164300", ["NL91ABNA0417164300"]),  # the N lost at a stamp's edge
        ("Rekening N91 ABNA 0417 1643 00.", ["NL91ABNA0417164300"]),  # or the L
        ("IBAN L92ABNA0417164300", []),  # and mod-97 still decides
        ("Ref L91ABNA04171643001", []),  # eleven digits: no Dutch IBAN
    ],
)
def test_an_ocr_damaged_iban_only_when_its_repair_passes_mod_97(text, expected):
    assert values(ibans(text)) == expected


TRANSACTIONS = """Online banking — transaction export
Account: NL91ABNA0417164300 (A. de Vries)
Date;Counterparty;Amount;Balance after
20260907;Jumbo;-23.03;5158.32
20260909;Havenstad Logistics B.V.;-421.02:4737.30
20260913;Zorggroep Het Baken;1388.23;6125.53
20260916;Albert Heijn;219.78/6345.31
"""


def test_a_statement_s_balances_from_its_running_balance():
    fields = extract_fields("bank-statement", [TRANSACTIONS])
    # Opening: the first balance less its amount; closing: the last balance; each row
    # confirmed by the one next to it.
    assert fields["opening_balance"] == "5181.35"
    assert fields["closing_balance"] == "6345.31"


def test_a_running_balance_that_does_not_add_up_gives_no_balance():
    broken = TRANSACTIONS.replace("-421.02:4737.30", "-421.02:4787.30").replace(
        "219.78/6345.31", "219.78/6395.31"
    )
    fields = extract_fields("bank-statement", [broken])
    assert "opening_balance" not in fields
    assert "closing_balance" not in fields


def test_an_annual_statement_s_balances_under_their_days():
    text = (
        "Jaaroverzicht spaarrekening 2025\nIBAN 1 januari 31 december\n"
        "Spaarrekening NL91ABNA0417164300 € 5.957,45 € 8.527,57\nStortingen € 2.480,81\n"
    )
    fields = extract_fields("bank-statement", [text])
    assert (fields["opening_balance"], fields["closing_balance"]) == ("5957.45", "8527.57")


@pytest.mark.parametrize(
    ("text", "doctor"),
    [
        ("DOCTOR'S NOTE\nPatient J. Jansen\nPhysician Frank Henderson\n", "Frank Henderson"),
        ("ArboNed\nVerklaring arbeidsgeschiktheid\nBedrijfsarts Collin Spruit\n", "Collin Spruit"),
        ("Occupational health\nCompany doctor David van Beieren\n", "David van Beieren"),
    ],
)
def test_a_medical_certificate_s_doctor_after_their_title(text, doctor):
    assert extract_fields("medical-certificate", [text])["sender"] == doctor


def test_a_period_s_dates_are_not_the_document_s_date():
    text = (
        "Ziekenhuis Rijnstate\nWe declare that J. Jansen was admitted to our hospital "
        "from 23 February 2024 until 25-03-2024.\n"
    )
    fields = extract_fields("medical-certificate", [text])
    assert "date" not in fields
    assert (fields["start_date"], fields["end_date"]) == ("2024-02-23", "2024-03-25")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Energie Direct B.V.\nINVOICE\nInvoice number 2026-5346\nInvoice date 11 May 2026\n",
         "2026-5346"),
        ("Shannon Smith\nInvoice F243 — 2026-02-24\nTotal € 4.855,90\n", "F243"),
        ("Bakkerij\nFactuurnr. INV/2024/0193\n", "INV/2024/0193"),
        ("Bakkerij\nFactuur 24-02-2026\n", None),  # a date is no invoice number
    ],
)  # fmt: skip
def test_an_invoice_number_after_its_label_or_the_title(text, number):
    assert extract_fields("invoice", [text]).get("invoice_number") == number


def test_an_e_mail_s_sender_is_the_name_not_the_address():
    text = "From: Jayson Recers <aaron74@hotmail.com>\nSent: 5 February 2025\n"
    assert extract_fields("letter", [text])["sender"] == "Jayson Recers"


def test_an_objection_on_a_form_has_no_signatory_from_its_heading():
    text = "UWV\nObjection form\nName F. de Vries\nDate and signature 2025-10-14\n"
    assert "sender" not in extract_fields("objection", [text])


def test_a_death_date_is_not_the_birth_date_after_it():
    text = "On 18-08-2025 in Delft died: Josh Griffiths, born on 1996-09-30, last residing at"
    assert extract_fields("civil-record", [text])["death_date"] == "2025-08-18"


def test_a_tenancy_s_start_is_the_start_of_its_term():
    text = "Tenant: E. Arens\n1.2 The lease is for a fixed term from 1 March 2019 to 2020-02-29.\n"
    assert extract_fields("tenancy-agreement", [text])["start_date"] == "2019-03-01"


@pytest.mark.parametrize(
    ("text", "landlord"),
    [
        ("ONDERHUUROVEREENKOMST\nTygo van Gorp, hoofdhuurder van Siemring 109, 4538 TV Delft, "
         "verhuurt een deel\nvan de woning onder aan A. de Marduras, onderhuurder.", "Tygo van Gorp"),
        ("SUBLEASE AGREEMENT\nRita Ward, main tenant of 12 High Street, sublets\npart of the "
         "dwelling to E. Wilmont, the subtenant.", "Rita Ward"),
    ],
)  # fmt: skip
def test_a_landlord_who_opens_the_contract_as_the_one_who_lets(text, landlord):
    assert extract_fields("tenancy-agreement", [text])["landlord"] == landlord


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        ("From: Brent Mulder <myrthe-van-der-strigt @ gmail.com>\nSent: 5 May 2025\n",
         "Brent Mulder"),  # OCR put a space in the address
        ("N. Young\nAan wie het aangaat,\nDit is mijn bezwaar.\nGroetjes\nNorman Young\n",
         "Norman Young"),
        ("Beste,\nThanks for your letter of May.\nThanks\nA. Smit\n", "A. Smit"),
    ],
)  # fmt: skip
def test_who_wrote_an_informal_letter_or_an_e_mail(text, sender):
    fields = extract_fields("letter" if text.startswith("From") else "objection", [text])
    assert fields["sender"] == sender


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Period 02-10-2026 — 12 October 2026\n", "2026-10-02", "2026-10-12"),
        ("Periode 9 augustus 2025 — 21-08-2025\n", "2025-08-09", "2025-08-21"),
    ],
)
def test_a_statement_s_period_joined_by_a_long_dash(text, start, end):
    fields = extract_fields("bank-statement", [text])
    assert (fields["start_date"], fields["end_date"]) == (start, end)


@pytest.mark.parametrize(
    ("text", "opening", "closing"),
    [
        ("Balance at start € 3,029.16\nBalance at end € 6,378.88\n", "3029.16", "6378.88"),
        ("Saldo begin € 2.974,04\nSaldo eind € 1.210,55\n", "2974.04", "1210.55"),
        ("Saldo op 1 juli 2025 € 500,00\nSaldo op 31 juli 2025 € 812,40\n", "500.00", "812.40"),
    ],
)
def test_a_statement_s_balances_at_start_and_end(text, opening, closing):
    fields = extract_fields("bank-statement", [text])
    assert (fields["opening_balance"], fields["closing_balance"]) == (opening, closing)


@pytest.mark.parametrize(
    ("text", "rent"),
    [
        ("Nieuwe huur per 1 juli 2026: € 912,40\nKale huur tot 1 juli € 880,00\n", "912.40"),
        ("                Now          From 1 July 2026\nBasic rent € 1,073.62 € 1,106.90\n"
         "Service charges € 47.87 € 47.87\n", "1106.90"),
        ("Huidig   Per 1 juli 2024\nKale huur € 853,28 € 895,94\n", "895.94"),
        # Two amounts under no "now / new" heading: the rent is the one after its label.
        ("Kale huur € 853,28 per maand, borg € 1.706,56\n", "853.28"),
    ],
)  # fmt: skip
def test_a_new_rent_beside_the_current_one(text, rent):
    assert extract_fields("tenancy-agreement", [text])["rent_amount"] == rent


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Under your lease, which started on 1 May 2015, we propose to raise the rent.\n",
         "2015-05-01"),
        ("Op grond van uw huurovereenkomst, ingegaan op 1 april 2010, stellen wij voor\n",
         "2010-04-01"),
    ],
)  # fmt: skip
def test_a_rent_letter_gives_the_day_the_lease_started(text, start):
    assert extract_fields("tenancy-agreement", [text])["start_date"] == start


def test_a_rent_letter_s_landlord_is_its_letterhead():
    text = "Vesteda Woningen\nBoring 160, 4608 KS Zwolle\nDatum 30 april 2024\nKale huur € 853,28\n"
    assert extract_fields("tenancy-agreement", [text])["landlord"] == "Vesteda Woningen"


@pytest.mark.parametrize(
    ("text", "sender"),
    [
        ("Tennisclub De Lob\nClubblad 1/2025\nVan het bestuur\nWat een seizoen!\n",
         "Tennisclub De Lob"),
        ("KAPSALON KNIP\nGRAND OPENING!\nWhere Benjaminweg 71, 4931 SP Maastricht\n",
         "Kapsalon Knip"),
        # A recipe's title names no organisation and the page says how to reach no one.
        ("Grandma's apple pie\nFor 4 people. Preparation 30 minutes.\nIngredients: 300 g flour\n",
         None),
        ("Appeltaart van oma\nVoor 4 personen, oven 60 minuten op 175 graden.\n", None),
        # Reached by an e-mail address that OCR spaced out, or by phone.
        ("Buurthuis De Kern\nBingo op vrijdag\nAanmelden: info @ dekern-zwolle.nl\n",
         "Buurthuis De Kern"),
        ("Buurthuis De Kern\nBingo op vrijdag\nBel 038-4217788\n", "Buurthuis De Kern"),
        # A date is no phone number, nor a page's way to reach anyone.
        ("Buurthuis De Kern\nBingo op vrijdag 01-02-2025 20:00\n", None),
    ],
)  # fmt: skip
def test_a_page_of_no_known_kind_has_a_sender_only_when_it_names_one(text, sender):
    assert extract_fields("other", [text]).get("sender") == sender


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("KAPSALON KNIP\nFrom 2026-02-02 we are open every day.\n", None),
        ("Snackbar De Hoek\nVanaf 2 februari 2026 zijn wij elke dag open.\n", None),
        ("Bewonersvereniging — notulen\nVergadering van 06-01-2026\n", "2026-01-06"),
    ],
)
def test_a_date_something_starts_from_is_not_when_the_page_was_written(text, date):
    assert extract_fields("other", [text]).get("date") == date


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("BEROEPSCHRIFT\nBeslissing op bezwaar 30 december 2025, KB-2024-399917\n"
         "Eiser stelt beroep in.\n2024-01-19\nMike Aeije\n", "2024-01-19"),
        ("NOTICE OF APPEAL\nDecision on objection 30 December 2025\nGrounds.\n"
         "2024-01-19\n", "2024-01-19"),
    ],
)  # fmt: skip
def test_an_appeal_is_not_dated_by_the_decision_it_is_against(text, date):
    assert extract_fields("objection", [text])["date"] == date


@pytest.mark.parametrize(
    ("text", "signer"),
    [
        ("Fysiotherapie De Beweging\nBreda, 2024-09-11\nDe behandeling is afgerond.\n"
         "Alexandra Harris\nfysiotherapeut, BIG 99425222056\n", "Alexandra Harris"),
        ("Fysiotherapie De Beweging\nBreda, 2024-09-11\nThe treatment has ended.\n"
         "Alexandra Harris\nphysiotherapist, BIG 99425222056\n", "Alexandra Harris"),
        # A title followed by a name is a label, the line above it no signer.
        ("Patient J. Jansen\nHuisarts Frank Henderson\n", "Frank Henderson"),
    ],
)  # fmt: skip
def test_a_statement_s_signer_above_their_title(text, signer):
    assert extract_fields("medical-certificate", [text])["sender"] == signer


def test_an_e_mailed_objection_s_signatory_is_the_name_not_the_address():
    text = "Van: Sanne Kamp <sanne.kamp @kpnmail.nl>\nOnderwerp: Pro forma bezwaar\n"
    assert extract_fields("objection", [text])["sender"] == "Sanne Kamp"


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("Work and materials No. Unit Total\nConsultancy 4 € 210.58 € 842.32\n"
         "Excl. VAT € 1,959.00\nVAT € 411.39\nIncl. VAT € 2,370.39\nUnit Total\n"
         "€ 105.85 € 1,058.50\n", "2370.39"),
        ("Totaal excl. btw € 100,00\nTe betalen € 121,00\nTotaal\n€ 5,00 € 50,00\n", "121.00"),
    ],
)  # fmt: skip
def test_what_an_invoice_says_is_owed_before_a_column_s_total(text, total):
    assert extract_fields("invoice", [text])["total_amount"] == total


@pytest.mark.parametrize(
    "text",
    [
        "Invoice F243\nFor work carried out: 70 hours at € 69.37 per hour.\n",
        "Factuur F243\nVerricht werk: 70 uur à € 69,37 per uur.\n",
    ],
)
def test_a_rate_is_no_invoice_s_total(text):
    assert "total_amount" not in extract_fields("invoice", [text])


@pytest.mark.parametrize(
    ("text", "landlord", "start"),
    [
        ("SUBLEASE AGREEMENT\nMelissa van Doorn, main tenant\nof the dwelling to L. Vermeer\n"
         "The subtenant pays € 1,486.38 per month from 2018-05-01.\n",
         "Melissa van Doorn", "2018-05-01"),
        ("ONDERHUUROVEREENKOMST\nRaf Rehorst, hoofdhuurder\nvan de woning aan S. van Venrooy\n"
         "Onderhuurder betaalt vanaf 1 juni 2018 € 1.373,95 per maand.\n",
         "Raf Rehorst", "2018-06-01"),
        # A contract's title is no landlord.
        ("ONDERHUUROVEREENKOMST\nde woning onder aan S. van Venrooy, onderhuurder\n", None, None),
    ],
)  # fmt: skip
def test_a_sublease_s_landlord_is_the_main_tenant(text, landlord, start):
    fields = extract_fields("tenancy-agreement", [text])
    assert (fields.get("landlord"), fields.get("start_date")) == (landlord, start)


@pytest.mark.parametrize(
    ("text", "death"),
    [
        ("AKTE VAN OVERLIJDEN\nGeboren 17 oktober 2000\nDatum overlijden 15 december 2021\n",
         "2021-12-15"),
        ("DEATH CERTIFICATE\nBorn 17 October 2000\nDate of death 15 December 2021\n",
         "2021-12-15"),
        # The register's title says "overlijden" but gives no date: the birth is no death.
        ("Register van overlijden\nGeboren 17 oktober 2000\n", None),
    ],
)  # fmt: skip
def test_the_day_of_death_on_a_death_record(text, death):
    assert extract_fields("civil-record", [text]).get("death_date") == death


@pytest.mark.parametrize(
    ("text", "rent"),
    [
        # The heading's "Now" lost to OCR: the date still heads the new column.
        ("ANA!\nFrom 1 July 2025\nBasic rent € 909.41 € 946.70\n", "946.70"),
        ("Per 1 juli 2025\nKale huur € 909,41 € 946,70\n", "946.70"),
        # A sentence with a date is no column's heading.
        ("De huur gaat omhoog per 1 juli 2025, zie hieronder.\nKale huur € 909,41 € 946,70\n",
         "909.41"),
    ],
)  # fmt: skip
def test_a_new_rent_under_a_heading_that_lost_its_first_column(text, rent):
    assert extract_fields("tenancy-agreement", [text])["rent_amount"] == rent


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Factuurnr. DP INV2024787420\nTotaal € 10,00\n", "INV2024787420"),
        ("Invoice no. x 2026-5346\nTotal € 10.00\n", "2026-5346"),
        # A word after the label is no speck: no number without a digit is taken.
        ("Invoice no. follows by e-mail\nTotal € 10.00\n", None),
    ],
)
def test_an_invoice_number_after_a_speck_of_ocr(text, number):
    assert extract_fields("invoice", [text]).get("invoice_number") == number
