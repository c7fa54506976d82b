"""Templates of objections and appeals, payslips and invoices (four each, English and Dutch)."""

from __future__ import annotations

import datetime as dt

from civic.documents.training.layout import Draft, Style
from civic.documents.training.templates.base import Template, dec, iso, one_line, tr
from civic.documents.training.values import AUTHORITIES, EMPLOYERS, SUPPLIERS, Values


def _person(v: Values) -> dict:
    return {"name": v.name(), "address": v.address(), "personal_number": v.personal_number()}


def objection_letter(v: Values) -> Draft:
    p, day, decided = _person(v), v.date(), v.date()
    ref, body = v.reference(), v.pick(AUTHORITIES)
    return Draft(
        [("left", [p["name"], p["address"]["street"], f"{p['address']['postcode']} {p['address']['city']}"]),
         ("gap", 10), ("left", [body, tr(v, "Attn. the objections department", "T.a.v. de afdeling bezwaar")]),
         ("left", [f"{v.pick(('Havenstad', p['address']['city']))}, {v.date_text(day)}"]),
         ("text", tr(v, f"Subject: notice of objection, your reference {ref}", f"Betreft: bezwaarschrift, uw kenmerk {ref}")),
         ("text", tr(v, "Dear Sir or Madam,", "Geachte heer, mevrouw,")),
         ("text", tr(v, f"I hereby lodge an objection to your decision of {v.date_text(decided)} with reference {ref}. "
                        "I do not agree with the decision because my income was calculated incorrectly. "
                        "I ask you to reconsider the decision and to annul it.",
                        f"Hierbij maak ik bezwaar tegen uw besluit van {v.date_text(decided)} met kenmerk {ref}. "
                        "Ik ben het niet eens met het besluit omdat mijn inkomen verkeerd is berekend. "
                        "Ik verzoek u het besluit te herzien en in te trekken.")),
         ("text", tr(v, f"My personal number is {p['personal_number']}. I would like to be heard before you decide.",
                        f"Mijn BSN is {p['personal_number']}. Ik wil graag gehoord worden voordat u beslist.")),
         ("text", tr(v, "Yours faithfully,", "Met vriendelijke groet,")), ("gap", 22), ("text", p["name"])],
        {"sender": p["name"], "address": one_line(p["address"]), "personal_number": p["personal_number"],
         "case_reference": ref, "date": iso(day), "decision_date": iso(decided), "addressee": body},
    )  # fmt: skip


def objection_note(v: Values) -> Draft:
    p, day, ref = _person(v), v.date(), v.reference()
    return Draft(
        [("text", f"{p['name']}\n{one_line(p['address'])}"), ("gap", 8),
         ("text", tr(v, f"To whom it may concern, {v.date_text(day)}", f"Aan wie het aangaat, {v.date_text(day)}")),
         ("text", tr(v, f"I received your letter ({ref}) and I really do not agree with it. You stopped my benefit "
                        "but I still live alone and have no other income. Please look at it again. "
                        "This is my objection. I can send my bank statements if you want.",
                        f"Ik heb uw brief ({ref}) ontvangen en ik ben het er echt niet mee eens. U heeft mijn uitkering "
                        "stopgezet maar ik woon nog steeds alleen en heb geen ander inkomen. Wilt u er nog eens naar kijken. "
                        "Dit is mijn bezwaar. Ik kan mijn bankafschriften sturen als u dat wilt.")),
         ("text", tr(v, f"Citizen service number {p['personal_number']}", f"BSN {p['personal_number']}")),
         ("text", tr(v, "Kind regards", "Groetjes")), ("text", p["name"])],
        {"sender": p["name"], "address": one_line(p["address"]), "personal_number": p["personal_number"],
         "case_reference": ref, "date": iso(day)},
    )  # fmt: skip


