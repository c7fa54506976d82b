"""Templates of medical certificates, copies of identity documents and bank statements."""

from __future__ import annotations

import datetime as dt

from civic.documents.training.layout import Draft, Style
from civic.documents.training.templates.base import Template, dec, iso, one_line, tr
from civic.documents.training.values import EMPLOYERS, PRACTICES, SUPPLIERS, Values


def medical_gp(v: Values) -> Draft:
    name, born, day = v.name(), v.birth_date(), v.date()
    start, doctor, practice = (
        day - dt.timedelta(days=v.rng.randint(1, 30)),
        v.name(),
        v.pick(PRACTICES),
    )
    end = start + dt.timedelta(days=v.rng.randint(7, 90))
    return Draft(
        [("head", practice, [one_line(v.address()), tr(v, "General practitioners", "Huisartsen")]),
         ("title", tr(v, "Medical certificate", "Medische verklaring")),
         ("text", tr(v, f"The undersigned, {doctor}, general practitioner, declares that {name}, born on "
                        f"{v.date_text(born)}, is under treatment and is unable to work from {v.date_text(start)} "
                        f"until {v.date_text(end)} for medical reasons.",
                        f"Ondergetekende, {doctor}, huisarts, verklaart dat {name}, geboren op {v.date_text(born)}, "
                        f"onder behandeling is en om medische redenen niet in staat is te werken van "
                        f"{v.date_text(start)} tot en met {v.date_text(end)}.")),
         ("text", tr(v, "The diagnosis is not disclosed, in keeping with medical confidentiality.",
                        "De diagnose wordt niet vermeld in verband met het medisch beroepsgeheim.")),
         ("text", f"{v.city()}, {v.date_text(day)}"), ("gap", 18),
         ("text", f"{doctor}, {tr(v, 'GP', 'huisarts')} — BIG {v.rng.randint(10**10, 10**11 - 1)}")],
        {"name": name, "birth_date": iso(born), "date": iso(day), "sender": doctor, "start_date": iso(start),
         "end_date": iso(end)},
    )  # fmt: skip


def medical_absence(v: Values) -> Draft:
    name, born, day, doctor = v.name(), v.birth_date(), v.date(), v.name()
    return Draft(
        [("center", tr(v, "DOCTOR'S NOTE", "DOKTERSVERKLARING")), ("rule",),
         ("kv", [(tr(v, "Patient", "Patiënt"), name), (tr(v, "Date of birth", "Geboortedatum"), v.date_text(born)),
                 (tr(v, "Seen on", "Gezien op"), v.date_text(day))]),
         ("text", tr(v, "This patient was seen in my surgery today and was ill. They could not attend school, "
                        "the exam or their work on this date. Please excuse the absence.",
                        "Deze patiënt is vandaag op mijn spreekuur geweest en was ziek. Hij of zij kon op deze dag "
                        "niet naar school, het examen of het werk. Gelieve het verzuim te excuseren.")),
         ("kv", [(tr(v, "Physician", "Arts"), doctor), (tr(v, "Practice", "Praktijk"), v.pick(PRACTICES)),
                 (tr(v, "Stamp and signature", "Stempel en handtekening"), "")])],
        {"name": name, "birth_date": iso(born), "date": iso(day), "sender": doctor},
    )  # fmt: skip


def medical_fitness(v: Values) -> Draft:
    name, day, employer, doctor = v.name(), v.date(), v.pick(EMPLOYERS), v.name()
    able = v.rng.choice((True, False))
    mark = lambda ok: "[X]" if ok else "[ ]"  # noqa: E731
    return Draft(
        [("head", v.pick(("Arbodienst Vitaal", "ArboNed", "Bedrijfsartsen Havenstad")), [tr(v, "Occupational health service", "Arbodienst")]),
         ("title", tr(v, "Statement of fitness for work", "Verklaring arbeidsgeschiktheid")),
         ("kv", [(tr(v, "Employee", "Werknemer"), name), (tr(v, "Employer", "Werkgever"), employer),
                 (tr(v, "Consultation", "Spreekuur"), v.date_text(day)), (tr(v, "Company doctor", "Bedrijfsarts"), doctor)]),
         ("text", f"{mark(able)} " + tr(v, "fit for own work", "geschikt voor eigen werk") + f"\n{mark(not able)} "
                  + tr(v, "not fit for work, sick leave continues", "ongeschikt, ziekteverzuim loopt door") + "\n[ ] "
                  + tr(v, "fit for adapted work, see advice", "geschikt voor aangepast werk, zie advies")),
         ("text", tr(v, f"Next appointment in {v.rng.randint(2, 8)} weeks. Medical details are kept by the doctor only.",
                        f"Volgende afspraak over {v.rng.randint(2, 8)} weken. Medische gegevens blijven bij de arts."))],
        {"name": name, "employer": employer, "date": iso(day), "sender": doctor},
    )  # fmt: skip


