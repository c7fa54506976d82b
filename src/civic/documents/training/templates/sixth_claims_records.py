"""A sixth template of objections, payslips, invoices, medical certificates and identity
documents (English and Dutch), each worded and laid out as none of the other five of its type:
a lawyer's objection to a WOZ value on behalf of a client, UWV's payment specification of an
unemployment benefit, a hotel's bill, a midwife's pregnancy statement and a copy of an identity
card, front and back, with its three-line machine-readable zone."""

from __future__ import annotations

import datetime as dt
import unicodedata

from civic.documents.training.layout import Draft, Style
from civic.documents.training.templates.base import Template, dec, iso, one_line, tr
from civic.documents.training.values import Values

FIRMS = ("Van der Meer & Bosch Advocaten", "Advocatenkantoor De Waal", "Kuipers Kolff Advocaten",
         "Sociaal Advocatenkantoor Havenstad", "Bakker Visser Advocaten")  # fmt: skip


def objection_lawyer(v: Values) -> Draft:
    lawyer, firm, firm_address = v.name(), v.pick(FIRMS), v.address()
    client, address, pn = v.name(), v.address(), v.personal_number()
    day, ref, city = v.date(), v.reference(), v.city()
    decided = day - dt.timedelta(days=v.rng.randint(10, 42))
    body = tr(v, f"Municipality of {city}", f"Gemeente {city}")
    value = v.rng.randint(180, 690) * 1000
    claimed = value - v.rng.randint(15, 80) * 1000
    sep = "." if v.language == "nl" else ","
    value_text, claimed_text = (f"€ {x:,}".replace(",", sep) for x in (value, claimed))
    ours = f"{v.rng.randint(2024, 2026)}.{v.rng.randint(100, 999):03d}.{v.code(2)}"
    return Draft(
        [("head", firm, [f"{firm_address['street']}  ·  {firm_address['postcode']} {firm_address['city']}",
                         f"T 0{v.rng.randint(10, 79)}-{v.rng.randint(1000000, 9999999)}  ·  "
                         f"{tr(v, 'Member of the Netherlands Bar', 'Lid van de Nederlandse Orde van Advocaten')}"]),
         ("left", [tr(v, "By registered post and by fax", "Aangetekend en per fax"), body,
                   tr(v, "Attn. the assessor (WOZ objections)", "T.a.v. de heffingsambtenaar (bezwaar WOZ)")]),
         ("kv", [(tr(v, "Your reference", "Uw kenmerk"), ref), (tr(v, "Our reference", "Ons kenmerk"), ours),
                 (tr(v, "Date", "Datum"), v.date_text(day)),
                 (tr(v, "Re", "Inzake"), tr(v, f"{client} / {body}, WOZ value", f"{client} / {body}, WOZ-waarde"))]),
         ("text", tr(v, "Dear Sir or Madam,", "Geachte heer, mevrouw,")),
         ("text", tr(v, f"On behalf of my client, {client}, residing at {one_line(address)} (citizen service number {pn}), "
                        f"I hereby lodge an objection to your assessment of {v.date_text(decided)}, reference {ref}, in which "
                        f"the value of my client's home under the WOZ Act was set at {value_text}. My client authorised me "
                        "to do so; the power of attorney is enclosed.",
                        f"Namens mijn cliënt, {client}, wonende aan {one_line(address)} (BSN {pn}), maak ik hierbij bezwaar "
                        f"tegen uw beschikking van {v.date_text(decided)}, kenmerk {ref}, waarbij de waarde van de woning van "
                        f"cliënt op grond van de Wet WOZ is vastgesteld op {value_text}. Cliënt heeft mij "
                        "daartoe gemachtigd; de volmacht treft u bijgaand aan.")),
         ("text", tr(v, "The grounds of the objection are as follows:", "Het bezwaar berust op de volgende gronden:")),
         ("text", tr(v, "1. The value is too high. The comparable homes you used are larger and were renovated recently.\n"
                        "2. The poor state of the roof and the foundation was not taken into account.\n"
                        "3. You did not send the valuation report, although it was asked for; I ask you to send it.",
                        "1. De waarde is te hoog vastgesteld. De gebruikte vergelijkingsobjecten zijn groter en recent gerenoveerd.\n"
                        "2. Met de slechte staat van het dak en de fundering is geen rekening gehouden.\n"
                        "3. Het taxatieverslag is ondanks verzoek niet toegezonden; ik verzoek u het alsnog te verstrekken.")),
         ("text", tr(v, f"I ask you to set the value at no more than {claimed_text}, to reimburse the costs of the "
                        "objection under article 7:15 of the General Administrative Law Act and to hear my client.",
                        f"Ik verzoek u de waarde vast te stellen op ten hoogste {claimed_text}, de kosten van het bezwaar te vergoeden op grond van artikel 7:15 Awb en cliënt te horen.")),
         ("text", tr(v, "Yours faithfully,", "Hoogachtend,")), ("gap", 16),
         ("text", f"{lawyer}\n{tr(v, 'attorney at law', 'advocaat')}"),
         ("text", tr(v, "Enclosures: power of attorney, copy of the assessment",
                        "Bijlagen: volmacht, kopie beschikking"))],
        {"sender": lawyer, "name": client, "address": one_line(address), "personal_number": pn,
         "case_reference": ref, "date": iso(day), "decision_date": iso(decided), "addressee": body},
    )  # fmt: skip


