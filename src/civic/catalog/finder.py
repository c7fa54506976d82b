"""The service finder: plain-language search in English and Dutch that tolerates typos,
informal words and Dutch compounds. A small domain model with no framework imports.

Each service is one document holding its texts in every language, weighted by field (name and
search words count most). Words are folded (case, accents), stop words dropped, and stemmed with
the Snowball stemmer of their language. A query word is matched, in falling weight, by its stem,
by a synonym, by the parts of a compound, as a prefix, or by a near spelling (RapidFuzz
optimal-string-alignment distance, so a swapped pair of letters is one slip); documents are ranked
with BM25, where each query word counts once (through the best of the terms it stands for, so a
short word that prefixes many compounds does not outweigh the others) and two query words that
stand next to each other in a service's text ("lost job", "get married") count once more.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from civic.catalog.synonyms import SYNONYMS

MAX_QUERY_LENGTH = 200
K1, B = 1.2, 0.5
FIELD_WEIGHTS = {
    "name": 3.0,
    "keywords": 2.5,
    "life_events": 1.2,
    "summary": 1.0,
    "topics": 0.6,
    "agency": 0.4,
}
STOP_WORDS = {
    "en": set(
        "a an and are as at be by can do for from get have how i i'm im in is it me my of on or our "
        "so the their this to we what when where who will with you your need needs want please "
        "get getting got just last next week month today yesterday tomorrow anymore again now soon "
        "still".split()
    ),
    "nl": set(
        "de het een en van voor met op in is ik mijn wij we ons onze hoe wat waar wie wanneer kan "
        "moet wil aan bij naar om te dat die dit er ben heb hebben zijn ze je u uw mij heeft hebt "
        "nodig graag vorige volgende week maand vandaag gisteren morgen meer weer nu binnenkort "
        "nog steeds".split()
    ),
}
LANGUAGES = ("en", "nl")
#: How much a match in the other language's text counts once the query's language is clear.
OTHER_LANGUAGE = 0.6
_STEMMERS = {"en": snowballstemmer.stemmer("english"), "nl": snowballstemmer.stemmer("dutch")}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


@lru_cache(maxsize=50_000)
def stem(word: str, language: str) -> str:
    return _STEMMERS[language].stemWord(word)


def terms(text: str, language: str) -> list[str]:
    return [stem(w, language) for w in words(text) if w not in STOP_WORDS[language] and len(w) > 1]


def pair(first: str, second: str) -> str:
    """The index term for two words next to each other."""
    return f"{first}+{second}"


def _segments(field_name: str, text: str) -> list[str]:
    """Stretches of text in which neighbouring words form pairs: each search word phrase, each
    sentence of a text."""
    separator = r"[|]" if field_name == "keywords" else r"[.?!;:|]"
    return [part for part in re.split(separator, text) if part.strip()]


@dataclass
class Document:
    code: str
    texts: dict[str, dict[str, str]]  # field -> language -> text
    weights: Counter = field(default_factory=Counter)
    length: float = 0.0


@dataclass(frozen=True)
class Hit:
    code: str
    score: float


class Finder:
    def __init__(self, documents: list[Document]) -> None:
        self.documents = documents
        self.document_frequency: Counter = Counter()
        self.surface: dict[str, set[str]] = defaultdict(set)  # folded word -> its stems
        self.languages: dict[str, set[str]] = defaultdict(set)  # folded word -> its languages
        for doc in documents:
            for field_name, by_language in doc.texts.items():
                weight = FIELD_WEIGHTS[field_name]
                for language, text in by_language.items():
                    for segment in _segments(field_name, text):
                        previous = None
                        for w in words(segment):
                            if w in STOP_WORDS[language] or len(w) < 2:
                                continue
                            term = f"{language}:{stem(w, language)}"
                            doc.weights[term] += weight
                            self.surface[w].add(term)
                            self.languages[w].add(language)
                            if previous is not None and previous != term:
                                doc.weights[pair(previous, term)] += weight
                            previous = term
            doc.length = sum(doc.weights.values())
            self.document_frequency.update(doc.weights.keys())
        self.average_length = sum(d.length for d in documents) / max(len(documents), 1)
        self.vocabulary = sorted(self.surface)
        # Compounds are Dutch: "huur" finds "huurtoeslag", but English "last" not "overlast".
        self.long_words = [w for w in self.vocabulary if len(w) >= 7 and "nl" in self.languages[w]]

    def _expand(self, word: str) -> dict[str, float]:
        """The index terms a query word stands for, each with how much to trust it."""
        found: dict[str, float] = {}

        def add(term: str, weight: float) -> None:
            if term in self.document_frequency:
                found[term] = max(found.get(term, 0.0), weight)

        for language in LANGUAGES:
            add(f"{language}:{stem(word, language)}", 1.0)
        for synonym in SYNONYMS.get(word, ()):
            for language in LANGUAGES:
                for part in words(synonym):
                    add(f"{language}:{stem(part, language)}", 0.8)
        if len(word) >= 4 and self.languages.get(word, {"nl"}) != {"en"}:
            # Dutch compounds: "huur" finds "huurtoeslag"; a long query word made of known
            # words ("afvalcontainer") finds its parts.
            for long_word in self.long_words:
                if long_word != word and (long_word.startswith(word) or long_word.endswith(word)):
                    for term in self.surface[long_word]:
                        add(term, 0.6)
            for cut in range(4, len(word) - 3):
                head, tail = word[:cut], word[cut:]
                if head in self.surface and tail in self.surface:
                    for term in self.surface[head] | self.surface[tail]:
                        add(term, 0.7)
        if not found and len(word) >= 4:
            limit = 1 if len(word) <= 5 else 2
            for candidate, _score, _index in process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, limit=4, score_cutoff=70
            ):
                if _edit_distance_at_most(word, candidate, limit):
                    for term in self.surface[candidate]:
                        add(term, 0.75)
        return found

    def _bm25(self, term: str, doc: Document) -> float:
        tf = doc.weights.get(term)
        if not tf:
            return 0.0
        df = self.document_frequency[term]
        idf = math.log(1 + (len(self.documents) - df + 0.5) / (df + 0.5))
        norm = K1 * (1 - B + B * doc.length / self.average_length)
        return idf * tf * (K1 + 1) / (tf + norm)

    def language_guess(self, all_words: list[str]) -> str | None:
        """The query's language, when its small words and its words in the catalogue's texts
        say so ("we moved last week" is English, though "last" is Dutch too)."""
        votes = Counter()
        for w in all_words:
            for language in LANGUAGES:
                other = LANGUAGES[1 - LANGUAGES.index(language)]
                only_this = w in STOP_WORDS[language] and w not in STOP_WORDS[other]
                if only_this or self.languages.get(w) == {language}:
                    votes[language] += 1
        if votes["en"] != votes["nl"]:
            return max(LANGUAGES, key=lambda language: votes[language])
        return None

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        all_words = words(query[:MAX_QUERY_LENGTH])
        query_words = [
            w for w in all_words if w not in STOP_WORDS["en"] | STOP_WORDS["nl"] and len(w) > 1
        ]
        # Each query word stands for some index terms, each with a trust.
        units = [self._expand(word) for word in dict.fromkeys(query_words)]
        # Neighbouring query words, by their stems and near spellings, as pairs.
        for first, second in itertools.pairwise(query_words):
            firsts = {t for t, trust in self._expand(first).items() if trust >= 0.75}
            seconds = {t for t, trust in self._expand(second).items() if trust >= 0.75}
            pairs = {
                pair(a, b): 1.0
                for a in firsts
                for b in seconds
                if pair(a, b) in self.document_frequency
            }
            if pairs:
                units.append(pairs)
        units = [unit for unit in units if unit]
        if not units:
            return []
        language = self.language_guess(all_words)
        if language:
            units = [
                {
                    term: trust if term.startswith(language) else trust * OTHER_LANGUAGE
                    for term, trust in unit.items()
                }
                for unit in units
            ]
        hits = []
        for doc in self.documents:
            score = 0.0
            for unit in units:
                score += max(
                    (trust * self._bm25(term, doc) for term, trust in unit.items()), default=0.0
                )
            if score > 0:
                hits.append(Hit(doc.code, score))
        hits.sort(key=lambda h: (-h.score, h.code))
        return hits[:limit]


def _edit_distance_at_most(a: str, b: str, limit: int) -> bool:
    return OSA.distance(a, b, score_cutoff=limit) <= limit