def objection_form(v: Values) -> Draft:
    p, day, decided, ref = _person(v), v.date(), v.date(), v.reference()
    return Draft(
        [("head", v.pick(AUTHORITIES), [tr(v, "Objection form", "Bezwaarformulier")]),
         ("title", tr(v, "Objection to a decision", "Bezwaar tegen een beslissing")),
         ("box", [tr(v, "1. Your details", "1. Uw gegevens")]),
         ("kv", [(tr(v, "Name", "Naam"), p["name"]), (tr(v, "Address", "Adres"), one_line(p["address"])),
                 (tr(v, "Personal number", "Burgerservicenummer"), p["personal_number"])]),
         ("box", [tr(v, "2. The decision you object to", "2. Het besluit waartegen u bezwaar maakt")]),
         ("kv", [(tr(v, "Date of decision", "Datum besluit"), v.date_text(decided)), (tr(v, "Reference", "Kenmerk"), ref)]),
         ("box", [tr(v, "3. Grounds of objection", "3. Gronden van het bezwaar")]),
         ("text", tr(v, "The amount of the assessment is too high; the facts used are wrong.",
                        "Het bedrag van de aanslag is te hoog; de gebruikte gegevens kloppen niet.")),
         ("kv", [(tr(v, "Date and signature", "Datum en handtekening"), v.date_text(day))])],
        {"name": p["name"], "address": one_line(p["address"]), "personal_number": p["personal_number"],
         "case_reference": ref, "date": iso(day), "decision_date": iso(decided)},
    )  # fmt: skip


def appeal_court(v: Values) -> Draft:
    p, day, decided, ref = _person(v), v.date(), v.date(), v.reference()
    court = tr(
        v,
        f"District Court of {v.city()}, administrative law section",
        f"Rechtbank {v.city()}, sector bestuursrecht",
    )
    return Draft(
        [("center", tr(v, "NOTICE OF APPEAL", "BEROEPSCHRIFT")), ("left", [court]),
         ("kv", [(tr(v, "Appellant", "Eiser"), p["name"]), (tr(v, "Residing at", "Wonende te"), one_line(p["address"])),
                 (tr(v, "Defendant", "Verweerder"), v.pick(AUTHORITIES)),
                 (tr(v, "Decision on objection", "Beslissing op bezwaar"), f"{v.date_text(decided)}, {ref}")]),
         ("text", tr(v, "The appellant lodges an appeal against the decision on objection and states the following grounds:",
                        "Eiser stelt beroep in tegen de beslissing op bezwaar en voert de volgende gronden aan:")),
         ("text", tr(v, "1. The defendant did not weigh the interests of the appellant properly.\n"
                        "2. The decision lacks adequate reasoning (article 3:46 of the General Administrative Law Act).\n"
                        "3. The appellant requests the court to declare the appeal well-founded.",
                        "1. Verweerder heeft de belangen van eiser niet goed afgewogen.\n"
                        "2. Het besluit is onvoldoende gemotiveerd (artikel 3:46 Awb).\n"
                        "3. Eiser verzoekt de rechtbank het beroep gegrond te verklaren.")),
         ("text", f"{v.date_text(day)}"), ("text", p["name"])],
        {"name": p["name"], "address": one_line(p["address"]), "case_reference": ref, "date": iso(day),
         "decision_date": iso(decided)},
    )  # fmt: skip


def _pay(v: Values) -> dict:
    gross = v.amount(1800, 5200)
    tax = round(gross * v.rng.uniform(0.08, 0.22), 2)
    pension = round(gross * v.rng.uniform(0.03, 0.07), 2)
    month = v.date(2024, 2026)
    return {"gross": gross, "tax": tax, "pension": pension, "net": round(gross - tax - pension, 2),
            "period": month.strftime("%Y-%m"), "month": month, "employer": v.pick(EMPLOYERS)}  # fmt: skip


def payslip_table(v: Values) -> Draft:
    p, pay, iban = _person(v), _pay(v), v.iban()
    m = v.money
    return Draft(
        [("head", pay["employer"], [one_line(v.address())]),
         ("title", tr(v, "PAYSLIP", "LOONSTROOK")),
         ("kv", [(tr(v, "Employee", "Werknemer"), p["name"]), (tr(v, "Personal number", "BSN"), p["personal_number"]),
                 (tr(v, "Period", "Periode"), v.month_text(pay["month"])), ("IBAN", iban)]),
         ("table", [tr(v, "Description", "Omschrijving"), tr(v, "Earnings", "Bruto"), tr(v, "Deductions", "Inhouding")],
          [[tr(v, "Salary", "Salaris"), m(pay["gross"]), ""], [tr(v, "Wage tax", "Loonheffing"), "", m(pay["tax"])],
           [tr(v, "Pension contribution", "Pensioenpremie"), "", m(pay["pension"])]]),
         ("kv", [(tr(v, "Net pay", "Netto loon"), m(pay["net"]))])],
        {"name": p["name"], "personal_number": p["personal_number"], "employer": pay["employer"], "period": pay["period"],
         "gross_amount": dec(pay["gross"]), "net_amount": dec(pay["net"]), "iban": iban},
    )  # fmt: skip