def payslip_benefit(v: Values) -> Draft:
    name, address, pn, iban = v.name(), v.address(), v.personal_number(), v.iban()
    month = v.date(2024, 2026)
    days, daily = v.rng.randint(20, 23), v.amount(70, 260)
    share = v.pick((0.75, 0.70))
    gross = round(days * round(daily * share, 2), 2)
    tax = round(gross * v.rng.uniform(0.08, 0.32), 2)
    net = round(gross - tax, 2)
    paid_on = dt.date(month.year, month.month, 1) + dt.timedelta(days=v.rng.randint(33, 40))
    m, pct = v.money, f"{share * 100:.0f}%"
    return Draft(
        [("head", "UWV", [tr(v, "Employee insurance agency", "Uitvoeringsinstituut Werknemersverzekeringen"),
                          "Postbus 58285, 1040 HG Amsterdam"]),
         ("left", [name, address["street"], f"{address['postcode']} {address['city']}"]),
         ("title", tr(v, "Payment specification WW benefit", "Betaalspecificatie WW-uitkering")),
         ("text", tr(v, f"This is what we pay you for {v.month_text(month)}. Your benefit is {pct} of your daily wage "
                        f"of {m(daily)}, for each working day.",
                        f"Dit betalen wij u over {v.month_text(month)}. Uw uitkering is {pct} van uw dagloon "
                        f"van {m(daily)}, voor iedere werkdag.")),
         ("table", [tr(v, "Specification", "Specificatie"), tr(v, "Days", "Dagen"), tr(v, "Per day", "Per dag"), tr(v, "Amount", "Bedrag")],
          [[tr(v, "Gross WW benefit", "Bruto WW-uitkering"), str(days), m(daily * share), m(gross)],
           [tr(v, "Wage tax (with tax credit)", "Loonheffing (met heffingskorting)"), "", "", m(-tax)],
           [tr(v, "Net benefit", "Netto uitkering"), "", "", m(net)],
           [tr(v, "Holiday pay saved (8%)", "Gespaard vakantiegeld (8%)"), "", "", m(gross * 0.08)]]),
         ("kv", [(tr(v, "Paid into", "Wij betalen op"), iban), (tr(v, "Payment date", "Betaaldatum"), v.date_text(paid_on)),
                 (tr(v, "Citizen service no.", "Burgerservicenummer"), pn),
                 (tr(v, "Benefit end date", "Einddatum uitkering"), tr(v, "see your decision", "zie uw beslissing"))]),
         ("text", tr(v, "Did you earn income this month? Report it on Mijn UWV, or your benefit may be reclaimed. "
                        "The holiday pay is paid in May.",
                        "Had u deze maand inkomsten? Geef die door via Mijn UWV, anders moet u misschien terugbetalen. "
                        "Het vakantiegeld betalen wij in mei uit."))],
        {"name": name, "address": one_line(address), "personal_number": pn, "employer": "UWV",
         "period": month.strftime("%Y-%m"), "gross_amount": dec(gross), "net_amount": dec(net), "iban": iban},
    )  # fmt: skip


