"""Names for the synthetic jurisdiction: people (from Faker's Dutch lists), streets,
neighbourhoods, businesses and vehicles. Only data; the sampling is in the other modules."""

from __future__ import annotations

from faker.providers.person.nl_NL import Provider as DutchPeople

MUNICIPALITY_NAME = "Havenstad"
MUNICIPALITY_CODE = "0999"
# The town centre; the synthetic map is laid out around it (a point in the Dutch polder).
CENTRE_LATITUDE, CENTRE_LONGITUDE = 52.0907, 5.1214

FIRST_NAMES_FEMALE = tuple(DutchPeople.first_names_female)
FIRST_NAMES_MALE = tuple(DutchPeople.first_names_male)
# Faker's list mixes in medieval nobility ("Heribert van Laon"); keep plain one-word names.
FAMILY_NAMES = tuple(
    name for name in DutchPeople.last_names if name.isalpha() and name[0].isupper()
)
# About a third of Dutch family names carry a prefix; these are the common ones, by weight.
FAMILY_NAME_PREFIXES = ("van", "de", "van der", "van den", "van de", "ter", "den", "in 't")
FAMILY_NAME_PREFIX_WEIGHTS = (0.34, 0.30, 0.12, 0.09, 0.08, 0.03, 0.02, 0.02)

STREET_STEMS = (
    "Eiken", "Beuken", "Linden", "Berken", "Wilgen", "Esdoorn", "Kastanje", "Iepen", "Populier",
    "Hazelaar", "Vlier", "Meidoorn", "Els", "Plataan", "Acacia", "Rozen", "Tulpen", "Narcissen",
    "Lelie", "Anjer", "Violier", "Jasmijn", "Klaver", "Margriet", "Zonnebloem", "Merel",
    "Lijster", "Zwaluw", "Koolmees", "Specht", "Reiger", "Kievit", "Fazant", "Valk", "Buizerd",
    "Ooievaar", "Rembrandt", "Vermeer", "Frans Hals", "Jan Steen", "Mondriaan", "Van Gogh",
    "Escher", "Breitner", "Israëls", "Sweelinck", "Mengelberg", "Diepenbrock", "Andriessen",
    "Maas", "Rijn", "Waal", "IJssel", "Lek", "Vecht", "Amstel", "Dommel", "Dinkel", "Regge",
    "Smeden", "Bakkers", "Molenaars", "Kuipers", "Touwslagers", "Wevers", "Vissers", "Schippers",
    "Kerk", "Molen", "Sluis", "Dijk", "Haven", "Kade", "Markt", "Station", "School", "Kloosters",
    "Tuinders", "Boomgaard", "Weide", "Akker", "Hoeve", "Polder", "Duin", "Heide", "Venen",
    "Zuider", "Noorder", "Wester", "Ooster", "Spaarne", "Erasmus", "Thorbecke", "Huygens",
    "Spinoza", "Grotius", "Lorentz", "Kamerlingh Onnes", "Zernike", "Jacobs", "Drees", "Schouten",
)
STREET_SUFFIXES = (
    "straat", "laan", "weg", "plein", "hof", "singel", "dreef", "kade", "gracht", "pad",
    "park", "erf", "steeg", "wal",
)
STREET_QUALIFIERS = ("", "Korte ", "Lange ", "Nieuwe ", "Oude ")

NEIGHBOURHOOD_NAMES = (
    "Centrum", "Oude Haven", "Kloosterveld", "Molenwijk", "Bloemenbuurt", "Vogelwijk",
    "Schildersbuurt", "Bomenbuurt", "Stationskwartier", "Dijkzicht", "Hoogland", "Zuiderpark",
    "Noorderhaven", "Westerkwartier", "Oosterhout", "De Weiden", "Het Broek", "Rivierenbuurt",
    "Componistenbuurt", "Lindenhof", "Kerkeveld", "Sluiskwartier", "De Akkers", "Heidepark",
    "Polderwijk", "Duinzicht", "Marktkwartier", "Tuinstad", "Wevershoek", "Groenewoud",
)
NEIGHBOURHOOD_QUARTERS = ("", " Noord", " Zuid", " Oost", " West", " Midden")

ACTIVITIES = (
    # (SBI code, trade word for a name, weight)
    ("4120", "Bouw", 6), ("4321", "Elektrotechniek", 4), ("4322", "Installatietechniek", 4),
    ("4334", "Schilderwerken", 4), ("4520", "Autoservice", 3), ("4711", "Supermarkt", 1),
    ("4771", "Mode", 3), ("4791", "Webwinkel", 6), ("5610", "Eetcafé", 4), ("5630", "Café", 2),
    ("6201", "Software", 6), ("6202", "ICT Advies", 5), ("6910", "Advocatuur", 2),
    ("6920", "Administratie", 4), ("7022", "Advies", 8), ("7111", "Architecten", 2),
    ("7311", "Reclame", 3), ("7410", "Ontwerp", 4), ("7420", "Fotografie", 3),
    ("8559", "Training", 5), ("8621", "Huisartsenpraktijk", 1), ("8690", "Therapie", 5),
    ("9001", "Theater", 2), ("9602", "Kapsalon", 4), ("9604", "Wellness", 2),
    ("0113", "Kwekerij", 1), ("4941", "Transport", 3), ("5520", "Vakantieverhuur", 1),
    ("8810", "Thuiszorg", 3), ("9499", "Vereniging", 2),
)
COMPANY_WORDS = (
    "Horizon", "Delta", "Polder", "Zuidwind", "Noorderlicht", "Kompas", "Anker", "Vuurtoren",
    "Eikenhout", "Brug", "Helder", "Vlot", "Stip", "Kern", "Mozaïek", "Linde", "Havenzicht",
    "Molenhoek", "Groen", "Blauw", "Oranje", "Tulp", "Zeemeeuw", "Duinroos", "Sluiswachter",
)

CAR_MAKES = (
    "Volkswagen", "Toyota", "Kia", "Peugeot", "Renault", "Opel", "Ford", "Skoda", "BMW",
    "Volvo", "Hyundai", "Audi", "Mercedes-Benz", "Citroën", "Fiat", "Nissan", "Suzuki", "Seat",
    "Mazda", "Tesla",
)
# Dutch plates use no vowels (and no C, Q, W, M), so that plates never spell words.
PLATE_LETTERS = "BDFGHJKLNPRSTVXZ"

NATIONALITIES = ("NLD", "TUR", "MAR", "POL", "DEU", "SYR", "BEL", "IND", "GBR", "SUR", "ITA", "ESP", "UKR")
NATIONALITY_WEIGHTS = (0.86, 0.02, 0.02, 0.02, 0.012, 0.01, 0.008, 0.008, 0.006, 0.02, 0.006, 0.006, 0.004)
