"""Templates of general letters and of "other" documents (what a public body also receives:
flyers, minutes, recipes, club newsletters)."""

from __future__ import annotations

from civic.documents.training.layout import Draft, Style
from civic.documents.training.templates.base import Template, iso, one_line, tr
from civic.documents.training.values import AUTHORITIES, Values


def letter_resident(v: Values) -> Draft:
    name, address, day, old = v.name(), v.address(), v.date(), v.address()
    return Draft(
        [("left", [name, address["street"], f"{address['postcode']} {address['city']}"]),
         ("left", [v.pick(AUTHORITIES), tr(v, "Customer contact centre", "Klantcontactcentrum")]),
         ("text", f"{address['city']}, {v.date_text(day)}"),
         ("text", tr(v, "Subject: change of address and a question", "Onderwerp: adreswijziging en een vraag")),
         ("text", tr(v, "Dear Sir or Madam,", "Geachte heer/mevrouw,")),
         ("text", tr(v, f"I would like to let you know that I have moved from {one_line(old)} to the address above. "
                        "Could you please send all post to my new address from now on? I also wonder whether I "
                        "need to do anything else, for example for my parking permit.",
                        f"Graag laat ik u weten dat ik ben verhuisd van {one_line(old)} naar het adres hierboven. "
                        "Wilt u voortaan alle post naar mijn nieuwe adres sturen? Ook vraag ik mij af of ik nog iets "
                        "anders moet regelen, bijvoorbeeld voor mijn parkeervergunning.")),
         ("text", tr(v, "Thank you in advance for your reply.", "Alvast bedankt voor uw antwoord.")),
         ("text", tr(v, "Kind regards,", "Met vriendelijke groet,")), ("text", name)],
        {"sender": name, "address": one_line(address), "date": iso(day)},
    )  # fmt: skip


def letter_authority(v: Values) -> Draft:
    body, name, address, day = v.pick(AUTHORITIES), v.name(), v.address(), v.date()
    ref, when = v.reference(), v.date()
    return Draft(
        [("head", body, [one_line(v.address()), "www.havenstad.example"]),
         ("left", [name, address["street"], f"{address['postcode']} {address['city']}"]),
         ("kv", [(tr(v, "Date", "Datum"), v.date_text(day)), (tr(v, "Our reference", "Ons kenmerk"), ref),
                 (tr(v, "Subject", "Onderwerp"), tr(v, "Your appointment", "Uw afspraak"))]),
         ("text", tr(v, "Dear resident,", "Beste inwoner,")),
         ("text", tr(v, f"Thank you for your request. We have made an appointment for you on {v.date_text(when)} at "
                        f"{v.rng.randint(9, 16)}:{v.pick(('00', '15', '30', '45'))} at the town hall. Please bring a valid "
                        "proof of identity. If you cannot come, please let us know by phone.",
                        f"Bedankt voor uw aanvraag. Wij hebben een afspraak voor u gemaakt op {v.date_text(when)} om "
                        f"{v.rng.randint(9, 16)}:{v.pick(('00', '15', '30', '45'))} uur in het stadhuis. Neem een geldig "
                        "identiteitsbewijs mee. Kunt u niet komen, laat het ons dan telefonisch weten.")),
         ("text", tr(v, "Yours sincerely,", "Met vriendelijke groet,")), ("text", f"{v.name()}\n{tr(v, 'Public affairs', 'Publiekszaken')}")],
        {"sender": body, "name": name, "address": one_line(address), "date": iso(day), "case_reference": ref},
    )  # fmt: skip