def medical_admission(v: Values) -> Draft:
    name, born, pn = v.name(), v.birth_date(), v.personal_number()
    admitted = v.date()
    discharged = admitted + dt.timedelta(days=v.rng.randint(1, 40))
    hospital = v.pick(
        ("Ziekenhuis Rijnstate", "Medisch Centrum Havenstad", "Isala Zwolle", "Amphia Breda")
    )
    return Draft(
        [("head", hospital, [tr(v, "Patient administration", "Patiëntenadministratie")]),
         ("title", tr(v, "Statement of hospital admission", "Verklaring van opname")),
         ("text", tr(v, f"We hereby declare that {name}, born {v.date_text(born)}, citizen service number {pn}, "
                        f"was admitted to our hospital from {v.date_text(admitted)} until {v.date_text(discharged)}.",
                        f"Hierbij verklaren wij dat {name}, geboren {v.date_text(born)}, BSN {pn}, "
                        f"van {v.date_text(admitted)} tot en met {v.date_text(discharged)} in ons ziekenhuis was opgenomen.")),
         ("kv", [(tr(v, "Ward", "Afdeling"), v.pick(("Interne geneeskunde", "Chirurgie", "Cardiologie", "Orthopedie"))),
                 (tr(v, "Patient number", "Patiëntnummer"), str(v.rng.randint(10**6, 10**7)))]),
         ("text", tr(v, "This statement is issued at the patient's request.", "Deze verklaring is afgegeven op verzoek van de patiënt."))],
        {"name": name, "birth_date": iso(born), "personal_number": pn, "start_date": iso(admitted),
         "end_date": iso(discharged), "sender": hospital},
    )  # fmt: skip


def _mrz_name(name: str) -> str:
    first, _, last = name.partition(" ")
    return (last + "<<" + first).upper().replace(" ", "<").replace("'", "")


def _identity(v: Values, title: str, code: str, copy_en: str, copy_nl: str, extra: list) -> Draft:
    name, born, pn = v.name(), v.birth_date(), v.personal_number()
    number, issued = v.code(9), v.date(2016, 2025)
    expires = issued.replace(year=issued.year + 10)
    first, _, last = name.partition(" ")
    mrz = f"{code}<NLD{_mrz_name(name)}".ljust(44, "<")[:44]
    return Draft(
        [("text", tr(v, copy_en, copy_nl)), ("box", [title, tr(v, "KINGDOM OF THE NETHERLANDS", "KONINKRIJK DER NEDERLANDEN")]),
         ("kv", [(tr(v, "Surname / Naam", "Naam / Surname"), last), (tr(v, "Given names / Voornamen", "Voornamen / Given names"), first),
                 (tr(v, "Nationality", "Nationaliteit"), tr(v, "Dutch", "Nederlandse")),
                 (tr(v, "Date of birth", "Geboortedatum"), born.strftime("%d %m %Y")),
                 (tr(v, "Personal no.", "Persoonsnummer"), pn), (tr(v, "Document no.", "Documentnummer"), number),
                 (tr(v, "Date of issue", "Datum afgifte"), issued.strftime("%d %m %Y")),
                 (tr(v, "Date of expiry", "Geldig tot"), expires.strftime("%d %m %Y")), *extra]),
         ("gap", 10), ("text", mrz), ("text", f"{number}<{v.rng.randint(0, 9)}NLD{born:%y%m%d}{v.rng.randint(0, 9)}".ljust(44, "<"))],
        {"name": name, "birth_date": iso(born), "personal_number": pn, "document_number": number,
         "expiry_date": iso(expires)},
    )  # fmt: skip


def identity_passport(v: Values) -> Draft:
    return _identity(
        v,
        "PASPOORT / PASSPORT",
        "P",
        "Copy of passport, data page",
        "Kopie paspoort, persoonsgegevenspagina",
        [
            (tr(v, "Place of birth", "Geboorteplaats"), v.city()),
            (tr(v, "Sex", "Geslacht"), v.pick("MV")),
        ],
    )


def identity_card(v: Values) -> Draft:
    return _identity(
        v,
        "IDENTITEITSKAART / IDENTITY CARD",
        "I",
        "Copy of identity card (front and back)",
        "Kopie identiteitskaart (voor- en achterzijde)",
        [(tr(v, "Height", "Lengte"), f"1,{v.rng.randint(50, 99)} m")],
    )


def identity_licence(v: Values) -> Draft:
    name, born, number = v.name(), v.birth_date(), str(v.rng.randint(10**9, 10**10 - 1))
    issued = v.date(2016, 2025)
    expires = issued.replace(year=issued.year + 10)
    first, _, last = name.partition(" ")
    return Draft(
        [("text", tr(v, "Copy of driving licence for identification", "Kopie rijbewijs ter identificatie")),
         ("box", ["RIJBEWIJS  NL", tr(v, "Driving licence — European Union model", "Model Europese Unie")]),
         ("kv", [("1.", last), ("2.", first), ("3.", f"{born:%d.%m.%Y} {v.city()}"), ("4a.", f"{issued:%d.%m.%Y}"),
                 ("4b.", f"{expires:%d.%m.%Y}"), ("4c.", tr(v, "Mayor of", "Burgemeester van") + " " + v.city()),
                 ("5.", number), ("9.", "AM B")])],
        {"name": name, "birth_date": iso(born), "document_number": number, "expiry_date": iso(expires)},
    )  # fmt: skip


def identity_residence(v: Values) -> Draft:
    return _identity(
        v,
        "VERBLIJFSDOCUMENT / RESIDENCE DOCUMENT",
        "IR",
        "Copy of residence permit, front",
        "Kopie verblijfsvergunning, voorzijde",
        [
            (
                tr(v, "Type of permit", "Soort"),
                tr(v, "Regular fixed term", "Regulier bepaalde tijd"),
            ),
            (tr(v, "Remarks", "Opmerkingen"), tr(v, "Work permitted", "Arbeid vrij toegestaan")),
        ],
    )


def _transactions(v: Values, count: int) -> tuple[list, float, float]:
    opening = v.amount(-400, 6000)
    balance, rows = opening, []
    day = v.date(2025, 2026)
    for _ in range(count):
        day += dt.timedelta(days=v.rng.randint(0, 4))
        amount = v.amount(-450, 300) if v.rng.random() < 0.85 else v.amount(900, 3500)
        balance += amount
        what = v.pick(
            SUPPLIERS + EMPLOYERS + ("Albert Heijn", "Jumbo", "NS Reizen", "Geldautomaat", "Tikkie")
        )
        rows.append((day, what, amount, balance))
    return rows, opening, round(balance, 2)


def bank_table(v: Values) -> Draft:
    name, iban = v.name(), v.iban()
    rows, opening, closing = _transactions(v, v.rng.randint(6, 12))
    bank = v.pick(("ING", "ABN AMRO", "Rabobank", "SNS", "ASN Bank", "Triodos Bank"))
    return Draft(
        [("head", bank, []), ("title", tr(v, "Account statement", "Rekeningafschrift")),
         ("kv", [(tr(v, "Account holder", "Rekeninghouder"), name), ("IBAN", iban),
                 (tr(v, "Statement number", "Afschriftnummer"), str(v.rng.randint(1, 52)))]),
         ("table", [tr(v, "Date / description", "Datum / omschrijving"), tr(v, "Debit", "Af"), tr(v, "Credit", "Bij"), tr(v, "Balance", "Saldo")],
          [[f"{d:%d-%m} {w}", v.money(-a) if a < 0 else "", v.money(a) if a >= 0 else "", v.money(b)] for d, w, a, b in rows]),
         ("kv", [(tr(v, "Opening balance", "Beginsaldo"), v.money(opening)), (tr(v, "Closing balance", "Eindsaldo"), v.money(closing))])],
        # The rows give day and month only, and no year stands on the page: no period to read.
        {"name": name, "iban": iban, "opening_balance": dec(opening), "closing_balance": dec(closing),
         "sender": bank},
    )  # fmt: skip