def payslip_compact(v: Values) -> Draft:
    p, pay, iban = _person(v), _pay(v), v.iban()
    m = v.money
    return Draft(
        [("title", tr(v, "Salary specification", "Salarisspecificatie")),
         ("text", f"{pay['employer']} — {tr(v, 'payroll administration', 'salarisadministratie')}"), ("rule",),
         ("kv", [(tr(v, "Name", "Naam"), p["name"]), (tr(v, "Address", "Adres"), one_line(p["address"])),
                 (tr(v, "Citizen service no.", "Burgerservicenr."), p["personal_number"]),
                 (tr(v, "Pay period", "Loonperiode"), pay["period"]), (tr(v, "Hourly wage", "Uurloon"), m(pay["gross"] / 160)),
                 (tr(v, "Gross wage", "Brutoloon"), m(pay["gross"])), (tr(v, "Taxable wage", "Loon voor de loonheffing"), m(pay["gross"] - pay["pension"])),
                 (tr(v, "Wage tax withheld", "Ingehouden loonheffing"), m(pay["tax"])),
                 (tr(v, "Paid to account", "Uitbetaald op rekening"), iban), (tr(v, "Amount paid", "Uitbetaald bedrag"), m(pay["net"]))])],
        {"name": p["name"], "personal_number": p["personal_number"], "employer": pay["employer"], "period": pay["period"],
         "gross_amount": dec(pay["gross"]), "net_amount": dec(pay["net"]), "iban": iban, "address": one_line(p["address"])},
    )  # fmt: skip


def payslip_cumulative(v: Values) -> Draft:
    p, pay = _person(v), _pay(v)
    m, months = v.money, pay["month"].month
    return Draft(
        [("left", [pay["employer"], tr(v, "Payroll", "Personeelszaken")]), ("right", [p["name"], one_line(p["address"])]),
         ("box", [tr(v, f"Pay statement {v.month_text(pay['month'])}", f"Loonspecificatie {v.month_text(pay['month'])}"),
                  tr(v, f"Employee number {v.rng.randint(1000, 9999)}  Tax code: table green, monthly",
                        f"Personeelsnummer {v.rng.randint(1000, 9999)}  Tabel: groen, maand")]),
         ("table", [tr(v, "Component", "Looncomponent"), tr(v, "This period", "Deze periode"), tr(v, "Year to date", "Cumulatief")],
          [[tr(v, "Basic salary", "Basissalaris"), m(pay["gross"]), m(pay["gross"] * months)],
           [tr(v, "Holiday allowance reserved 8%", "Reservering vakantiegeld 8%"), m(pay["gross"] * 0.08), m(pay["gross"] * 0.08 * months)],
           [tr(v, "Wage tax", "Loonheffing"), m(-pay["tax"]), m(-pay["tax"] * months)],
           [tr(v, "Pension", "Pensioen"), m(-pay["pension"]), m(-pay["pension"] * months)],
           [tr(v, "Net", "Netto"), m(pay["net"]), m(pay["net"] * months)]]),
         ("text", tr(v, f"Personal number {p['personal_number']}. Leave balance: {v.rng.randint(20, 180)} hours.",
                        f"BSN {p['personal_number']}. Saldo verlof: {v.rng.randint(20, 180)} uur."))],
        {"name": p["name"], "personal_number": p["personal_number"], "employer": pay["employer"], "period": pay["period"],
         "gross_amount": dec(pay["gross"]), "net_amount": dec(pay["net"])},
    )  # fmt: skip


def payslip_hours(v: Values) -> Draft:
    p, pay, iban = _person(v), _pay(v), v.iban()
    hours = v.rng.randint(60, 170)
    m = v.money
    return Draft(
        [("head", tr(v, "FlexPay payroll services", "FlexLoon uitzendbureau"), [tr(v, "on behalf of", "namens") + " " + pay["employer"]]),
         ("text", tr(v, f"Weekly wage slip, weeks of {v.month_text(pay['month'])}", f"Weekloonstrook, weken van {v.month_text(pay['month'])}")),
         ("kv", [(tr(v, "Temporary worker", "Uitzendkracht"), p["name"]), ("BSN", p["personal_number"]),
                 (tr(v, "Hours worked", "Gewerkte uren"), str(hours)), (tr(v, "Rate", "Tarief"), m(pay["gross"] / hours)),
                 (tr(v, "Gross", "Bruto"), m(pay["gross"])), (tr(v, "Deductions", "Inhoudingen"), m(pay["tax"] + pay["pension"])),
                 (tr(v, "Net wage", "Nettoloon"), m(pay["net"])), (tr(v, "Transferred to", "Overgemaakt naar"), iban)])],
        {"name": p["name"], "personal_number": p["personal_number"], "employer": pay["employer"], "period": pay["period"],
         "gross_amount": dec(pay["gross"]), "net_amount": dec(pay["net"]), "iban": iban},
    )  # fmt: skip


