"""A fifth template of bank statements, tenancy agreements, civil records, letters and "other"
documents, each worded and laid out as none of the four others of its type: a mobile-banking
printout, a yearly rent-increase proposal, an extract of a marriage or registered partnership,
a school's letter to parents and a page of a product manual."""

from __future__ import annotations

import datetime as dt

from civic.documents.training.layout import Draft, Style
from civic.documents.training.templates.base import Template, dec, iso, one_line, tr
from civic.documents.training.values import (
    EMPLOYERS,
    LANDLORDS,
    MONTHS_EN,
    MONTHS_NL,
    SUPPLIERS,
    Values,
    iban_grouped,
)

WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def _day_heading(v: Values, day: dt.date) -> str:
    weekday = (WEEKDAYS_NL if v.language == "nl" else WEEKDAYS_EN)[day.weekday()]
    month = (MONTHS_NL if v.language == "nl" else MONTHS_EN)[day.month - 1]
    return f"{weekday} {day.day} {month} {day.year}"


def _signed(v: Values, amount: float) -> str:
    return ("+ " if amount >= 0 else "− ") + v.money(abs(amount))


def bank_app(v: Values) -> Draft:
    """A printout of a mobile-banking app's transaction list: days as headings, payees with
    signed amounts, a period filter with the balance at its start and end."""
    name, iban = v.name(), v.iban()
    opening = v.amount(-250, 4500)
    balance, day, days = opening, v.date(2025, 2026), []
    for _ in range(v.rng.randint(4, 6)):
        day += dt.timedelta(days=v.rng.randint(1, 3))
        payments = []
        for _ in range(v.rng.randint(1, 3)):
            amount = v.amount(-180, -2) if v.rng.random() < 0.8 else v.amount(20, 2800)
            income = (*EMPLOYERS, "Tikkie", "Belastingdienst", "Dienst Toeslagen")
            payee = v.pick(income if amount > 0 else (*SUPPLIERS, "Albert Heijn", "Jumbo", "Lidl", "NS", "Bol.com", "Thuisbezorgd.nl"))  # fmt: skip
            payments.append((payee, amount))
            balance += amount
        days.append((day, payments))
    closing, first, last = round(balance, 2), days[0][0], days[-1][0]
    bank = v.pick(("bunq", "ING", "Rabobank", "ABN AMRO", "Knab", "SNS"))
    hour = f"{v.rng.randint(7, 23)}:{v.rng.randint(0, 59):02d}"
    blocks = [
        ("left", [f"{hour}                                       4G   {v.rng.randint(12, 99)}%"]),
        ("left", [tr(v, f"‹ Accounts                    {bank}", f"‹ Rekeningen                 {bank}")]), ("rule",),
        ("center", tr(v, "Current account", "Betaalrekening")),
        ("text", f"{name}\n{iban_grouped(iban)}"),
        ("kv", [(tr(v, "Period", "Periode"), f"{v.date_text(first)} – {v.date_text(last)}"),
                (tr(v, "Balance at start", "Saldo begin"), v.money(opening)),
                (tr(v, "Balance at end", "Saldo eind"), v.money(closing))]),
        ("rule",),
    ]  # fmt: skip
    for when, payments in days:
        blocks += [
            ("text", _day_heading(v, when)),
            ("kv", [(p, _signed(v, a)) for p, a in payments]),
        ]
    blocks += [("rule",), ("text", tr(v, "Search   ·   Filter   ·   Export PDF", "Zoeken   ·   Filter   ·   PDF exporteren"))]  # fmt: skip
    return Draft(
        blocks,
        {"name": name, "iban": iban, "opening_balance": dec(opening), "closing_balance": dec(closing),
         "start_date": iso(first), "end_date": iso(last), "sender": bank},
    )  # fmt: skip