def bank_lines(v: Values) -> Draft:
    name, iban, address = v.name(), v.iban(), v.address()
    rows, opening, closing = _transactions(v, v.rng.randint(5, 9))
    return Draft(
        [("right", [name, one_line(address)]),
         ("text", tr(v, f"Overview of transactions for account {iban}", f"Overzicht van bij- en afschrijvingen op rekening {iban}")),
         ("text", tr(v, f"Balance on {v.date_text(rows[0][0])}: {v.money(opening)}", f"Saldo per {v.date_text(rows[0][0])}: {v.money(opening)}")),
         *[("text", f"{d:%d-%m-%Y}  {w}  {'-' if a < 0 else '+'}{v.money(abs(a))[2:]}") for d, w, a, b in rows],
         ("text", tr(v, f"New balance: {v.money(closing)}", f"Nieuw saldo: {v.money(closing)}")),
         ("text", tr(v, "Check this statement. Report errors to your bank within 13 months.",
                        "Controleer dit afschrift. Meld fouten binnen 13 maanden bij uw bank."))],
        {"name": name, "iban": iban, "address": one_line(address), "opening_balance": dec(opening),
         "closing_balance": dec(closing)},
    )  # fmt: skip


def bank_export(v: Values) -> Draft:
    name, iban = v.name(), v.iban()
    rows, opening, closing = _transactions(v, v.rng.randint(8, 14))
    return Draft(
        [("text", tr(v, "Online banking — transaction export", "Internetbankieren — export transacties")), ("rule",),
         ("text", f"{tr(v, 'Account', 'Rekening')}: {iban} ({name})"),
         ("text", tr(v, "Date;Counterparty;Amount;Balance after", "Datum;Tegenrekening;Bedrag;Saldo na")),
         *[("text", f"{d:%Y%m%d};{w};{a:.2f};{b:.2f}") for d, w, a, b in rows]],
        {"name": name, "iban": iban, "opening_balance": dec(opening), "closing_balance": dec(closing)},
    )  # fmt: skip


def bank_savings(v: Values) -> Draft:
    name, iban, year = v.name(), v.iban(), v.rng.randint(2023, 2025)
    start, interest = v.amount(200, 40000), v.amount(0, 600)
    deposits = v.amount(0, 6000)
    end = round(start + interest + deposits, 2)
    return Draft(
        [("head", v.pick(("ING", "Rabobank", "ABN AMRO", "Knab")), [tr(v, "Annual statement", "Jaaroverzicht")]),
         ("left", [name, one_line(v.address())]),
         ("title", tr(v, f"Savings account annual statement {year}", f"Jaaroverzicht spaarrekening {year}")),
         ("table", ["", "IBAN", tr(v, "1 January", "1 januari"), tr(v, "31 December", "31 december")],
          [[tr(v, "Savings account", "Spaarrekening"), iban, v.money(start), v.money(end)]]),
         ("kv", [(tr(v, "Deposits", "Stortingen"), v.money(deposits)), (tr(v, "Interest credited", "Bijgeschreven rente"), v.money(interest))]),
         ("text", tr(v, "You need these figures for your tax return (box 3).", "Deze gegevens heeft u nodig voor uw aangifte (box 3)."))],
        {"name": name, "iban": iban, "opening_balance": dec(start), "closing_balance": dec(end)},
    )  # fmt: skip


TEMPLATES = (
    Template(
        "medical-certificate-1",
        "medical-certificate",
        Style(font="Times-Roman", head_align="center"),
        medical_gp,
    ),
    Template(
        "medical-certificate-2",
        "medical-certificate",
        Style(font="Courier", size=10.5),
        medical_absence,
    ),
    Template(
        "medical-certificate-3",
        "medical-certificate",
        Style(kv_width=150, head_align="right"),
        medical_fitness,
    ),
    Template("medical-certificate-4", "medical-certificate", Style(size=11), medical_admission),
    Template(
        "identity-document-1",
        "identity-document",
        Style(font="Courier", kv_width=230),
        identity_passport,
    ),
    Template(
        "identity-document-2", "identity-document", Style(size=11.5, kv_width=240), identity_card
    ),
    Template(
        "identity-document-3",
        "identity-document",
        Style(font="Times-Roman", kv_width=60, size=13),
        identity_licence,
    ),
    Template(
        "identity-document-4", "identity-document", Style(size=10, kv_width=200), identity_residence
    ),
    Template("bank-statement-1", "bank-statement", Style(size=9.5, head_align="right"), bank_table),
    Template("bank-statement-2", "bank-statement", Style(font="Times-Roman"), bank_lines),
    Template("bank-statement-3", "bank-statement", Style(font="Courier", size=9), bank_export),
    Template("bank-statement-4", "bank-statement", Style(head_align="center"), bank_savings),
)
