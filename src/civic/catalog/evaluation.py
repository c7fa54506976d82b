"""How well the finder does on query sets with known answers: top-1 and top-3 per language,
the queries it misses, and how long a search takes. Used by ``civic catalog evaluate`` and the
tests; the sets live in ``catalog/data/``."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
#: name -> (file, what it is). The tuning set may be looked at and tuned on; the others not.
QUERY_SETS = {
    "tuning": ("finder_queries.json", "written with the catalogue (for tuning)"),
    "names": ("finder_queries_heldout.json", "written from the service names only"),
    "residents": (
        "finder_queries_residents.json",
        "held out: residents' questions written before reading the catalogue",
    ),
    "residents-2026-12": (
        "finder_queries_residents_2026_12.json",
        "held out: a second residents' set, written blind on 2026-12-04 (recorded, not asserted)",
    ),
}


def queries_load(name: str) -> list[dict]:
    data = json.loads((DATA / QUERY_SETS[name][0]).read_text(encoding="utf-8"))
    queries = data["queries"] if isinstance(data, dict) else data
    return [q for q in queries if q.get("expected")]


@dataclass
class Score:
    queries: int = 0
    top1: int = 0
    top3: int = 0
    #: Queries answered with no service at all (the page then offers life events and a person).
    empty: int = 0
    misses: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    def add(self, query: str, expected: list[str], found: list[str]) -> None:
        self.queries += 1
        self.empty += not found
        self.top1 += bool(found) and found[0] in expected
        hit = any(code in expected for code in found[:3])
        self.top3 += hit
        if not hit:
            self.misses.append((query, expected, found[:3]))

    def as_dict(self) -> dict:
        return {
            "queries": self.queries,
            "top1": self.top1 / self.queries if self.queries else 0.0,
            "top3": self.top3 / self.queries if self.queries else 0.0,
            "empty": self.empty,
        }


def evaluate(queries: list[dict], search: Callable[[str], list[str]]) -> dict:
    """Per language and overall: top-1, top-3, misses; and the search time per query."""
    by_language: dict[str, Score] = {}
    overall = Score()
    times = []
    for case in queries:
        started = time.perf_counter()
        found = search(case["query"])
        times.append(time.perf_counter() - started)
        for score in (overall, by_language.setdefault(case.get("language", "?"), Score())):
            score.add(case["query"], case["expected"], found)
    times.sort()
    return {
        "overall": overall,
        "languages": dict(sorted(by_language.items())),
        "ms_median": statistics.median(times) * 1000 if times else 0.0,
        "ms_p95": times[int(0.95 * (len(times) - 1))] * 1000 if times else 0.0,
    }