def _lines(v: Values, items: tuple[tuple[str, str], ...]) -> tuple[list, float]:
    rows, total = [], 0.0
    for en, nl in v.rng.sample(items, k=v.rng.randint(2, min(4, len(items)))):
        qty, price = v.rng.randint(1, 12), v.amount(8, 240)
        total += qty * price
        rows.append([tr(v, en, nl), str(qty), v.money(price), v.money(qty * price)])
    return rows, round(total, 2)


GOODS = (("Printer paper A4", "Printpapier A4"), ("Labour hours", "Arbeidsuren"), ("Toner cartridge", "Tonercartridge"),
         ("Copper pipe 15 mm", "Koperen buis 15 mm"), ("Garden plants", "Tuinplanten"), ("Consultancy", "Advieswerk"),
         ("Call-out charge", "Voorrijkosten"), ("Paint, white, 5 l", "Verf, wit, 5 l"))  # fmt: skip


def invoice_classic(v: Values) -> Draft:
    supplier, customer, day = v.pick(SUPPLIERS), v.name(), v.date()
    rows, net = _lines(v, GOODS)
    vat, number, iban = round(net * 0.21, 2), f"{day.year}-{v.rng.randint(100, 9999):04d}", v.iban()
    return Draft(
        [("head", supplier, [one_line(v.address()), f"KvK {v.rng.randint(10000000, 99999999)}  BTW NL{v.code(9)}B01"]),
         ("title", tr(v, "INVOICE", "FACTUUR")), ("left", [customer, one_line(v.address())]),
         ("kv", [(tr(v, "Invoice number", "Factuurnummer"), number), (tr(v, "Invoice date", "Factuurdatum"), v.date_text(day))]),
         ("table", [tr(v, "Description", "Omschrijving"), tr(v, "Qty", "Aantal"), tr(v, "Price", "Prijs"), tr(v, "Amount", "Bedrag")], rows),
         ("kv", [(tr(v, "Subtotal", "Subtotaal"), v.money(net)), (tr(v, "VAT 21%", "BTW 21%"), v.money(vat)),
                 (tr(v, "Total due", "Totaal te betalen"), v.money(net + vat))]),
         ("text", tr(v, f"Please pay within 30 days to {iban} stating the invoice number.",
                        f"Graag binnen 30 dagen betalen op {iban} onder vermelding van het factuurnummer."))],
        {"sender": supplier, "name": customer, "date": iso(day), "invoice_number": number, "iban": iban,
         "total_amount": dec(net + vat)},
    )  # fmt: skip


def invoice_freelance(v: Values) -> Draft:
    who, client, day = v.name(), v.pick(SUPPLIERS), v.date()
    hours, rate, iban = v.rng.randint(4, 80), v.amount(45, 110), v.iban()
    total, number = round(hours * rate, 2), f"F{v.rng.randint(1, 250):03d}"
    return Draft(
        [("right", [who, one_line(v.address()), iban]), ("text", tr(v, f"To: {client}", f"Aan: {client}")),
         ("text", tr(v, f"Invoice {number} — {v.date_text(day)}", f"Factuur {number} — {v.date_text(day)}")),
         ("text", tr(v, f"For work carried out: {hours} hours at {v.money(rate)} per hour.",
                        f"Voor verrichte werkzaamheden: {hours} uur à {v.money(rate)} per uur.")),
         ("kv", [(tr(v, "Total (VAT exempt, small business scheme)", "Totaal (vrijgesteld van btw, KOR)"), v.money(total))]),
         ("text", tr(v, f"Kindly transfer the amount to account {iban} in the name of {who}.",
                        f"Gelieve het bedrag over te maken naar rekening {iban} t.n.v. {who}."))],
        {"sender": who, "date": iso(day), "invoice_number": number, "iban": iban, "total_amount": dec(total)},
    )  # fmt: skip


