"""civic catalog evaluate [--set NAME ...] [--misses] [--json]

Measures the finder on the query sets in catalog/data/ against the catalogue in the database
(apply the set-up first): top-1 and top-3 per language, and the time a search takes.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from civic.catalog.evaluation import QUERY_SETS, evaluate, queries_load
from civic.catalog.selectors import services_find


class Command(BaseCommand):
    help = "The catalogue's finder: measure its accuracy on the query sets (evaluate)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("evaluate", help="top-1 and top-3 per language on the query sets")
        run.add_argument("--set", action="append", choices=sorted(QUERY_SETS), dest="sets")
        run.add_argument("--misses", action="store_true", help="list the queries missed")
        run.add_argument("--json", action="store_true", help="print the figures as JSON")

    def handle(self, *args, action, sets=None, misses=False, **options):
        def search(query: str) -> list[str]:
            return [service.code for service, _score in services_find(query=query, limit=3)]

        search("warm up")
        results = {}
        for name in sets or list(QUERY_SETS):
            found = evaluate(queries_load(name), search)
            results[name] = {
                "about": QUERY_SETS[name][1],
                **found["overall"].as_dict(),
                "languages": {k: v.as_dict() for k, v in found["languages"].items()},
                "ms_median": round(found["ms_median"], 2),
                "ms_p95": round(found["ms_p95"], 2),
                "misses": found["overall"].misses,
            }
        if options["json"]:
            self.stdout.write(json.dumps(results, indent=1, ensure_ascii=False))
            return
        for name, r in results.items():
            langs = ", ".join(
                f"{lang} {v['queries']} q top-1 {v['top1']:.1%} top-3 {v['top3']:.1%}"
                for lang, v in r["languages"].items()
            )
            self.stdout.write(
                f"{name} ({r['about']}): {r['queries']} queries, top-1 {r['top1']:.1%}, "
                f"top-3 {r['top3']:.1%}, no answer {r['empty']} [{langs}]; search {r['ms_median']} ms median, "
                f"{r['ms_p95']} ms p95"
            )
            if misses:
                for query, expected, found in r["misses"]:
                    self.stdout.write(f"  miss: {query!r} wants {expected}, got {found}")