def letter_request(v: Values) -> Draft:
    name, address, day, ref = v.name(), v.address(), v.date(), v.reference()
    return Draft(
        [("right", [name, one_line(address), f"{v.date_text(day)}"]),
         ("text", tr(v, f"To {v.pick(AUTHORITIES)}", f"Aan {v.pick(AUTHORITIES)}")),
         ("text", tr(v, "Re: request for information", "Betreft: verzoek om informatie")),
         ("text", tr(v, f"With reference to my application {ref}, I would like to ask how long it will take before I "
                        "hear from you. I submitted everything you asked for. Can you also tell me which documents "
                        "you still need, if any?",
                        f"Naar aanleiding van mijn aanvraag {ref} wil ik graag weten hoe lang het nog duurt voordat ik "
                        "iets van u hoor. Ik heb alles ingeleverd waar u om vroeg. Kunt u mij ook laten weten welke "
                        "stukken u eventueel nog nodig heeft?")),
         ("text", tr(v, f"You can reach me at {v.faker.phone_number()} or by e-mail at {v.faker.free_email()}.",
                        f"U kunt mij bereiken op {v.faker.phone_number()} of per e-mail via {v.faker.free_email()}.")),
         ("text", tr(v, "With kind regards,", "Hoogachtend,")), ("text", name)],
        {"sender": name, "address": one_line(address), "date": iso(day), "case_reference": ref},
    )  # fmt: skip


def letter_email(v: Values) -> Draft:
    name, day = v.name(), v.date()
    sender = v.faker.free_email()
    return Draft(
        [("kv", [(tr(v, "From:", "Van:"), f"{name} <{sender}>"), (tr(v, "Sent:", "Verzonden:"), v.date_text(day)),
                 (tr(v, "To:", "Aan:"), "info@havenstad.example"), (tr(v, "Subject:", "Onderwerp:"), tr(v, "Question about my neighbourhood", "Vraag over mijn wijk"))]),
         ("rule",),
         ("text", tr(v, "Hello,", "Hallo,")),
         ("text", tr(v, f"The street lights in {v.street()} have not worked for two weeks and it is very dark in the evening. "
                        "Who can I contact about this? Also, when will the bins be emptied during the holidays?",
                        f"De straatverlichting in de {v.street()} doet het al twee weken niet en het is 's avonds erg donker. "
                        "Bij wie kan ik hiervoor terecht? En wanneer worden de containers geleegd tijdens de feestdagen?")),
         ("text", tr(v, "Thanks,", "Groet,")), ("text", name)],
        {"sender": name, "date": iso(day), "email": sender},
    )  # fmt: skip


def other_flyer(v: Values) -> Draft:
    shop = v.pick(("Pizzeria Da Marco", "Snackbar De Hoek", "Fietsenmaker Wiel", "Kapsalon Knip"))
    return Draft(
        [("center", shop.upper()), ("center", tr(v, "GRAND OPENING!", "FEESTELIJKE OPENING!")),
         ("text", tr(v, f"From {v.date_text(v.date())} we are open every day from 11:00 to 22:00. Come and try us out: "
                        "the first week everything is 20% off. Free delivery in the whole neighbourhood!",
                        f"Vanaf {v.date_text(v.date())} zijn wij elke dag open van 11.00 tot 22.00 uur. Kom langs en proef: "
                        "de eerste week alles 20% korting. Gratis bezorging in de hele wijk!")),
         ("kv", [(tr(v, "Where", "Waar"), one_line(v.address())), (tr(v, "Order", "Bestellen"), v.faker.phone_number())]),
         ("center", tr(v, "See you soon!", "Tot snel!"))],
        {"sender": shop},
    )  # fmt: skip


def other_minutes(v: Values) -> Draft:
    chair, day = v.name(), v.date()
    return Draft(
        [("title", tr(v, "Residents' association — minutes", "Bewonersvereniging — notulen")),
         ("kv", [(tr(v, "Meeting of", "Vergadering van"), v.date_text(day)), (tr(v, "Chair", "Voorzitter"), chair),
                 (tr(v, "Present", "Aanwezig"), f"{v.rng.randint(6, 30)} " + tr(v, "members", "leden"))]),
         ("text", tr(v, "1. Opening and agenda\n2. Minutes of the previous meeting adopted\n3. Playground renovation: "
                        "the committee will ask for three quotes\n4. Summer party: volunteers wanted\n5. Any other business and close",
                        "1. Opening en vaststellen agenda\n2. Notulen vorige vergadering vastgesteld\n3. Renovatie speeltuin: "
                        "de commissie vraagt drie offertes op\n4. Zomerfeest: vrijwilligers gezocht\n5. Rondvraag en sluiting")),
         ("text", tr(v, "Action points: the secretary sends the newsletter; the treasurer checks the budget.",
                        "Actiepunten: de secretaris verstuurt de nieuwsbrief; de penningmeester controleert de begroting."))],
        {"sender": chair, "date": iso(day)},
    )  # fmt: skip


def other_recipe(v: Values) -> Draft:
    people = v.rng.randint(2, 8)
    return Draft(
        [("title", tr(v, "Grandma's apple pie", "Oma's appeltaart")),
         ("text", tr(v, f"For {people} people. Preparation 30 minutes, oven 60 minutes at 175 degrees.",
                        f"Voor {people} personen. Bereiding 30 minuten, oven 60 minuten op 175 graden.")),
         ("text", tr(v, "Ingredients: 300 g flour, 200 g butter, 150 g brown sugar, 1 egg, 1 kg apples, cinnamon, raisins.",
                        "Ingrediënten: 300 g bloem, 200 g boter, 150 g basterdsuiker, 1 ei, 1 kg appels, kaneel, rozijnen.")),
         ("text", tr(v, "Knead the flour, butter, sugar and half of the egg into a dough. Line a greased tin with two thirds "
                        "of it. Peel and slice the apples, mix with cinnamon and raisins and fill the tin. Make a lattice "
                        "with the rest of the dough, brush with egg and bake until golden brown.",
                        "Kneed de bloem, boter, suiker en de helft van het ei tot een deeg. Bekleed een ingevette vorm met "
                        "twee derde ervan. Schil de appels, snijd ze in partjes, meng met kaneel en rozijnen en vul de vorm. "
                        "Maak met de rest van het deeg een rooster, bestrijk met ei en bak goudbruin."))],
        {},
    )  # fmt: skip


def other_newsletter(v: Values) -> Draft:
    club = v.pick(
        (
            "Voetbalvereniging Havenstad",
            "Tennisclub De Lob",
            "Zangkoor Cantate",
            "Schaakclub De Toren",
        )
    )
    return Draft(
        [("head", club, [tr(v, "Members' newsletter", "Clubblad") + f" {v.rng.randint(1, 12)}/{v.rng.randint(2024, 2026)}"]),
         ("text", tr(v, "From the board", "Van het bestuur")),
         ("text", tr(v, "What a season! Our first team finished third and the youth teams played a great tournament. "
                        "The canteen needs more volunteers on Saturdays; sign up with the bar committee.",
                        "Wat een seizoen! Ons eerste team eindigde als derde en de jeugd speelde een prachtig toernooi. "
                        "De kantine heeft op zaterdag meer vrijwilligers nodig; meld je aan bij de barcommissie.")),
         ("table", [tr(v, "Fixture", "Wedstrijd"), tr(v, "Date", "Datum"), tr(v, "Time", "Tijd")],
          [[f"{club.split()[-1]} 1 - {v.city()} 1", f"{v.date():%d-%m}", "14:30"],
           [f"{v.city()} 2 - {club.split()[-1]} 2", f"{v.date():%d-%m}", "12:00"]]),
         ("text", tr(v, "Membership fees for next year will be collected in September.",
                        "De contributie voor volgend jaar wordt in september geïnd."))],
        {"sender": club},
    )  # fmt: skip


TEMPLATES = (
    Template("letter-1", "letter", Style(font="Times-Roman", size=11.5), letter_resident),
    Template("letter-2", "letter", Style(head_align="left", kv_width=140), letter_authority),
    Template("letter-3", "letter", Style(font="Courier", size=10.5), letter_request),
    Template("letter-4", "letter", Style(kv_width=100, size=10), letter_email),
    Template("other-1", "other", Style(size=13, title_size=22), other_flyer),
    Template("other-2", "other", Style(font="Times-Roman", kv_width=150), other_minutes),
    Template("other-3", "other", Style(font="Helvetica", size=11.5), other_recipe),
    Template("other-4", "other", Style(head_align="center", font="Times-Roman"), other_newsletter),
)