HOTELS = ("Hotel De Zeven Provinciën", "Stadshotel Havenstad", "Hotel Het Wapen van Delft",
          "Strandhotel Noordzee", "Grand Café Hotel De Beurs")  # fmt: skip


def invoice_hotel(v: Values) -> Draft:
    hotel, guest, iban = v.pick(HOTELS), v.name(), v.iban()
    arrival, nights, guests = v.date(), v.rng.randint(1, 4), v.rng.randint(1, 2)
    departure = arrival + dt.timedelta(days=nights)
    room, rate = v.rng.randint(101, 418), v.amount(79, 189)
    breakfast, levy = v.pick((16.5, 18.5, 21.0)), v.pick((3.5, 4.25, 5.5, 7.0))
    rows, low, high = [], 0.0, 0.0
    for n in range(nights):
        d = f"{arrival + dt.timedelta(days=n):%d-%m}"
        rows.append(
            [
                f"{d}  " + tr(v, f"Room {room}", f"Logies kamer {room}"),
                "1",
                v.money(rate),
                v.money(rate),
            ]
        )
        rows.append(
            [
                f"{d}  " + tr(v, "Breakfast", "Ontbijt"),
                str(guests),
                v.money(breakfast),
                v.money(guests * breakfast),
            ]
        )
        low += rate + guests * breakfast
    bar = v.amount(6, 60)
    high += bar
    rows.append(
        [
            f"{departure - dt.timedelta(days=1):%d-%m}  "
            + tr(v, "Bar / restaurant", "Bar / restaurant"),
            "1",
            v.money(bar),
            v.money(bar),
        ]
    )
    tax = round(nights * guests * levy, 2)
    rows.append(
        [
            tr(v, "Tourist tax", "Toeristenbelasting"),
            str(nights * guests),
            v.money(levy),
            v.money(tax),
        ]
    )
    total = round(low + high + tax, 2)
    vat = [
        [f"{r}%", v.money(a / (1 + r / 100)), v.money(a - a / (1 + r / 100)), v.money(a)]
        for r, a in ((9, low), (21, high))
    ]
    number = f"{departure:%y}{v.rng.randint(10000, 99999)}"
    card = v.pick(("Mastercard", "Visa", "Maestro", "American Express"))
    return Draft(
        [("center", hotel), ("text", f"{one_line(v.address())}  ·  reservations@{hotel.lower().split()[-1]}.nl"), ("rule",),
         ("right", [guest, one_line(v.address())]),
         ("box", [f"{tr(v, 'Invoice', 'Factuur')} {number}   {tr(v, 'Room', 'Kamer')} {room}   "
                  f"{tr(v, 'Guests', 'Gasten')} {guests}",
                  f"{tr(v, 'Arrival', 'Aankomst')} {v.date_text(arrival)}   {tr(v, 'Departure', 'Vertrek')} {v.date_text(departure)}"]),
         ("table", [tr(v, "Date  Description", "Datum  Omschrijving"), tr(v, "Qty", "Aantal"), tr(v, "Price", "Prijs"), tr(v, "Amount", "Bedrag")], rows),
         ("kv", [(tr(v, "Total", "Totaal"), v.money(total)), (tr(v, "Paid", "Voldaan"), f"{v.money(total)}  ({card})"),
                 (tr(v, "Balance", "Saldo"), v.money(0))]),
         ("table", [tr(v, "VAT", "Btw"), tr(v, "Excl.", "Excl."), tr(v, "VAT", "Btw"), tr(v, "Incl.", "Incl.")], vat),
         ("text", tr(v, "Tourist tax is not subject to VAT. We hope to welcome you again!",
                        "Over toeristenbelasting wordt geen btw geheven. Graag tot een volgende keer!")),
         ("text", f"KvK {v.rng.randint(10**7, 10**8 - 1)}  ·  {tr(v, 'VAT no.', 'Btw-nr.')} NL{v.code(9)}B01  ·  IBAN {iban}")],
        {"sender": hotel, "name": guest, "date": iso(departure), "invoice_number": number, "iban": iban,
         "total_amount": dec(total)},
    )  # fmt: skip


