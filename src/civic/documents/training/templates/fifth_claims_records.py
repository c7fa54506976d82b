"""A fifth template of objections, payslips, invoices, medical certificates and identity
documents (English and Dutch), each worded and laid out as none of the other four of its type:
an objection sent as an e-mail, a payroll bureau's coded pay slip, a webshop's order invoice, a
physiotherapist's statement of treatment and a municipality's certified copy of a passport."""

from __future__ import annotations

import datetime as dt
import re

from civic.documents.training.layout import Draft, Style
from civic.documents.training.templates.base import Template, dec, iso, one_line, tr
from civic.documents.training.values import AUTHORITIES, EMPLOYERS, Values

ABBR_EN = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
ABBR_NL = "JAN FEB MRT APR MEI JUN JUL AUG SEP OKT NOV DEC".split()


def _mail(name: str, domain: str) -> str:
    return re.sub(r"[^a-z.]", "", name.lower().replace(" ", ".")) + "@" + domain


def objection_email(v: Values) -> Draft:
    name, address, pn = v.name(), v.address(), v.personal_number()
    day, ref, body = v.date(), v.reference(), v.pick(AUTHORITIES)
    decided = day - dt.timedelta(days=v.rng.randint(2, 40))
    inbox = "bezwaar@" + body.lower().replace("gemeente ", "").replace(" ", "") + ".nl"
    own = _mail(name, v.pick(("gmail.com", "ziggo.nl", "kpnmail.nl", "hotmail.com", "xs4all.nl")))
    phone = f"06-{v.rng.randint(10000000, 99999999)}"
    return Draft(
        [("text", name), ("rule",),
         ("kv", [(tr(v, "From:", "Van:"), f"{name} <{own}>"), (tr(v, "Date:", "Datum:"), f"{v.date_text(day)} {v.rng.randint(8, 22)}:{v.rng.randint(0, 59):02d}"),
                 (tr(v, "To:", "Aan:"), f"{body} <{inbox}>"),
                 (tr(v, "Subject:", "Onderwerp:"), tr(v, f"Pro forma objection, reference {ref}", f"Pro forma bezwaar, kenmerk {ref}")),
                 (tr(v, "Attachment:", "Bijlage:"), tr(v, "decision.pdf", "besluit.pdf"))]),
         ("rule",),
         ("text", tr(v, f"Dear Sir or Madam,\n\nWith this e-mail I lodge a pro forma objection to your decision of {v.date_text(decided)} "
                        f"(reference {ref}), which I have attached. I need a little more time to set out why I disagree with it: "
                        "I will send the grounds within four weeks. I would also like to be heard.\n\n"
                        "Could you confirm by e-mail that you have received this objection? If you need a signed copy on paper, "
                        "please let me know.",
                        f"Geachte heer/mevrouw,\n\nMet deze e-mail maak ik pro forma bezwaar tegen uw besluit van {v.date_text(decided)} "
                        f"(kenmerk {ref}); het besluit stuur ik als bijlage mee. Ik heb wat meer tijd nodig om uit te leggen waarom ik "
                        "het er niet mee eens ben: de gronden stuur ik binnen vier weken na. Ook wil ik graag worden gehoord.\n\n"
                        "Wilt u per e-mail bevestigen dat u dit bezwaar heeft ontvangen? Als u een ondertekend exemplaar op papier "
                        "nodig heeft, hoor ik dat graag.")),
         ("text", tr(v, f"My details: citizen service number {pn}, {one_line(address)}, phone {phone}.",
                        f"Mijn gegevens: BSN {pn}, {one_line(address)}, telefoon {phone}.")),
         ("text", tr(v, f"Kind regards,\n{name}", f"Met vriendelijke groet,\n{name}")),
         ("gap", 10), ("text", tr(v, "Sent from my phone", "Verzonden vanaf mijn telefoon"))],
        {"sender": name, "address": one_line(address), "personal_number": pn, "case_reference": ref, "date": iso(day),
         "decision_date": iso(decided), "addressee": body},
    )  # fmt: skip


