"""A sixth template of bank statements, tenancy agreements, civil records, letters and "other"
documents, each worded and laid out as none of the five others of its type: a credit-card
statement, a lease of a garage box, a deed of recognition of a child, a resident's complaint
about a neighbour's noise with a log of the nights, and a bus timetable."""

from __future__ import annotations

import datetime as dt

from civic.documents.training.layout import Draft, Style
from civic.documents.training.templates.base import Template, dec, iso, one_line, tr
from civic.documents.training.values import LANDLORDS, SUPPLIERS, Values


def _card(v: Values) -> str:
    return f"{v.pick(('4', '5'))}{v.rng.randint(100, 999)} •••• •••• {v.rng.randint(1000, 9999)}"


def bank_credit_card(v: Values) -> Draft:
    """A credit-card statement: a boxed summary, the card's purchases with foreign currency and
    the sum collected from the holder's current account."""
    issuer = v.pick(("International Card Services", "ICS Visa World Card", "ABN AMRO Creditcard", "Rabo CreditCard"))  # fmt: skip
    name, iban, card = v.name(), v.iban(), _card(v)
    end = v.date(2025, 2026)
    start = end - dt.timedelta(days=v.rng.randint(28, 30))
    opening = v.amount(40, 1900)
    shops = (
        *SUPPLIERS,
        "Booking.com",
        "Amazon EU",
        "Shell",
        "KLM",
        "Zalando",
        "Hotel Ibis Paris",
        "Ryanair",
    )
    dated, owed, day = [], opening, start
    paid, paid_on = round(opening, 2), start + dt.timedelta(days=v.rng.randint(2, 9))
    dated.append((paid_on, [f"{paid_on:%d-%m}  " + tr(v, "Your payment, thank you", "Uw betaling, dank u"), "", "", v.money(paid)]))  # fmt: skip
    owed -= paid
    for _ in range(v.rng.randint(6, 11)):
        day += dt.timedelta(days=v.rng.randint(1, 3))
        amount, shop = v.amount(4, 420), v.pick(shops)
        foreign = f"USD {amount * 1.08:.2f}" if v.rng.random() < 0.2 else ""
        dated.append((day, [f"{day:%d-%m}  {shop}", foreign, v.money(amount), ""]))
        owed += amount
    rows = [row for _, row in sorted(dated, key=lambda pair: pair[0])]
    closing = round(owed, 2)
    minimum = max(round(closing * 0.05, 2), min(closing, 25.0))
    collect = v.date_text(end + dt.timedelta(days=21))
    return Draft(
        [("text", f"{issuer}   ·   {tr(v, 'Credit card statement', 'Creditcardoverzicht')}"), ("rule",),
         ("box", [f"{tr(v, 'Previous balance', 'Vorig saldo')}: {v.money(opening)}        "
                  f"{tr(v, 'New balance', 'Nieuw saldo')}: {v.money(closing)}",
                  f"{tr(v, 'Minimum to pay', 'Minimaal te betalen')}: {v.money(minimum)}        "
                  f"{tr(v, 'Collected on', 'Incasso op')}: {collect}"]),
         ("kv", [(tr(v, "Card holder", "Kaarthouder"), name), (tr(v, "Card number", "Kaartnummer"), card),
                 (tr(v, "Statement period", "Periode"), f"{v.date_text(start)} {tr(v, 'to', 't/m')} {v.date_text(end)}"),
                 (tr(v, "Spending limit", "Bestedingslimiet"), v.money(v.pick((1000, 2500, 5000)))),
                 (tr(v, "Collected from account", "Af te schrijven van"), iban)]),
         ("table", [tr(v, "Date  Description", "Datum  Omschrijving"), tr(v, "Foreign", "Vreemde valuta"), tr(v, "Debit", "Af"), tr(v, "Credit", "Bij")], rows),
         ("text", tr(v, "You pay the full new balance by direct debit unless you have chosen to pay in instalments. On "
                        "the part you do not pay we charge 14% interest a year. Purchases in other currencies are "
                        "converted at the rate of the day plus a 2% surcharge.",
                        "U betaalt het volledige nieuwe saldo via automatische incasso, tenzij u voor gespreide "
                        "betaling heeft gekozen. Over het niet betaalde deel berekenen wij 14% rente per jaar. "
                        "Aankopen in vreemde valuta rekenen wij om tegen de dagkoers plus 2% opslag.")),
         ("text", tr(v, "Card lost or stolen? Block it at once in the app or call +31 20 660 0611, day and night.",
                        "Kaart kwijt of gestolen? Blokkeer hem direct in de app of bel +31 20 660 0611, dag en nacht."))],
        {"name": name, "iban": iban, "opening_balance": dec(opening), "closing_balance": dec(closing),
         "start_date": iso(start), "end_date": iso(end), "sender": issuer},
    )  # fmt: skip