def rent_increase(v: Values) -> Draft:
    """A housing association's yearly rent-increase proposal under a running lease."""
    landlord, tenant, address = v.pick(LANDLORDS), v.name(), v.address()
    started = v.date(2008, 2023).replace(day=1)
    year = v.rng.randint(2024, 2026)
    effective = dt.date(year, 7, 1)
    percent = v.pick((2.8, 3.1, 4.1, 4.5, 5.0, 5.5))
    old = v.amount(480, 1100)
    new = round(old * (1 + percent / 100), 2)
    service = v.amount(12, 65)
    written = dt.date(year, 4, v.rng.randint(20, 30))
    contract = f"{v.rng.randint(100, 999)}.{v.rng.randint(1000, 9999)}"
    pct = f"{percent:.1f}".replace(".", ",") if v.language == "nl" else f"{percent:.1f}"
    return Draft(
        [("head", landlord, [one_line(v.address()), tr(v, "Tenant services", "Huurdersservice") + f" · {v.faker.phone_number()}"]),
         ("left", [tenant, address["street"], f"{address['postcode']} {address['city']}"]),
         ("kv", [(tr(v, "Date", "Datum"), v.date_text(written)), (tr(v, "Contract number", "Contractnummer"), contract),
                 (tr(v, "Subject", "Onderwerp"), tr(v, f"Rent increase proposal {year}", f"Voorstel huurverhoging {year}"))]),
         ("text", tr(v, f"Dear {tenant},", f"Beste {tenant},")),
         ("text", tr(v, f"Every year we review the rent of our homes. Under your lease, which started on {v.date_text(started)}, "
                        f"we propose to raise the basic rent of your home by {pct}% from {v.date_text(effective)}. "
                        "Below you can see what this means for you.",
                        f"Elk jaar kijken wij naar de huur van onze woningen. Op grond van uw huurovereenkomst, ingegaan op "
                        f"{v.date_text(started)}, stellen wij voor de kale huur van uw woning per {v.date_text(effective)} "
                        f"met {pct}% te verhogen. Hieronder ziet u wat dit voor u betekent.")),
         ("table", ["", tr(v, "Now", "Nu"), tr(v, f"From 1 July {year}", f"Per 1 juli {year}")],
          [[tr(v, "Basic rent", "Kale huur"), v.money(old), v.money(new)],
           [tr(v, "Service charges (advance)", "Servicekosten (voorschot)"), v.money(service), v.money(service)],
           [tr(v, "Total per month", "Totaal per maand"), v.money(old + service), v.money(new + service)]]),
         ("text", tr(v, "Do you disagree with this proposal? Then object in writing before the date it takes effect. "
                        "If we cannot agree, you can ask the Rent Tribunal (Huurcommissie) to decide. If you pay by "
                        "direct debit, we will collect the new amount automatically.",
                        "Bent u het niet eens met dit voorstel? Maak dan vóór de ingangsdatum schriftelijk bezwaar. "
                        "Komen wij er samen niet uit, dan kunt u de Huurcommissie om een uitspraak vragen. Betaalt u via "
                        "automatische incasso, dan schrijven wij het nieuwe bedrag vanzelf af.")),
         ("text", tr(v, "Kind regards,", "Met vriendelijke groet,")),
         ("text", f"{v.name()}\n{tr(v, 'Rent and service charges team', 'Team huur en servicekosten')}")],
        {"landlord": landlord, "name": tenant, "address": one_line(address), "rent_amount": dec(new),
         "start_date": iso(started)},
    )  # fmt: skip


def _partner(v: Values) -> dict:
    return {"name": v.name(), "born": v.birth_date(), "place": v.city(), "pn": v.personal_number()}


def marriage_extract(v: Values) -> Draft:
    """An extract of a marriage or registered-partnership record: the two partners in blocks
    of their own, then the date, place and record of the ceremony."""
    one, two, place = _partner(v), _partner(v), v.city()
    partnership = v.rng.random() < 0.35
    wed = max(one["born"], two["born"]) + dt.timedelta(days=365 * v.rng.randint(19, 40))
    wed = min(wed, dt.date(2026, 6, 30))
    issued = v.date_text(max(v.date(), wed + dt.timedelta(days=v.rng.randint(3, 60))))
    number = f"{place[:2].upper()}-{'P' if partnership else 'H'}{v.rng.randint(10, 99)}/{wed.year}"
    kind = (
        tr(v, "registered partnership", "geregistreerd partnerschap")
        if partnership
        else tr(v, "marriage", "huwelijk")
    )
    blocks = [
        ("box", [tr(v, f"Municipality of {place} — civil registry", f"Gemeente {place} — burgerlijke stand"),
                 tr(v, f"EXTRACT FROM THE RECORD OF A {kind.upper()}", f"UITTREKSEL UIT DE AKTE VAN {kind.upper()}")]),
        ("kv", [(tr(v, "Record number", "Aktenummer"), number), (tr(v, "Register", "Register"), tr(v, f"{kind.capitalize()}s {wed.year}", f"{'Partnerschappen' if partnership else 'Huwelijken'} {wed.year}"))]),
    ]  # fmt: skip
    for i, p in enumerate((one, two), 1):
        blocks += [
            ("text", f"{tr(v, 'Partner', 'Partner')} {i}"), ("rule",),
            ("kv", [(tr(v, "Name", "Naam"), p["name"]), (tr(v, "Personal number", "BSN"), p["pn"]),
                    (tr(v, "Date of birth", "Geboortedatum"), v.date_text(p["born"])),
                    (tr(v, "Place of birth", "Geboorteplaats"), p["place"])]),
        ]  # fmt: skip
    blocks += [
        ("text", tr(v, "Registration", "Voltrekking")), ("rule",),
        ("kv", [(tr(v, "Date", "Datum"), v.date_text(wed)), (tr(v, "Place", "Plaats"), place),
                (tr(v, "Property regime", "Huwelijksgoederenregime"), v.pick((tr(v, "no prenuptial agreement", "geen huwelijkse voorwaarden"), tr(v, "prenuptial agreement", "huwelijkse voorwaarden"))))]),
        ("text", tr(v, f"This extract shows the particulars of the record on the date of issue. {place}, {issued}.",
                       f"Dit uittreksel vermeldt de gegevens van de akte op de datum van afgifte. {place}, {issued}.")),
        ("text", tr(v, "The registrar of civil status,\n(seal)", "De ambtenaar van de burgerlijke stand,\n(stempel)")),
    ]  # fmt: skip
    return Draft(
        blocks,
        {"name": one["name"], "personal_number": one["pn"], "birth_date": iso(one["born"]), "place": place,
         "document_number": number},
    )  # fmt: skip


def letter_school(v: Values) -> Draft:
    """A primary school's letter to a pupil's parents about a school trip, with a reply slip."""
    school = v.pick(("Basisschool De Regenboog", "OBS Het Kompas", "CBS De Wegwijzer", "Montessorischool Oost", "Kindcentrum De Sterrenberg"))  # fmt: skip
    parent, address, day = v.name(), v.address(), v.date()
    child = f"{v.faker.first_name()} {parent.split()[-1]}"
    group, trip = v.rng.randint(3, 8), day + dt.timedelta(days=v.rng.randint(14, 40))
    cost = v.pick((7.5, 12.5, 15.0, 17.5, 25.0))
    place = v.pick(("Naturalis", "NEMO", "Archeon", "Apenheul", "Het Openluchtmuseum"))
    return Draft(
        [("head", school, [one_line(v.address()), f"info@{school.split()[-1].lower()}.example"]),
         ("left", [tr(v, f"To the parent(s)/carer(s) of {child}", f"Aan de ouder(s)/verzorger(s) van {child}"),
                   parent, address["street"], f"{address['postcode']} {address['city']}"]),
         ("text", f"{address['city']}, {v.date_text(day)}"),
         ("text", tr(v, f"Re: school trip group {group}", f"Betreft: schoolreis groep {group}")),
         ("text", tr(v, "Dear parents and carers,", "Beste ouders en verzorgers,")),
         ("text", tr(v, f"On {v.date_text(trip)} group {group} goes on its school trip to {place}. We leave school by coach at "
                        f"8:30 and expect to be back around 16:00. The parents' contribution is {v.money(cost)}; you can "
                        "pay it to the teacher or through the school app.",
                        f"Op {v.date_text(trip)} gaat groep {group} op schoolreis naar {place}. We vertrekken om 8.30 uur "
                        f"met de bus vanaf school en zijn rond 16.00 uur terug. De ouderbijdrage is {v.money(cost)}; u kunt "
                        "die aan de leerkracht geven of betalen via de schoolapp.")),
         ("text", tr(v, "Please give your child a packed lunch, a drink and clothes suited to the weather. Does your child use "
                        "medicine? Tell the teacher before the trip. We are still looking for two parents to come along.",
                        "Geef uw kind een lunchpakket, drinken en kleding die past bij het weer mee. Gebruikt uw kind "
                        "medicijnen? Meld het dan vóór de schoolreis bij de leerkracht. We zoeken nog twee ouders die "
                        "willen meegaan.")),
         ("text", tr(v, "With kind regards, on behalf of the team,", "Met vriendelijke groet, namens het team,")),
         ("text", f"{v.name()}\n{tr(v, 'Head teacher', 'Directeur')}"),
         ("text", "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -"),
         ("text", tr(v, f"Reply slip — please return by {v.date_text(trip - dt.timedelta(days=7))}",
                        f"Strookje — graag inleveren vóór {v.date_text(trip - dt.timedelta(days=7))}")),
         ("text", tr(v, "Name of child: .............................  Group: ....\n"
                        "[ ] My child joins the trip      [ ] I would like to come along as a parent\n"
                        "Signature parent/carer: .............................",
                        "Naam kind: .............................  Groep: ....\n"
                        "[ ] Mijn kind gaat mee op schoolreis      [ ] Ik ga graag mee als begeleider\n"
                        "Handtekening ouder/verzorger: ............................."))],
        {"sender": school, "name": parent, "address": one_line(address), "date": iso(day)},
    )  # fmt: skip


