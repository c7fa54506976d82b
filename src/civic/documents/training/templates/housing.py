"""Templates of tenancy agreements and of birth and death certificates."""

from __future__ import annotations

import datetime as dt

from civic.documents.training.layout import Draft, Style
from civic.documents.training.templates.base import Template, dec, iso, one_line, tr
from civic.documents.training.values import LANDLORDS, Values


def _tenancy(v: Values) -> dict:
    start = v.date(2018, 2026).replace(day=1)
    return {"landlord": v.pick(LANDLORDS), "tenant": v.name(), "address": v.address(), "rent": v.amount(420, 1650),
            "start": start, "service": v.amount(15, 90), "deposit_months": v.rng.randint(1, 3)}  # fmt: skip


def _fields(t: dict) -> dict:
    return {"landlord": t["landlord"], "name": t["tenant"], "address": one_line(t["address"]),
            "rent_amount": dec(t["rent"]), "start_date": iso(t["start"])}  # fmt: skip


def tenancy_articles(v: Values) -> Draft:
    t = _tenancy(v)
    return Draft(
        [("title", tr(v, "TENANCY AGREEMENT FOR LIVING ACCOMMODATION", "HUUROVEREENKOMST WOONRUIMTE")),
         ("text", tr(v, f"The undersigned: {t['landlord']}, hereinafter 'the landlord', and {t['tenant']}, hereinafter "
                        "'the tenant', agree as follows:",
                        f"De ondergetekenden: {t['landlord']}, hierna 'verhuurder', en {t['tenant']}, hierna 'huurder', "
                        "komen het volgende overeen:")),
         ("text", tr(v, f"Article 1 The property. The landlord lets to the tenant the dwelling at {one_line(t['address'])}.",
                        f"Artikel 1 Het gehuurde. Verhuurder verhuurt aan huurder de woning aan {one_line(t['address'])}.")),
         ("text", tr(v, f"Article 2 Term. The tenancy starts on {v.date_text(t['start'])} and is entered into for an indefinite period.",
                        f"Artikel 2 Duur. De huur gaat in op {v.date_text(t['start'])} en wordt aangegaan voor onbepaalde tijd.")),
         ("text", tr(v, f"Article 3 Rent. The basic rent is {v.money(t['rent'])} per month, plus {v.money(t['service'])} service charges, "
                        "payable in advance before the first day of each month.",
                        f"Artikel 3 Huurprijs. De kale huur bedraagt {v.money(t['rent'])} per maand, vermeerderd met "
                        f"{v.money(t['service'])} servicekosten, bij vooruitbetaling te voldoen voor de eerste van de maand.")),
         ("text", tr(v, f"Article 4 Deposit. The tenant pays a deposit of {t['deposit_months']} month(s) rent.",
                        f"Artikel 4 Waarborgsom. Huurder betaalt een waarborgsom van {t['deposit_months']} maand(en) huur.")),
         ("kv", [(tr(v, "Landlord", "Verhuurder"), "........................"), (tr(v, "Tenant", "Huurder"), "........................")])],
        _fields(t),
    )  # fmt: skip


def tenancy_room(v: Values) -> Draft:
    t = _tenancy(v)
    landlord = v.name()
    t["landlord"] = landlord
    return Draft(
        [("center", tr(v, "Room rental agreement", "Kamerhuurcontract")),
         ("kv", [(tr(v, "Landlord", "Verhuurder"), landlord), (tr(v, "Tenant", "Huurder"), t["tenant"]),
                 (tr(v, "Room at", "Kamer op adres"), one_line(t["address"])), (tr(v, "Floor area", "Oppervlakte"), f"{v.rng.randint(9, 24)} m²"),
                 (tr(v, "Rent per month incl. gas, water, electricity", "Huur per maand incl. g/w/l"), v.money(t["rent"])),
                 (tr(v, "Start date", "Ingangsdatum"), v.date_text(t["start"])), (tr(v, "Notice period", "Opzegtermijn"), tr(v, "one month", "één maand"))]),
         ("text", tr(v, "Kitchen and bathroom are shared. Subletting the room is not allowed. Pets only with permission.",
                        "Keuken en badkamer worden gedeeld. Onderverhuur van de kamer is niet toegestaan. Huisdieren alleen met toestemming.")),
         ("text", tr(v, "Signed in duplicate,", "In tweevoud getekend,"))],
        _fields(t),
    )  # fmt: skip