def payslip_bureau(v: Values) -> Draft:
    name, address, pn, iban = v.name(), v.address(), v.personal_number(), v.iban()
    employer, month = v.pick(EMPLOYERS), v.date(2024, 2026)
    base, shift = v.amount(1700, 4400), v.amount(40, 420)
    gross = round(base + shift, 2)
    pension = round(gross * v.rng.uniform(0.04, 0.08), 2)
    tax = round((gross - pension) * v.rng.uniform(0.07, 0.2), 2)
    travel = v.amount(20, 140)
    net = round(gross - pension - tax, 2)
    paid = round(net + travel, 2)
    m, hours = v.money, v.rng.randint(24, 38)
    pay_day = dt.date(month.year, month.month, v.rng.randint(20, 27))
    bureau = v.pick(
        (
            "Loonbureau Noord",
            "Salarisbureau Van Leeuwen",
            "PayCheck Administratie",
            "Loonadvies Havenstad",
        )
    )
    return Draft(
        [("left", [employer, tr(v, "Payroll tax number", "Loonheffingennummer") + f" {v.rng.randint(10**8, 10**9 - 1)}L01",
                   tr(v, f"Payroll processed by {bureau}", f"Salarisverwerking door {bureau}")]),
         ("right", [name, address["street"], f"{address['postcode']} {address['city']}"]),
         ("center", tr(v, f"Pay slip {v.month_text(month)}", f"Loonstrook {v.month_text(month)}")),
         ("kv", [(tr(v, "Staff no.", "Personeelsnr."), str(v.rng.randint(100, 9999))), ("BSN", pn),
                 (tr(v, "Position", "Functie"), v.pick(("Medewerker logistiek", "Verzorgende IG", "Administratief medewerker", "Monteur"))),
                 (tr(v, "Scale / step", "Schaal / trede"), f"{v.rng.randint(3, 10)} / {v.rng.randint(1, 12)}"),
                 (tr(v, "Contract hours", "Contracturen"), tr(v, f"{hours} a week", f"{hours} per week"))]),
         ("table", [tr(v, "Code  Item", "Code  Looncomponent"), "SV", tr(v, "Tax", "LH"), tr(v, "Amount", "Bedrag")],
          [[tr(v, "1000  Monthly salary", "1000  Maandsalaris"), "+", "+", m(base)],
           [tr(v, "1130  Shift allowance", "1130  Toeslag onregelmatig"), "+", "+", m(shift)],
           [tr(v, "Gross wage", "Totaal bruto"), "", "", m(gross)],
           [tr(v, "3010  Pension fund", "3010  Pensioenfonds"), "", "-", m(-pension)],
           [tr(v, "4000  Wage tax (green table)", "4000  Loonheffing (groene tabel)"), "", "", m(-tax)],
           [tr(v, "Net wage", "Netto loon"), "", "", m(net)],
           [tr(v, "6200  Travel allowance, untaxed", "6200  Reiskosten onbelast"), "", "", m(travel)]]),
         ("kv", [(tr(v, "To be paid", "Uit te betalen"), m(paid)), (tr(v, "Account", "Rekening"), iban),
                 (tr(v, "Payment date", "Betaaldatum"), v.date_text(pay_day))]),
         ("rule",),
         ("text", tr(v, "SV = counts for social insurance, Tax = counts for wage tax. Questions about this slip? "
                        f"Contact {bureau}, not the bank.",
                        "SV = telt mee voor de sociale verzekeringen, LH = telt mee voor de loonheffing. Vragen over deze strook? "
                        f"Neem contact op met {bureau}, niet met de bank."))],
        {"name": name, "address": one_line(address), "personal_number": pn, "employer": employer,
         "period": month.strftime("%Y-%m"), "gross_amount": dec(gross), "net_amount": dec(net), "iban": iban},
    )  # fmt: skip


SHOPS = ("Fietsonderdelen24.nl", "Koffiehuis Online", "De Toverdoos Speelgoed", "TechStore Havenstad",
         "Wonenonline.nl", "Boekhandel Bladwijzer")  # fmt: skip
PRODUCTS = (("Bicycle lamp set LED", "Fietsverlichting set LED"), ("Coffee beans 1 kg", "Koffiebonen 1 kg"),
            ("Wooden train set", "Houten treinbaan"), ("USB-C charger 65 W", "USB-C lader 65 W"),
            ("Cushion cover 45x45", "Kussenhoes 45x45"), ("Paperback novel", "Paperback roman"),
            ("Phone case", "Telefoonhoesje"), ("Bicycle lock", "Fietsslot"), ("Desk lamp", "Bureaulamp"))  # fmt: skip


def invoice_webshop(v: Values) -> Draft:
    shop, customer, address, day, iban = v.pick(SHOPS), v.name(), v.address(), v.date(), v.iban()
    rows, total = [], 0.0
    for en, nl in v.rng.sample(PRODUCTS, k=v.rng.randint(1, 4)):
        qty, price = v.rng.randint(1, 3), v.amount(4, 90)
        total += qty * price
        rows.append([tr(v, en, nl), str(qty), v.money(price), v.money(qty * price)])
    shipping = v.pick((0.0, 3.95, 4.95, 6.95))
    total = round(total + shipping, 2)
    vat = round(total - total / 1.21, 2)
    order, number = (
        str(v.rng.randint(10**7, 10**8 - 1)),
        f"INV{day.year}{v.rng.randint(10**5, 10**6 - 1)}",
    )
    return Draft(
        [("head", shop, [tr(v, "Thank you for your order!", "Bedankt voor je bestelling!")]),
         ("kv", [(tr(v, "Invoice no.", "Factuurnr."), number), (tr(v, "Order no.", "Bestelnr."), order),
                 (tr(v, "Order date", "Besteldatum"), v.date_text(day)),
                 (tr(v, "Paid with", "Betaald met"), v.pick(("iDEAL", "Klarna", "PayPal", "Visa")))]),
         ("left", [tr(v, "Delivery address", "Bezorgadres"), customer, address["street"], f"{address['postcode']} {address['city']}"]),
         ("table", [tr(v, "Product", "Artikel"), tr(v, "Qty", "Aantal"), tr(v, "Unit price", "Stukprijs"), tr(v, "Total", "Totaal")],
          [*rows, [tr(v, "Shipping", "Verzendkosten"), "", "", v.money(shipping) if shipping else tr(v, "free", "gratis")]]),
         ("kv", [(tr(v, "Total incl. VAT", "Totaal incl. btw"), v.money(total)), (tr(v, "of which VAT 21%", "waarvan btw 21%"), v.money(vat)),
                 (tr(v, "Status", "Status"), tr(v, "paid, nothing left to pay", "betaald, je hoeft niets meer te doen"))]),
         ("text", tr(v, "Not happy with an item? You may return it within 14 days of delivery via My account > Returns.",
                        "Niet tevreden? Je mag een artikel binnen 14 dagen na levering retourneren via Mijn account > Retouren.")),
         ("rule",),
         ("text", f"{shop}  ·  {one_line(v.address())}  ·  KvK {v.rng.randint(10**7, 10**8 - 1)}  ·  "
                  f"{tr(v, 'VAT', 'btw')} NL{v.code(9)}B01  ·  IBAN {iban}")],
        {"sender": shop, "name": customer, "date": iso(day), "invoice_number": number, "iban": iban,
         "total_amount": dec(total)},
    )  # fmt: skip


def medical_physio(v: Values) -> Draft:
    name, born, therapist, gp = v.name(), v.birth_date(), v.name(), v.name()
    start = v.date()
    sessions = sorted(
        {start + dt.timedelta(days=v.rng.randint(3, 60)) for _ in range(v.rng.randint(3, 6))}
    )
    days, end = [start, *sessions], sessions[-1]
    day = end + dt.timedelta(days=v.rng.randint(0, 10))
    practice = v.pick(("Fysiotherapie De Beweging", "Fysio Kerkplein", "Praktijk voor Fysiotherapie Oost",
                       "FysioFit Havenstad"))  # fmt: skip
    kinds = (("Exercise therapy", "Oefentherapie"), ("Manual therapy", "Manuele therapie"),
             ("Massage and mobilisation", "Massage en mobilisatie"))  # fmt: skip
    rows = [[f"{d:%d-%m-%Y}", tr(v, *v.pick(kinds)), v.pick(("25 min", "30 min"))] for d in days]
    rows[0][1] = tr(v, "Intake and examination", "Intake en onderzoek")
    return Draft(
        [("head", practice, [one_line(v.address()), tr(v, "Physiotherapy and exercise therapy", "Fysiotherapie en oefentherapie")]),
         ("right", [f"{v.city()}, {v.date_text(day)}"]),
         ("title", tr(v, "Statement of treatment", "Behandelverklaring")),
         ("kv", [(tr(v, "Client", "Cliënt"), name), (tr(v, "Date of birth", "Geboortedatum"), v.date_text(born)),
                 (tr(v, "Referred by", "Verwijzer"), tr(v, f"{gp}, general practitioner", f"{gp}, huisarts")),
                 (tr(v, "Treatment period", "Behandelperiode"), tr(v, f"{v.date_text(start)} to {v.date_text(end)}",
                                                                       f"{v.date_text(start)} t/m {v.date_text(end)}"))]),
         ("text", tr(v, f"{name} has been treated in our practice for complaints of the musculoskeletal system. "
                        "The treatment has ended. At the client's request we list the sessions below:",
                        f"{name} is in onze praktijk behandeld voor klachten van het bewegingsapparaat. "
                        "De behandeling is afgesloten. Op verzoek van de cliënt volgt hieronder een overzicht van de behandelingen:")),
         ("table", [tr(v, "Date", "Datum"), tr(v, "Treatment", "Behandeling"), tr(v, "Duration", "Duur")], rows),
         ("text", tr(v, "The nature of the complaints is not stated, in keeping with professional confidentiality.",
                        "De aard van de klachten wordt niet vermeld in verband met het beroepsgeheim.")),
         ("gap", 14), ("text", f"{therapist}\n{tr(v, 'physiotherapist', 'fysiotherapeut')}, BIG {v.rng.randint(10**10, 10**11 - 1)}")],
        {"name": name, "birth_date": iso(born), "date": iso(day), "sender": therapist, "start_date": iso(start),
         "end_date": iso(end)},
    )  # fmt: skip


