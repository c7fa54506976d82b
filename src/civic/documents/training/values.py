"""Random but realistic values that fill the training templates: people, addresses,
organisations, dates, amounts, IBANs (valid mod-97) and personal numbers (valid mod-11).

Everything comes from one ``random.Random`` (and a Faker seeded from it), so a seed gives the
same values on every run of the same installation. Imports only ``core``.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass

import numpy as np
from faker import Faker

from civic.core.numbers import format_personal_number, personal_numbers_from_prefixes

BANKS = ("ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ")
CITIES = (
    "Havenstad", "Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Groningen", "Zwolle",
    "Leiden", "Tilburg", "Arnhem", "Delft", "Haarlem", "Breda", "Maastricht", "Almere",
)  # fmt: skip
EMPLOYERS = (
    "Bakkerij De Korenbloem B.V.", "Havenstad Logistics B.V.", "Zorggroep Het Baken",
    "Gemeente Havenstad", "Jansen Installatietechniek", "Noordzee Software B.V.",
    "Supermarkt Dekker", "Stichting Welzijn Oost", "Van Dijk Transport B.V.",
    "Hotel De Zeven Provinciën", "Schoonmaakbedrijf Glans", "Technische Unie Havenstad",
)  # fmt: skip
LANDLORDS = (
    "Woonstichting De Haven", "Woningcorporatie Eigen Haard", "Vesteda Woningen",
    "Stichting Huisvesting Havenstad", "P. de Groot Vastgoed", "Mitros Wonen",
)  # fmt: skip
PRACTICES = (
    "Huisartsenpraktijk De Linde", "Gezondheidscentrum Oost", "Medisch Centrum Havenstad",
    "Huisartsen Kerkplein", "Arbodienst Vitaal", "Ziekenhuis Rijnstate",
)  # fmt: skip
SUPPLIERS = (
    "Elektro Visser", "Drukkerij Snel B.V.", "Kantoorhuis Nederland", "Tuinbedrijf Groen",
    "Loodgietersbedrijf Bakker", "IT Partners Havenstad", "Schildersbedrijf Kleur",
    "Autobedrijf Smit", "Energie Direct B.V.", "Waterbedrijf Havenstad",
)  # fmt: skip
AUTHORITIES = (
    "Gemeente Havenstad", "Belastingdienst", "Sociale Verzekeringsbank", "UWV",
    "Dienst Toeslagen", "Gemeente Amsterdam", "Gemeente Utrecht",
)  # fmt: skip


def iban_make(country: str, bank: str, account: str) -> str:
    """An IBAN with its two check digits computed (ISO 13616: mod 97 of the rearranged
    number, letters as 10..35, must be 1)."""
    bban = bank + account
    rearranged = bban + country + "00"
    number = int("".join(str(int(ch, 36)) for ch in rearranged))
    return f"{country}{98 - number % 97:02d}{bban}"


def iban_grouped(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


@dataclass
class Values:
    """A random source of values for one document."""

    rng: random.Random
    language: str

    def __post_init__(self):
        self.faker = Faker("nl_NL" if self.rng.random() < 0.75 else "en_GB")
        self.faker.seed_instance(self.rng.getrandbits(32))

    # -- people and places --------------------------------------------------------------------
    def name(self) -> str:
        return f"{self.faker.first_name()} {self.faker.last_name()}"

    def street(self) -> str:
        return f"{self.faker.street_name()} {self.rng.randint(1, 250)}"

    def postcode(self) -> str:
        letters = "".join(self.rng.choice("ABCEGHJKLNPRSTVXZ") for _ in range(2))
        return f"{self.rng.randint(1000, 9999)} {letters}"

    def city(self) -> str:
        return self.rng.choice(CITIES)

    def address(self) -> dict[str, str]:
        return {"street": self.street(), "postcode": self.postcode(), "city": self.city()}

    def pick(self, options):
        return self.rng.choice(options)

    # -- numbers ------------------------------------------------------------------------------
    def personal_number(self) -> str:
        while True:
            prefix = self.rng.randint(10_000_000, 99_999_999)
            numbers, usable = personal_numbers_from_prefixes(np.array([prefix]))
            if usable[0]:
                return format_personal_number(int(numbers[0]))

    def iban(self) -> str:
        account = "".join(self.rng.choice(string.digits) for _ in range(10))
        return iban_make("NL", self.rng.choice(BANKS), account)

    def amount(self, low: float, high: float) -> float:
        return round(self.rng.uniform(low, high), 2)

    def money(self, value: float) -> str:
        """€ 1.234,56 in Dutch, € 1,234.56 in English."""
        text = f"{value:,.2f}"
        if self.language == "nl":
            text = text.replace(",", "_").replace(".", ",").replace("_", ".")
        return f"€ {text}"

    def reference(self, prefix: str = "") -> str:
        digits = "".join(self.rng.choice(string.digits) for _ in range(6))
        return f"{prefix or self.rng.choice(('Z', 'BZ', 'HT', 'KB'))}-{self.rng.randint(2023, 2026)}-{digits}"

    def code(self, length: int = 9) -> str:
        alphabet = string.ascii_uppercase.replace("O", "") + string.digits[1:]
        return "".join(self.rng.choice(alphabet) for _ in range(length))

    # -- dates --------------------------------------------------------------------------------
    def date(self, start: int = 2024, end: int = 2026) -> dt.date:
        first = dt.date(start, 1, 1).toordinal()
        return dt.date.fromordinal(self.rng.randint(first, dt.date(end, 11, 30).toordinal()))

    def birth_date(self) -> dt.date:
        return self.date(1940, 2006)

    def date_text(self, day: dt.date) -> str:
        style = self.rng.randint(0, 2)
        if style == 0:
            return day.strftime("%d-%m-%Y")
        if style == 1:
            return day.isoformat()
        month = (MONTHS_NL if self.language == "nl" else MONTHS_EN)[day.month - 1]
        return f"{day.day} {month} {day.year}"

    def month_text(self, day: dt.date) -> str:
        month = (MONTHS_NL if self.language == "nl" else MONTHS_EN)[day.month - 1]
        return f"{month} {day.year}"


MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip
