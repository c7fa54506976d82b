"""The EU vocabularies the catalogue speaks (publications.europa.eu authority tables) and
their CKAN names: data themes, licences, file types, frequencies, High-Value Datasets."""

from __future__ import annotations

AUTHORITY = "http://publications.europa.eu/resource/authority"

THEMES = {
    "SOCI": "Population and society",
    "GOVE": "Government and public sector",
    "ECON": "Economy and finance",
    "ENVI": "Environment",
    "HEAL": "Health",
    "TRAN": "Transport",
}
FREQUENCIES = {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "ANNUAL": "annual"}
#: EU licence code -> (CKAN license_id, title, the licence's own page).
LICENCES = {
    "CC_BY_4_0": (
        "cc-by-4.0",
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC0": (
        "cc-zero",
        "Creative Commons CCZero",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
}
HVD_CATEGORIES = {"c_e1da4e07": "Statistics"}
HVD_LEGISLATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"


def theme_uri(code: str) -> str:
    return f"{AUTHORITY}/data-theme/{code}"


def frequency_uri(code: str) -> str:
    return f"{AUTHORITY}/frequency/{code}"


def licence_uri(code: str) -> str:
    return f"{AUTHORITY}/licence/{code}"


def file_type_uri(code: str) -> str:
    return f"{AUTHORITY}/file-type/{code}"


def hvd_category_uri(code: str) -> str:
    return f"http://data.europa.eu/bna/{code}"


LANGUAGES = {"en": "ENG", "nl": "NLD"}


def language_uri(code: str) -> str:
    return f"{AUTHORITY}/language/{LANGUAGES[code]}"