def tenancy_model(v: Values) -> Draft:
    t = _tenancy(v)
    end = t["start"] + dt.timedelta(days=365 * v.rng.randint(1, 2))
    fields = _fields(t) | {"end_date": iso(end)}
    return Draft(
        [("head", t["landlord"], [tr(v, "Letting department", "Afdeling verhuur")]),
         ("title", tr(v, "Lease of residential property (model)", "Huurovereenkomst (model ROZ)")),
         ("box", [tr(v, "Parties", "Partijen"), f"{tr(v, 'Landlord', 'Verhuurder')}: {t['landlord']}", f"{tr(v, 'Tenant', 'Huurder')}: {t['tenant']}"]),
         ("text", tr(v, f"1.1 The lease concerns the independent dwelling {one_line(t['address'])}.\n"
                        f"1.2 The lease is for a fixed term from {v.date_text(t['start'])} to {v.date_text(end)}.\n"
                        f"2.1 The monthly rent is {v.money(t['rent'])}; the rent is adjusted each year on 1 July.\n"
                        "2.2 The general provisions for residential leases apply.",
                        f"1.1 De huur betreft de zelfstandige woning {one_line(t['address'])}.\n"
                        f"1.2 De huur geldt voor bepaalde tijd van {v.date_text(t['start'])} tot {v.date_text(end)}.\n"
                        f"2.1 De huurprijs per maand is {v.money(t['rent'])}; de huur wordt jaarlijks per 1 juli aangepast.\n"
                        "2.2 De algemene bepalingen huurovereenkomst woonruimte zijn van toepassing.")),
         ("kv", [(tr(v, "Signed at", "Getekend te"), v.city()), (tr(v, "Date", "Datum"), v.date_text(t["start"] - dt.timedelta(days=20)))])],
        fields,
    )  # fmt: skip


def tenancy_sublease(v: Values) -> Draft:
    t = _tenancy(v)
    main, iban = v.name(), v.iban()
    t["landlord"] = main
    return Draft(
        [("text", tr(v, "SUBLEASE AGREEMENT", "ONDERHUUROVEREENKOMST")), ("rule",),
         ("text", tr(v, f"{main}, main tenant of {one_line(t['address'])}, sublets part of the dwelling to {t['tenant']}, "
                        f"the subtenant, with the written consent of {v.pick(LANDLORDS)}.",
                        f"{main}, hoofdhuurder van {one_line(t['address'])}, verhuurt een deel van de woning onder aan "
                        f"{t['tenant']}, onderhuurder, met schriftelijke toestemming van {v.pick(LANDLORDS)}.")),
         ("text", tr(v, f"The subtenant pays {v.money(t['rent'])} per month from {v.date_text(t['start'])} into the main tenant's account {iban}.",
                        f"Onderhuurder betaalt vanaf {v.date_text(t['start'])} {v.money(t['rent'])} per maand op rekening {iban} van de hoofdhuurder.")),
         ("text", tr(v, "This sublease ends automatically when the main tenancy ends.",
                        "Deze onderhuur eindigt van rechtswege wanneer de hoofdhuur eindigt."))],
        {**_fields(t), "iban": iban},
    )  # fmt: skip


def _birth(v: Values) -> dict:
    return {"child": v.name(), "born": v.date(1950, 2026), "mother": v.name(), "father": v.name(),
            "place": v.city(), "number": f"{v.rng.randint(1, 9)}A{v.rng.randint(100, 999)}"}  # fmt: skip


def birth_deed(v: Values) -> Draft:
    b = _birth(v)
    return Draft(
        [("center", tr(v, f"BIRTH CERTIFICATE — municipality of {b['place']}", f"AKTE VAN GEBOORTE — gemeente {b['place']}")),
         ("kv", [(tr(v, "Certificate number", "Aktenummer"), b["number"])]),
         ("text", tr(v, f"On {v.date_text(b['born'])} in {b['place']} was born: {b['child']}. Mother: {b['mother']}. "
                        f"Father: {b['father']}. This certificate was drawn up by the registrar of births, deaths and marriages.",
                        f"Op {v.date_text(b['born'])} is te {b['place']} geboren: {b['child']}. Moeder: {b['mother']}. "
                        f"Vader: {b['father']}. Deze akte is opgemaakt door de ambtenaar van de burgerlijke stand.")),
         ("text", tr(v, "Registrar of civil status,", "De ambtenaar van de burgerlijke stand,"))],
        {"name": b["child"], "birth_date": iso(b["born"]), "place": b["place"], "document_number": b["number"]},
    )  # fmt: skip