def identity_certified(v: Values) -> Draft:
    name, born, pn, number = v.name(), v.birth_date(), v.personal_number(), v.code(9)
    issued, city = v.date(2016, 2025), v.city()
    shown = issued + dt.timedelta(days=v.rng.randint(30, 3000))
    expires = issued.replace(year=issued.year + 10)
    first, _, last = name.partition(" ")
    abbr = ABBR_NL if v.language == "nl" else ABBR_EN

    def card(d: dt.date) -> str:
        return f"{d.day:02d} {abbr[d.month - 1]} {d.year}"

    return Draft(
        [("head", f"{tr(v, 'Municipality of', 'Gemeente')} {city}", [tr(v, "Civil affairs desk", "Burgerzaken, publiekszaken")]),
         ("title", tr(v, "Certified copy of an identity document", "Gewaarmerkte kopie van een identiteitsbewijs")),
         ("box", ["KONINKRIJK DER NEDERLANDEN — PASPOORT — P — NLD",
                  f"{tr(v, 'Document no.', 'Documentnr.')} {number}",
                  f"{last.upper()}  {first.upper()}",
                  f"{tr(v, 'Date of birth', 'Geboortedatum')} {card(born)}  {v.city()}",
                  f"{tr(v, 'Sex', 'Geslacht')} {v.pick(tr(v, 'MF', 'MV'))}",
                  f"{tr(v, 'Personal no.', 'Persoonsnr.')} {pn}",
                  f"{tr(v, 'Issued', 'Afgifte')} {card(issued)}   {tr(v, 'Expires', 'Geldig tot')} {card(expires)}",
                  f"{tr(v, 'Authority', 'Autoriteit')} {tr(v, 'Mayor of', 'Burgemeester van')} {v.city()}"]),
         ("text", tr(v, f"The undersigned, civil servant of the municipality of {city}, declares that the above is a true copy "
                        f"of the data page of the passport of {name}, shown to the desk in person by its holder on {v.date_text(shown)}.",
                        f"Ondergetekende, ambtenaar van de gemeente {city}, verklaart dat het bovenstaande een gelijkluidend afschrift "
                        f"is van de persoonsgegevenspagina van het paspoort ten name van {name}, dat de houder op {v.date_text(shown)} "
                        "persoonlijk aan de balie heeft getoond.")),
         ("kv", [(tr(v, "Purpose", "Doel"), v.pick((tr(v, "Application abroad", "Aanvraag buitenland"), tr(v, "Notary", "Notaris")))),
                 (tr(v, "Fee", "Leges"), v.money(v.pick((7.45, 9.80, 12.30)))), (tr(v, "Register no.", "Registernr."), v.reference("W"))]),
         ("text", tr(v, "On behalf of the mayor,", "Namens de burgemeester,")), ("gap", 18),
         ("text", f"{v.name()}\n{tr(v, '(stamp of the municipality)', '(stempel van de gemeente)')}")],
        {"name": name, "birth_date": iso(born), "personal_number": pn, "document_number": number,
         "expiry_date": iso(expires)},
    )  # fmt: skip


TEMPLATES: tuple[Template, ...] = (
    Template("objection-5", "objection", Style(size=10, margin=50, kv_width=80), objection_email),
    Template("payslip-5", "payslip", Style(size=9, margin=48, kv_width=120), payslip_bureau),
    Template(
        "invoice-5", "invoice", Style(size=9.5, head_align="center", kv_width=140), invoice_webshop
    ),
    Template(
        "medical-certificate-5",
        "medical-certificate",
        Style(size=10, margin=70, head_align="left", kv_width=130, title_size=14),
        medical_physio,
    ),
    Template(
        "identity-document-5",
        "identity-document",
        Style(font="Helvetica", size=10, margin=55, head_align="right", kv_width=110),
        identity_certified,
    ),
)