def tenancy_garage(v: Values) -> Draft:
    """A form lease of a garage box or parking space: parties and the object in lettered
    sections, tick boxes, short conditions and the first payment in a table."""
    landlord = v.pick((*LANDLORDS, "Parkeerbeheer Centrum B.V.", "Q-Park Verhuur"))
    tenant, home, place, iban = v.name(), v.address(), v.address(), v.iban()
    start = v.date(2019, 2026).replace(day=v.pick((1, 15)))
    rent, deposit = v.amount(55, 190), v.pick((100.0, 150.0, 250.0))
    box = v.rng.randint(1, 80)
    garage = v.rng.random() < 0.6
    tick = ("[X]", "[  ]") if garage else ("[  ]", "[X]")
    number = f"GB-{v.rng.randint(1000, 9999)}"
    return Draft(
        [("title", tr(v, "Lease of a garage box / parking space", "Huurovereenkomst garagebox / parkeerplaats")),
         ("kv", [(tr(v, "Contract no.", "Contractnr."), number)]),
         ("text", tr(v, "A.  LANDLORD", "A.  VERHUURDER")),
         ("kv", [(tr(v, "Name", "Naam"), landlord), (tr(v, "Account for the rent", "Rekening voor de huur"), iban)]),
         ("text", tr(v, "B.  TENANT", "B.  HUURDER")),
         ("kv", [(tr(v, "Name", "Naam"), tenant), (tr(v, "Home address", "Woonadres"), one_line(home)),
                 (tr(v, "Licence plate", "Kenteken"), f"{v.code(2)}-{v.rng.randint(100, 999)}-{v.code(1)}")]),
         ("text", tr(v, "C.  THE LET OBJECT", "C.  HET GEHUURDE")),
         ("text", f"{tick[0]} {tr(v, 'garage box', 'garagebox')}      {tick[1]} {tr(v, 'parking space', 'parkeerplaats')}      "
                  f"{tr(v, 'number', 'nummer')} {box}"),
         ("kv", [(tr(v, "Location", "Locatie"), one_line(place)), (tr(v, "Start date", "Ingangsdatum"), v.date_text(start)),
                 (tr(v, "Term", "Duur"), tr(v, "indefinite, notice one month", "onbepaalde tijd, opzeggen met één maand"))]),
         ("table", ["", tr(v, "Amount", "Bedrag")],
          [[tr(v, "Rent per month", "Huur per maand"), v.money(rent)],
           [tr(v, "Deposit (once)", "Borg (eenmalig)"), v.money(deposit)],
           [tr(v, "First payment", "Eerste betaling"), v.money(rent + deposit)]]),
         ("text", tr(v, "D.  CONDITIONS", "D.  VOORWAARDEN")),
         ("text", tr(v, "1. The object may only be used to park a vehicle and to store goods that belong with it; "
                        "storing fuel, paint or other inflammable goods is not allowed.\n"
                        "2. The rent is paid monthly in advance. The tenant may not sublet the object.\n"
                        "3. The tenant receives one remote control; a new one costs € 45.\n"
                        "4. The landlord is not liable for theft of or damage to the vehicle.",
                        "1. Het gehuurde mag alleen worden gebruikt om een voertuig te stallen en de bijbehorende "
                        "spullen op te slaan; brandstof, verf of andere brandbare stoffen opslaan is niet toegestaan.\n"
                        "2. De huur wordt maandelijks vooruit betaald. Onderverhuur is niet toegestaan.\n"
                        "3. Huurder ontvangt één afstandsbediening; een nieuwe kost € 45.\n"
                        "4. Verhuurder is niet aansprakelijk voor diefstal van of schade aan het voertuig.")),
         ("text", tr(v, f"Signed at {place['city']}:", f"Getekend te {place['city']}:")),
         ("text", tr(v, "landlord ............................        tenant ............................",
                        "verhuurder ............................        huurder ............................"))],
        {"landlord": landlord, "name": tenant, "address": one_line(place), "rent_amount": dec(rent),
         "start_date": iso(start), "iban": iban},
    )  # fmt: skip