MIDWIVES = ("Verloskundigenpraktijk De Wieg", "Verloskundigen Havenstad", "Verloskundig Centrum Oost",
            "Verloskundigenpraktijk Moeder & Kind")  # fmt: skip


def medical_pregnancy(v: Values) -> Draft:
    name, born, address = v.name(), v.date(1982, 2004), v.address()
    midwife, practice, day = v.name(), v.pick(MIDWIVES), v.date()
    weeks, extra = v.rng.randint(12, 30), v.rng.randint(0, 6)
    due = day + dt.timedelta(days=280 - 7 * weeks - extra)
    agb = f"01-{v.rng.randint(100000, 999999)}"
    return Draft(
        [("head", practice, [one_line(v.address()), tr(v, f"Midwives  ·  AGB code {agb}", f"Verloskundigen  ·  AGB-code {agb}")]),
         ("title", tr(v, "Pregnancy statement", "Zwangerschapsverklaring")),
         ("text", tr(v, "For the employer or benefit agency, to apply for pregnancy and maternity leave (Work and Care Act).",
                        "Voor de werkgever of het UWV, voor de aanvraag van zwangerschaps- en bevallingsverlof (Wazo).")),
         ("kv", [(tr(v, "Name of the pregnant woman", "Naam zwangere"), name), (tr(v, "Date of birth", "Geboortedatum"), v.date_text(born)),
                 (tr(v, "Address", "Adres"), one_line(address)), (tr(v, "Date of examination", "Datum onderzoek"), v.date_text(day)),
                 (tr(v, "Length of pregnancy then", "Zwangerschapsduur toen"), tr(v, f"{weeks} weeks and {extra} days", f"{weeks} weken en {extra} dagen")),
                 (tr(v, "Expected date of delivery", "Vermoedelijke bevallingsdatum"), v.date_text(due)),
                 (tr(v, "Determined by", "Vastgesteld door"), tr(v, "ultrasound (crown-rump length)", "echo (CRL-meting)"))]),
         ("text", tr(v, "I, the undersigned, registered midwife, declare that the woman named above is pregnant and is "
                        "in my care. Her leave may start between six and four weeks before the expected date of delivery.",
                        "Ondergetekende, verloskundige, verklaart dat bovengenoemde vrouw zwanger is en onder haar "
                        "controle staat. Het verlof kan ingaan tussen zes en vier weken vóór de vermoedelijke bevallingsdatum.")),
         ("kv", [(tr(v, "Place and date", "Plaats en datum"), f"{v.city()}, {v.date_text(day)}"),
                 (tr(v, "Midwife", "Verloskundige"), midwife), (tr(v, "BIG register", "BIG-registratie"), str(v.rng.randint(10**10, 10**11 - 1))),
                 (tr(v, "Signature", "Handtekening"), "....................................")])],
        {"name": name, "birth_date": iso(born), "date": iso(day), "sender": midwife},
    )  # fmt: skip


MONTHS_CARD = "JAN/JAN FEB/FEB MAA/MAR APR/APR MEI/MAY JUN/JUN JUL/JUL AUG/AUG SEP/SEP OKT/OCT NOV/NOV DEC/DEC".split()


def _check(text: str) -> str:
    values = [int(c) if c.isdigit() else (0 if c == "<" else ord(c) - 55) for c in text]
    return str(sum(value * (7, 3, 1)[i % 3] for i, value in enumerate(values)) % 10)


def identity_card_td1(v: Values) -> Draft:
    name, born, pn, number = v.name(), v.birth_date(), v.personal_number(), v.code(9)
    issued, sex, height = v.date(2016, 2025), v.pick("MF"), f"1,{v.rng.randint(52, 98)} m"
    expires = issued.replace(year=issued.year + 10)
    first, _, last = name.partition(" ")
    to, day = (
        v.pick(("Woonstichting De Haven", "ING Bank", "Gemeente Havenstad", "Uitzendbureau Flex")),
        v.date(2025, 2026),
    )
    card = lambda d: f"{d.day:02d} {MONTHS_CARD[d.month - 1]} {d.year}"  # noqa: E731
    digits = pn.replace(".", "")
    line1 = f"I<NLD{number}{_check(number)}{digits}".ljust(30, "<")
    line2 = f"{born:%y%m%d}{_check(f'{born:%y%m%d}')}{sex}{expires:%y%m%d}{_check(f'{expires:%y%m%d}')}NLD".ljust(
        29, "<"
    )
    line2 += _check(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    mrz = (
        unicodedata.normalize("NFKD", f"{last}<<{first}").upper().replace(" ", "<").replace("'", "")
    )
    line3 = "".join(
        c if c.isascii() and (c.isalpha() or c == "<") else "<"
        for c in mrz
        if not unicodedata.combining(c)
    ).ljust(30, "<")[:30]
    return Draft(
        [("text", tr(v, f"COPY for {to} only — {v.date_text(day)} — not valid as identification",
                        f"KOPIE alleen voor {to} — {v.date_text(day)} — niet geldig als identiteitsbewijs")),
         ("text", tr(v, "Front", "Voorzijde")),
         ("box", ["KONINKRIJK DER NEDERLANDEN  ·  KINGDOM OF THE NETHERLANDS",
                  "IDENTITEITSKAART  ·  IDENTITY CARD  ·  CARTE D'IDENTITÉ", "",
                  f"[ {tr(v, 'PASSPORT PHOTO', 'PASFOTO')} ]", f"{tr(v, 'Surname / Naam', 'Naam / Surname')}: {last}",
                  f"{tr(v, 'Given names / Voornamen', 'Voornamen / Given names')}: {first}",
                  f"{tr(v, 'Sex / Geslacht', 'Geslacht / Sex')}: {sex}   {tr(v, 'Nationality', 'Nationaliteit')}: NLD",
                  f"{tr(v, 'Date of birth', 'Geboortedatum')}: {card(born)}",
                  f"{tr(v, 'Document no.', 'Documentnummer')}: {number}   {tr(v, 'Expires', 'Geldig tot')}: {card(expires)}"]),
         ("text", tr(v, "Back", "Achterzijde")),
         ("box", [f"{tr(v, 'Personal no.', 'Persoonsnummer')}: {pn}     {tr(v, 'Height', 'Lengte')}: {height}",
                  f"{tr(v, 'Place of birth', 'Geboorteplaats')}: {v.city()}     "
                  f"{tr(v, 'Issued', 'Datum afgifte')}: {card(issued)}",
                  f"{tr(v, 'Authority', 'Autoriteit')}: {tr(v, 'Mayor of', 'Burgemeester van')} {v.city()}", "",
                  line1, line2, line3]),
         ("text", tr(v, "Made with the KopieID app: the photo is left out of this copy.",
                        "Gemaakt met de app KopieID: de pasfoto is op deze kopie weggelaten."))],
        {"name": name, "birth_date": iso(born), "personal_number": pn, "document_number": number,
         "expiry_date": iso(expires)},
    )  # fmt: skip


TEMPLATES: tuple[Template, ...] = (
    Template(
        "objection-6",
        "objection",
        Style(size=10, margin=62, head_align="center", kv_width=95, leading=1.3),
        objection_lawyer,
    ),
    Template(
        "payslip-6",
        "payslip",
        Style(size=10.5, margin=72, head_align="right", kv_width=200, title_size=15),
        payslip_benefit,
    ),
    Template(
        "invoice-6",
        "invoice",
        Style(font="Times-Roman", size=10, margin=52, kv_width=150),
        invoice_hotel,
    ),
    Template(
        "medical-certificate-6",
        "medical-certificate",
        Style(size=10.5, margin=58, head_align="right", kv_width=215, title_size=17),
        medical_pregnancy,
    ),
    Template(
        "identity-document-6",
        "identity-document",
        Style(font="Courier", size=9.5, margin=50, kv_width=120),
        identity_card_td1,
    ),
)
