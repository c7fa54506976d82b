"""The finder's matching rules on a small corpus, without a database."""

from __future__ import annotations

from civic.catalog.finder import Document, Finder


def corpus() -> Finder:
    def doc(code, name_en, name_nl, keywords_en="", keywords_nl=""):
        return Document(
            code=code,
            texts={
                "name": {"en": name_en, "nl": name_nl},
                "keywords": {"en": keywords_en, "nl": keywords_nl},
            },
        )

    return Finder(
        [
            doc(
                "child-benefit", "Child benefit", "Kinderbijslag", "children allowance", "kinderen"
            ),
            doc("housing-allowance", "Housing allowance", "Huurtoeslag", "rent", "huur woning"),
            doc(
                "missed-bin",
                "Report a bin that was not emptied",
                "Afval niet opgehaald",
                "waste rubbish",
                "afval container",
            ),
            doc(
                "register-a-death",
                "Register a death",
                "Aangifte overlijden",
                "death funeral",
                "overlijden",
            ),
            doc(
                "parking-permit",
                "Parking permit",
                "Parkeervergunning",
                "car parking",
                "parkeren auto",
            ),
        ]
    )


def top(finder: Finder, query: str) -> str | None:
    hits = finder.search(query)
    return hits[0].code if hits else None


def test_plain_words_in_either_language_find_the_service():
    finder = corpus()
    assert top(finder, "child benefit") == "child-benefit"
    assert top(finder, "kinderbijslag aanvragen") == "child-benefit"


def test_informal_words_find_the_service_through_synonyms():
    finder = corpus()
    assert top(finder, "my dad died") == "register-a-death"
    assert top(finder, "bin not collected") == "missed-bin"
    assert top(finder, "papa overleden") == "register-a-death"


def test_a_misspelt_word_still_finds_the_service():
    finder = corpus()
    assert top(finder, "chld benifit") == "child-benefit"
    assert top(finder, "parkng permit") == "parking-permit"
    assert top(finder, "huurtoeslaag") == "housing-allowance"


def test_part_of_a_dutch_compound_finds_the_compound():
    finder = corpus()
    assert top(finder, "toeslag") == "housing-allowance"
    assert top(finder, "parkeer") == "parking-permit"


def test_nonsense_empty_or_hostile_input_finds_nothing():
    finder = corpus()
    for query in (
        "",
        "   ",
        "qqqqzzzz",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "a" * 5000,
        "😀😀",
    ):
        assert finder.search(query) == [], query