def recognition_deed(v: Values) -> Draft:
    """A deed of recognition of a child by its father, in numbered paragraphs, with the record
    number in the top corner and the signatures in a table."""
    father, mother, child = v.name(), v.name(), v.name()
    place, pn = v.city(), v.personal_number()
    father_born, father_place = v.date(1970, 2000), v.city()
    born = v.date(2015, 2026)
    done = min(born + dt.timedelta(days=v.rng.randint(5, 400)), dt.date(2026, 11, 30))
    number = f"{v.rng.randint(1, 9)}E{v.rng.randint(10, 999):03d}"
    return Draft(
        [("right", [tr(v, f"Municipality of {place}", f"Gemeente {place}"), f"{tr(v, 'Record', 'Akte')} {number}",
                    tr(v, f"Register of recognitions {done.year}", f"Register van erkenningen {done.year}")]),
         ("text", tr(v, "DEED OF RECOGNITION", "AKTE VAN ERKENNING")), ("rule",),
         ("text", tr(v, f"1. On {v.date_text(done)} there appeared before me, registrar of civil status of the "
                        f"municipality of {place}: {father}, born on {v.date_text(father_born)} in {father_place}.",
                        f"1. Op {v.date_text(done)} verscheen voor mij, ambtenaar van de burgerlijke stand van de "
                        f"gemeente {place}: {father}, geboren op {v.date_text(father_born)} te {father_place}.")),
         ("text", tr(v, f"2. He declared that he recognises as his child: {child}, born on {v.date_text(born)} in "
                        f"{place}, personal number {pn}, child of {mother}.",
                        f"2. Hij verklaarde te erkennen als zijn kind: {child}, geboren op {v.date_text(born)} te "
                        f"{place}, burgerservicenummer {pn}, kind van {mother}.")),
         ("text", tr(v, "3. The mother gave her written consent to the recognition. The parents chose that the child "
                        "keeps its surname.",
                        "3. De moeder heeft schriftelijk toestemming gegeven voor de erkenning. De ouders hebben "
                        "gekozen dat het kind zijn geslachtsnaam behoudt.")),
         ("text", tr(v, "4. Having been read out, this deed was signed by the person recognising, the mother and me.",
                        "4. Na voorlezing is deze akte ondertekend door de erkenner, de moeder en mij.")),
         ("gap", 12),
         ("table", [tr(v, "Signed by", "Ondertekend door"), tr(v, "Signature", "Handtekening")],
          [[tr(v, "the person recognising", "de erkenner"), "...................."],
           [tr(v, "the mother", "de moeder"), "...................."],
           [tr(v, "the registrar", "de ambtenaar"), "...................."]])],
        {"name": child, "personal_number": pn, "birth_date": iso(born), "place": place, "document_number": number},
    )  # fmt: skip


def letter_noise(v: Values) -> Draft:
    """A resident's complaint to the municipality about a neighbour's noise, with a log of the
    nights; the writer's name and address stand under the signature."""
    name, address, day, ref = v.name(), v.address(), v.date(), v.reference()
    neighbour = f"{v.faker.street_name()} {v.rng.randint(1, 250)}"
    log, night = [], day - dt.timedelta(days=v.rng.randint(20, 30))
    for _ in range(v.rng.randint(3, 5)):
        night += dt.timedelta(days=v.rng.randint(2, 6))
        what = v.pick(
            (
                tr(v, "loud music, bass", "harde muziek, bas"),
                tr(v, "shouting, party", "geschreeuw, feest"),
                tr(v, "drilling, hammering", "boren en timmeren"),
                tr(v, "dog barking for hours", "uren blaffende hond"),
            )
        )
        log.append([f"{night:%d-%m-%Y}  {what}", f"{v.rng.randint(22, 23)}:{v.pick(('00', '15', '30', '45'))}", f"0{v.rng.randint(1, 4)}:{v.pick(('00', '30'))}"])  # fmt: skip
    return Draft(
        [("text", tr(v, f"To the Mayor and Aldermen of {address['city']}\nDepartment of enforcement (nuisance)",
                        f"Aan het college van burgemeester en wethouders van {address['city']}\nAfdeling handhaving (overlast)")),
         ("gap", 10),
         ("text", f"{address['city']}, {v.date_text(day)}"),
         ("title", tr(v, "Complaint about noise nuisance", "Klacht over geluidsoverlast")),
         ("text", tr(v, "Dear Mayor and Aldermen,", "Geacht college,")),
         ("text", tr(v, f"For months I have suffered from noise from the home at {neighbour}, right next to mine. Talking "
                        f"to the neighbours did not help, and neither did my earlier report (number {ref}). Below I "
                        "have written down the worst nights of the past weeks.",
                        f"Al maanden heb ik last van lawaai uit de woning aan de {neighbour}, direct naast de mijne. Een "
                        f"gesprek met de buren hielp niet, mijn eerdere melding (nummer {ref}) evenmin. Hieronder heb ik "
                        "de ergste nachten van de afgelopen weken opgeschreven.")),
         ("table", [tr(v, "Night  What I heard", "Nacht  Wat ik hoorde"), tr(v, "From", "Van"), tr(v, "Until", "Tot")], log),
         ("text", tr(v, "I cannot sleep and my children are tired at school. I ask you to take action: send a "
                        "supervisor, talk to the housing association, or propose neighbour mediation. I am happy to "
                        "explain things in person.",
                        "Ik kan niet slapen en mijn kinderen zijn moe op school. Ik vraag u in te grijpen: stuur een "
                        "handhaver, spreek de woningcorporatie aan of stel buurtbemiddeling voor. Ik licht het graag "
                        "persoonlijk toe.")),
         ("text", tr(v, "Yours faithfully,", "Hoogachtend,")),
         ("gap", 18),
         ("text", f"{name}\n{address['street']}\n{address['postcode']} {address['city']}\n{v.faker.phone_number()}")],
        {"sender": name, "address": one_line(address), "date": iso(day), "case_reference": ref},
    )  # fmt: skip