def invoice_utility(v: Values) -> Draft:
    p, day = _person(v), v.date()
    usage, monthly = v.rng.randint(900, 4200), v.amount(60, 240)
    total, iban, number = (
        round(monthly * 12 - v.amount(0, 300), 2),
        v.iban(),
        str(v.rng.randint(10**8, 10**9)),
    )
    supplier = v.pick(
        ("Energie Direct B.V.", "Waterbedrijf Havenstad", "Stadsverwarming Havenstad")
    )
    return Draft(
        [("head", supplier, [tr(v, "Customer service", "Klantenservice") + " 088 123 4567"]),
         ("right", [p["name"], p["address"]["street"], f"{p['address']['postcode']} {p['address']['city']}"]),
         ("title", tr(v, "Annual bill", "Jaarnota")),
         ("kv", [(tr(v, "Customer number", "Klantnummer"), number), (tr(v, "Bill date", "Notadatum"), v.date_text(day)),
                 (tr(v, "Usage", "Verbruik"), f"{usage} kWh"), (tr(v, "Advance payments", "Voorschotten"), v.money(monthly * 12)),
                 (tr(v, "Amount to pay", "Te betalen"), v.money(total))]),
         ("text", tr(v, f"We will collect this amount by direct debit from {iban}.",
                        f"Wij schrijven dit bedrag automatisch af van {iban}."))],
        {"sender": supplier, "name": p["name"], "address": one_line(p["address"]), "date": iso(day), "iban": iban,
         "total_amount": dec(total)},  # its number is the customer's: the page has no invoice number
    )  # fmt: skip


def invoice_trades(v: Values) -> Draft:
    supplier, customer, day = v.pick(SUPPLIERS), v.name(), v.date()
    rows, net = _lines(v, GOODS)
    vat, number, due = (
        round(net * 0.21, 2),
        str(v.rng.randint(20000, 99999)),
        day + dt.timedelta(days=14),
    )
    iban = v.iban()
    return Draft(
        [("center", supplier), ("text", tr(v, "Bill for work done at", "Nota voor werkzaamheden aan") + " " + one_line(v.address())),
         ("kv", [(tr(v, "Client", "Opdrachtgever"), customer), (tr(v, "Bill no.", "Notanummer"), number),
                 (tr(v, "Date", "Datum"), v.date_text(day)), (tr(v, "Due date", "Vervaldatum"), v.date_text(due))]),
         ("table", [tr(v, "Work and materials", "Werk en materiaal"), tr(v, "No.", "Aantal"), tr(v, "Unit", "Stuk"), tr(v, "Total", "Totaal")], rows),
         ("kv", [(tr(v, "Excl. VAT", "Excl. btw"), v.money(net)), (tr(v, "VAT", "Btw"), v.money(vat)), (tr(v, "Incl. VAT", "Incl. btw"), v.money(net + vat))]),
         ("text", f"IBAN {iban}")],
        {"sender": supplier, "name": customer, "date": iso(day), "invoice_number": number, "iban": iban,
         "total_amount": dec(net + vat)},
    )  # fmt: skip


TEMPLATES = (
    Template("objection-1", "objection", Style(font="Times-Roman", size=11.5), objection_letter),
    Template("objection-2", "objection", Style(font="Courier", size=11, margin=70), objection_note),
    Template("objection-3", "objection", Style(kv_width=190, head_align="right"), objection_form),
    Template("objection-4", "objection", Style(font="Times-Roman", kv_width=150), appeal_court),
    Template("payslip-1", "payslip", Style(head_align="left"), payslip_table),
    Template(
        "payslip-2", "payslip", Style(font="Courier", size=9.5, kv_width=230), payslip_compact
    ),
    Template("payslip-3", "payslip", Style(font="Times-Roman", size=10), payslip_cumulative),
    Template("payslip-4", "payslip", Style(head_align="center", kv_width=160), payslip_hours),
    Template("invoice-1", "invoice", Style(head_align="right"), invoice_classic),
    Template("invoice-2", "invoice", Style(font="Times-Roman", size=12), invoice_freelance),
    Template("invoice-3", "invoice", Style(head_align="left", kv_width=200), invoice_utility),
    Template("invoice-4", "invoice", Style(font="Courier", size=10), invoice_trades),
)