def other_manual(v: Values) -> Draft:
    """A page of a household appliance's instruction manual: numbered steps, a safety box and
    a troubleshooting table."""
    brand = v.pick(("Korona", "Inventum", "Princess", "Tristar", "Bestron", "Domo"))
    model = f"{v.code(2)}-{v.rng.randint(100, 990)}"
    page = v.rng.randint(4, 19)
    return Draft(
        [("text", f"{brand}  ·  {model}  ·  {tr(v, 'Electric kettle 1.7 L', 'Waterkoker 1,7 L')}"), ("rule",),
         ("title", tr(v, "4  Using the kettle", "4  Gebruik van de waterkoker")),
         ("box", [tr(v, "WARNING — Never immerse the appliance, the base or the cord in water. Do not open the lid while "
                        "the water is boiling: risk of scalding.",
                        "WAARSCHUWING — Dompel het apparaat, de voet of het snoer nooit onder in water. Open het deksel "
                        "niet terwijl het water kookt: gevaar voor verbranding.")]),
         ("text", tr(v, "4.1  Fill the kettle through the spout or the open lid, between the MIN (0.5 L) and MAX (1.7 L) marks.\n"
                        "4.2  Place the kettle on the base and put the plug in the socket.\n"
                        "4.3  Press the switch down (I). The indicator light comes on.\n"
                        "4.4  The kettle switches off by itself when the water boils. Lift it from the base to pour.",
                        "4.1  Vul de waterkoker via de tuit of het geopende deksel tot tussen MIN (0,5 L) en MAX (1,7 L).\n"
                        "4.2  Plaats de waterkoker op de voet en steek de stekker in het stopcontact.\n"
                        "4.3  Druk de schakelaar omlaag (I). Het controlelampje gaat branden.\n"
                        "4.4  De waterkoker schakelt vanzelf uit als het water kookt. Neem hem van de voet om te schenken.")),
         ("title", tr(v, "5  Cleaning and descaling", "5  Reinigen en ontkalken")),
         ("text", tr(v, "Descale every month in areas with hard water. Fill the kettle with equal parts of water and "
                        "cleaning vinegar, let it stand overnight and rinse it several times with clean water.",
                        "Ontkalk elke maand in gebieden met hard water. Vul de waterkoker met gelijke delen water en "
                        "schoonmaakazijn, laat dit een nacht staan en spoel daarna enkele keren na met schoon water.")),
         ("title", tr(v, "6  Technical data", "6  Technische gegevens")),
         ("kv", [(tr(v, "Voltage", "Spanning"), "220–240 V ~ 50/60 Hz"), (tr(v, "Power", "Vermogen"), f"{v.pick((1850, 2000, 2200, 2400))} W"),
                 (tr(v, "Capacity", "Inhoud"), "1,7 L" if v.language == "nl" else "1.7 L"), (tr(v, "Cord length", "Snoerlengte"), "75 cm")]),
         ("title", tr(v, "7  Troubleshooting", "7  Problemen oplossen")),
         ("table", [tr(v, "Problem", "Probleem"), tr(v, "Solution", "Oplossing")],
          [[tr(v, "Kettle does not switch on", "Waterkoker gaat niet aan"), tr(v, "Check the plug", "Controleer stekker")],
           [tr(v, "Switches off too early", "Schakelt te vroeg uit"), tr(v, "Descale the kettle", "Waterkoker ontkalken")],
           [tr(v, "White flakes in water", "Witte vlokjes in water"), tr(v, "Descale; harmless", "Ontkalken; onschadelijk")]]),
         ("text", tr(v, f"Warranty: {brand} gives a two-year guarantee from the date of purchase. Keep your receipt. Service and "
                        f"spare parts: www.{brand.lower()}.example/service.",
                        f"Garantie: {brand} geeft twee jaar garantie vanaf de aankoopdatum. Bewaar uw kassabon. Service en "
                        f"onderdelen: www.{brand.lower()}.example/service.")),
         ("gap", 250),
         ("left", [f"{page}                                                                                              {brand} {model}  ·  NL / EN  ·  v{v.rng.randint(1, 4)}.{v.rng.randint(0, 9)}"])],
        {"sender": brand},
    )  # fmt: skip


TEMPLATES: tuple[Template, ...] = (
    Template("bank-statement-5", "bank-statement", Style(margin=150, size=9.5, kv_width=175), bank_app),
    Template("tenancy-agreement-5", "tenancy-agreement", Style(head_align="center", margin=70, kv_width=130), rent_increase),
    Template("civil-record-5", "civil-record", Style(font="Helvetica", size=10, kv_width=160, margin=75), marriage_extract),
    Template("letter-5", "letter", Style(head_align="right", size=10, margin=66, leading=1.45), letter_school),
    Template("other-5", "other", Style(size=9.5, margin=48, title_size=13, leading=1.3), other_manual),
)  # fmt: skip