def other_timetable(v: Values) -> Draft:
    """A bus line's timetable: stops down the side, departures across, footnotes below."""
    carrier = v.pick(("Arriva", "Qbuzz", "Connexxion", "EBS", "Keolis", "Hermes"))
    line, valid = v.rng.randint(2, 399), v.date(2024, 2026)
    stops = [
        f"{v.city()}, Station",
        *(f"{v.faker.street_name()}" for _ in range(v.rng.randint(5, 7))),
        f"{v.city()}, Centrum",
    ]
    first, gap = v.rng.randint(5 * 60 + 30, 7 * 60), v.pick((15, 20, 30))
    trips = [first + gap * i for i in range(5)]
    rows, offset = [], 0
    for stop in stops:
        rows.append(
            [stop[:34], *(f"{(t + offset) // 60:02d}:{(t + offset) % 60:02d}" for t in trips)]
        )
        offset += v.rng.randint(2, 5)
    back, offset = [], 0
    for stop in reversed(stops):
        back.append(
            [
                stop[:34],
                *(f"{(t + 12 + offset) // 60:02d}:{(t + 12 + offset) % 60:02d}" for t in trips),
            ]
        )
        offset += v.rng.randint(2, 5)
    days = tr(v, "Monday to Friday", "maandag t/m vrijdag")
    return Draft(
        [("center", f"{tr(v, 'Line', 'Lijn')} {line}   {stops[0]} – {stops[-1]}"),
         ("text", f"{carrier}   ·   {days}   ·   {tr(v, 'valid from', 'geldig vanaf')} {v.date_text(valid)}"),
         ("table", [tr(v, "Stop", "Halte"), *(f"{tr(v, 'trip', 'rit')} {i}" for i in range(1, 6))], rows),
         ("center", f"{tr(v, 'Line', 'Lijn')} {line}   {stops[-1]} – {stops[0]}"),
         ("table", [tr(v, "Stop", "Halte"), *(f"{tr(v, 'trip', 'rit')} {i}" for i in range(6, 11))], back),
         ("text", tr(v, f"After {trips[-1] // 60:02d}:{trips[-1] % 60:02d} every {gap} minutes until 19:00, then every hour "
                        "until 00:30. Saturdays from 07:00, Sundays and public holidays from 09:00 every 30 minutes.",
                        f"Na {trips[-1] // 60:02d}:{trips[-1] % 60:02d} elke {gap} minuten tot 19.00 uur, daarna elk uur tot "
                        "00.30 uur. Zaterdag vanaf 07.00 uur, zon- en feestdagen vanaf 09.00 uur elke 30 minuten.")),
         ("box", [tr(v, "Check in and out with your debit card, OV-chipkaart or phone. No cash on the bus.",
                        "In- en uitchecken met je betaalpas, OV-chipkaart of telefoon. In de bus kun je niet contant betalen."),
                  tr(v, f"Travel information: 0900-9292 or 9292.nl  ·  Lost property: {carrier.lower()}.example/gevonden",
                        f"Reisinformatie: 0900-9292 of 9292.nl  ·  Gevonden voorwerpen: {carrier.lower()}.example/gevonden")])],
        {"sender": carrier, "date": iso(valid)},
    )  # fmt: skip


TEMPLATES: tuple[Template, ...] = (
    Template("bank-statement-6", "bank-statement", Style(size=9, margin=45, kv_width=150, leading=1.3), bank_credit_card),
    Template("tenancy-agreement-6", "tenancy-agreement", Style(font="Times-Roman", size=10, margin=55, kv_width=150, title_size=14), tenancy_garage),
    Template("civil-record-6", "civil-record", Style(size=11, margin=85, leading=1.55), recognition_deed),
    Template("letter-6", "letter", Style(size=11, margin=78, title_size=13, leading=1.45), letter_noise),
    Template("other-6", "other", Style(font="Helvetica", size=9.5, margin=40, title_size=14, leading=1.5), other_timetable),
)  # fmt: skip