def birth_extract(v: Values) -> Draft:
    b = _birth(v)
    first, _, last = b["child"].partition(" ")
    return Draft(
        [("title", tr(v, "Extract from a birth record", "Uittreksel uit een akte van geboorte")),
         ("text", tr(v, "International extract — Convention of Vienna, 8 September 1976 (form A)",
                        "Internationaal uittreksel — Verdrag van Wenen, 8 september 1976 (formulier A)")),
         ("kv", [("1. " + tr(v, "State", "Staat"), "Nederland"), ("2. " + tr(v, "Civil registry office", "Burgerlijke stand"), b["place"]),
                 ("3. " + tr(v, "Date of birth", "Geboortedatum"), v.date_text(b["born"])), ("4. " + tr(v, "Surname", "Geslachtsnaam"), last),
                 ("5. " + tr(v, "Forenames", "Voornamen"), first), ("6. " + tr(v, "Mother", "Moeder"), b["mother"]),
                 ("7. " + tr(v, "Father", "Vader"), b["father"]), ("8. " + tr(v, "Record number", "Aktenummer"), b["number"])]),
         ("text", tr(v, f"Issued at {b['place']} on {v.date_text(v.date())}", f"Afgegeven te {b['place']} op {v.date_text(v.date())}"))],
        {"name": b["child"], "birth_date": iso(b["born"]), "place": b["place"], "document_number": b["number"]},
    )  # fmt: skip


def death_deed(v: Values) -> Draft:
    name, died, born, place = v.name(), v.date(2015, 2026), v.birth_date(), v.city()
    return Draft(
        [("head", tr(v, f"Municipality of {place}", f"Gemeente {place}"), [tr(v, "Civil registry", "Burgerlijke stand")]),
         ("title", tr(v, "Death certificate", "Akte van overlijden")),
         ("text", tr(v, f"On {v.date_text(died)} in {place} died: {name}, born on {v.date_text(born)}, last residing at "
                        f"{one_line(v.address())}. The death was reported by {v.name()}.",
                        f"Op {v.date_text(died)} is te {place} overleden: {name}, geboren op {v.date_text(born)}, laatst "
                        f"wonende te {one_line(v.address())}. Het overlijden is aangegeven door {v.name()}.")),
         ("text", tr(v, "In witness whereof this certificate was drawn up and signed by the registrar.",
                        "Waarvan akte, opgemaakt en ondertekend door de ambtenaar van de burgerlijke stand."))],
        {"name": name, "death_date": iso(died), "birth_date": iso(born), "place": place},
    )  # fmt: skip


def death_copy(v: Values) -> Draft:
    name, died, born, place, pn = (
        v.name(),
        v.date(2015, 2026),
        v.birth_date(),
        v.city(),
        v.personal_number(),
    )
    return Draft(
        [("box", [tr(v, "COPY OF DEATH RECORD", "AFSCHRIFT AKTE VAN OVERLIJDEN"), tr(v, "Register of deaths", "Register van overlijden")]),
         ("kv", [(tr(v, "Deceased", "Overledene"), name), (tr(v, "Personal number", "BSN"), pn),
                 (tr(v, "Born", "Geboren"), v.date_text(born)), (tr(v, "Date of death", "Datum overlijden"), v.date_text(died)),
                 (tr(v, "Place of death", "Plaats overlijden"), place), (tr(v, "Spouse", "Echtgeno(o)t(e)"), v.name())]),
         ("text", tr(v, "Certified true copy of the record.", "Voor eensluidend afschrift.")),
         ("text", tr(v, f"The registrar, {place}, {v.date_text(v.date())}", f"De ambtenaar van de burgerlijke stand, {place}, {v.date_text(v.date())}"))],
        {"name": name, "personal_number": pn, "birth_date": iso(born), "death_date": iso(died), "place": place},
    )  # fmt: skip


TEMPLATES = (
    Template(
        "tenancy-agreement-1",
        "tenancy-agreement",
        Style(font="Times-Roman", size=11),
        tenancy_articles,
    ),
    Template(
        "tenancy-agreement-2", "tenancy-agreement", Style(kv_width=240, size=10), tenancy_room
    ),
    Template(
        "tenancy-agreement-3",
        "tenancy-agreement",
        Style(head_align="right", font="Helvetica"),
        tenancy_model,
    ),
    Template(
        "tenancy-agreement-4", "tenancy-agreement", Style(font="Courier", size=10), tenancy_sublease
    ),
    Template("civil-record-1", "civil-record", Style(font="Times-Roman", size=12), birth_deed),
    Template("civil-record-2", "civil-record", Style(kv_width=220, size=10.5), birth_extract),
    Template(
        "civil-record-3", "civil-record", Style(head_align="center", font="Times-Roman"), death_deed
    ),
    Template("civil-record-4", "civil-record", Style(font="Courier", kv_width=200), death_copy),
)
