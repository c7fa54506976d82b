"""The child's side of the data tracker on the big log (``usage_page`` timed, with its
plans), verify's profile and the tracked residents' sessions."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from benchmarks.exchange.log import PAGE, TRACK_BUDGET_S
from benchmarks.foundation.point_query import latency_summary


def _plans(personal_number: str) -> dict[str, list[str]]:
    """The plans of the statements ``usage_page`` sends, for one resident."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civic.exchange.selectors import usage_page

    with CaptureQueriesContext(connection) as captured:
        usage_page(personal_number=personal_number, limit=PAGE)
    plans: dict[str, list[str]] = {}
    for query in captured.captured_queries:
        sql = query["sql"]
        if "exchange_accesslogentry" not in sql:
            continue
        kind = "count" if "COUNT(" in sql.upper() else "page"
        name = (
            kind
            if kind not in plans
            else f"{kind} {sum(k.startswith(kind) for k in plans) // 2 + 1}"
        )
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                plans[name] = [str(row[-1]) for row in cursor.fetchall()]
            else:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plans[name] = [str(row[0]) for row in cursor.fetchall()]
        plans[f"{name}_sql"] = [sql]
    return plans


def track(*, samples: int, seed: int) -> dict[str, Any]:
    from django.conf import settings
    from django.db import connection

    from civic.exchange.selectors import usage_page

    tracked = json.loads((Path(settings.VAR_DIR) / "exchange-tracked.json").read_text())
    numbers = [t["personal_number"] for t in tracked]
    first_ms: list[float] = []
    totals: dict[str, int] = {}
    for number in numbers:  # the first call for each resident: nothing of theirs cached yet
        began = time.perf_counter_ns()
        page = usage_page(personal_number=number, limit=PAGE)
        first_ms.append((time.perf_counter_ns() - began) / 1e6)
        totals[number] = page["total"]
    rng = random.Random(seed)
    wall_ms: list[float] = []
    cpu_ms: list[float] = []
    returned = 0
    deadline = time.monotonic() + TRACK_BUDGET_S
    for _ in range(samples):
        if time.monotonic() > deadline:  # a slow tracker must not hold the run for hours
            break
        number = rng.choice(numbers)
        cpu = time.process_time_ns()
        began = time.perf_counter_ns()
        page = usage_page(personal_number=number, limit=PAGE)
        wall_ms.append((time.perf_counter_ns() - began) / 1e6)
        cpu_ms.append((time.process_time_ns() - cpu) / 1e6)
        returned += len(page["entries"])
    return {
        "vendor": connection.vendor,
        "residents": len(numbers),
        "entries_each": [t["entries"] for t in tracked],
        "visible_each": [totals[n] for n in numbers],
        "samples": len(wall_ms),
        "budget_s": TRACK_BUDGET_S,
        "page": PAGE,
        "returned_mean": returned / max(1, len(wall_ms)),
        "first_ms": latency_summary(first_ms) if len(first_ms) > 1 else {},
        "wall_ms": latency_summary(wall_ms),
        "cpu_ms": latency_summary(cpu_ms),
        "plans": _plans(numbers[0]),
    }


def verify_profile(*, entries: int) -> dict[str, Any]:
    """Where the verifier spends its time: cProfile over its work on the first ``entries``
    entries, in this one process (``verify._verify_block``, the unit the command's worker
    processes run)."""
    import cProfile
    import pstats

    from civic.exchange import verify

    block = getattr(verify, "_verify_block", None)
    if block is None:  # the verifier changed shape: nothing to profile by this route
        return {"entries": 0, "profiled_wall_s": 0.0, "top": []}
    profile = cProfile.Profile()
    began = time.perf_counter()
    profile.enable()
    block(0, entries, [])
    profile.disable()
    wall = time.perf_counter() - began
    stats = pstats.Stats(profile)
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])  # type: ignore[attr-defined]
    total = sum(row[2] for _key, row in rows) or 1.0
    top = [
        f"{name if filename == '~' else f'{Path(filename).name}:{name}'} "
        f"{100 * row[2] / total:.0f} %"
        for (filename, _line, name), row in rows[:8]
    ]
    return {"entries": entries, "profiled_wall_s": wall, "top": top}


def sessions(out: Path) -> dict[str, Any]:
    """Log each tracked resident in (a database session each); write the session ids."""
    from django.conf import settings
    from django.test import Client

    from civic.identity.services import resident_account_ensure

    tracked = json.loads((Path(settings.VAR_DIR) / "exchange-tracked.json").read_text())
    keys = []
    for t in tracked:
        client = Client()
        client.force_login(
            resident_account_ensure(personal_number=t["personal_number"]),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    out.write_text("\n".join(keys) + "\n")
    return {"sessions": len(keys), "cookie": settings.SESSION_COOKIE_NAME}
