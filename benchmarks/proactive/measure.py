"""Measuring: a proactive run from a fresh copy of the seed, OpenFisca alone, the automated
decisions and where a run's time goes, per database and size."""

from __future__ import annotations

import os
import time
from typing import Any

from benchmarks.proactive.common import DEFAULT_CHUNK, REPEATS, WARMUP
from benchmarks.proactive.common import say as _say
from benchmarks.proactive.databases import (
    Target,
    code_state,
    database_bytes,
    in_django,
    metered,
)


def _run_once(
    target: Target, residents: int, chunk_size: int, variant: str = "", settings: dict | None = None
) -> dict[str, Any]:
    restore = target.working_restore(residents)
    _say(
        f"{target.label}: proactive run, {residents:,} residents, {chunk_size:,} per chunk"
        f"{', ' + variant if variant else ''} …"
    )
    progress = target.var_dir / "progress.txt"
    before = os.getloadavg()
    code = code_state()[0]
    run = metered(
        target, "django_run", {"chunk_size": chunk_size, "progress": str(progress)}, settings
    )
    run.update(
        variant=variant,
        settings=settings or {},
        code=code,
        date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        restore_s=restore,
        database_bytes_after=database_bytes(target),
        load_before=" / ".join(f"{x:.2f}" for x in before),
        load_after=" / ".join(f"{x:.2f}" for x in os.getloadavg()),
    )
    s = run["stages_s"]
    _say(
        f"  {run['wall_s']:.1f} s: read {s['read']:.1f}, compute {s['compute']:.1f}, "
        f"write {s['write']:.1f}, outside {run['outside_chunks_s']:.1f}; "
        f"peak {run['process']['max_rss_mib']:.0f} MiB; {run['residents']:,} residents, "
        f"{run['offers']:,} offers, {run['messages']:,} messages, "
        f"{run['access_log_entries']:,} log entries"
    )
    return run


#: The larger chunk on PostgreSQL is run as configured by default, and once more with the
#: server-side prepared statements off (see "What limits each figure").
LARGE_VARIANTS: list[tuple[str, dict[str, str]]] = [
    ("", {}),
    ("prepared statements off", {"CIVIC_DB_PREPARED_STATEMENTS": "false"}),
]


def runs_missing(key: str, engine: dict[str, Any], large_chunk: int) -> None:
    """Only the larger-chunk runs at the largest size that ``engine`` (earlier figures of one
    database) does not have yet, added to it: one configuration measured again without
    redoing the rest."""
    target = Target(key)
    size = max(engine.get("sizes", {}), key=int, default=None)
    if key != "postgres" or size is None or not large_chunk:
        return
    figures = engine["sizes"][size]
    for variant, settings in LARGE_VARIANTS:
        if any(
            r["chunk_size"] == large_chunk and r.get("settings", {}) == settings
            for r in figures["runs"]
        ):
            continue
        target.seed_ensure(int(size), regenerate=False)
        figures["runs"].append(_run_once(target, int(size), large_chunk, variant, settings))
    target.working_drop()


def measure(
    key: str,
    *,
    sizes: tuple[int, ...],
    large_chunk: int,
    decisions: int,
    regenerate: bool,
    repeats: int = REPEATS,
) -> dict[str, Any]:
    target = Target(key)
    out: dict[str, Any] = {"sizes": {}}
    for residents in sizes:
        seed = target.seed_ensure(residents, regenerate=regenerate)
        figures: dict[str, Any] = {"seed": seed, "runs": []}
        figures["runs"].append(_run_once(target, residents, DEFAULT_CHUNK))
        _say(f"{target.label}: OpenFisca alone on {residents:,} residents …")
        alone = metered(target, "django_openfisca", {"repeats": repeats})
        figures["openfisca"] = alone
        _say(
            f"  calculate best {min(alone['calculate_s']):.2f} s, build best "
            f"{min(alone['build_s']):.2f} s, peak {alone['process']['max_rss_mib']:.0f} MiB"
        )
        if residents == sizes[0] and decisions:
            _say(f"{target.label}: {decisions} automated decisions …")
            result = in_django(
                target.env(),
                "django_decisions",
                {"warmup": min(WARMUP, decisions), "count": decisions},
            )
            figures["decisions"] = result
            e = result["evaluate_ms"]
            _say(
                f"  evaluate + wording p50/p95/p99 {e['p50']:.1f}/{e['p95']:.1f}/{e['p99']:.1f} ms"
            )
        if residents == sizes[0]:
            target.working_restore(residents)
            _say(f"{target.label}: where the time goes, {residents:,} residents …")
            figures["breakdown"] = in_django(
                target.env(), "django_breakdown", {"chunk_size": DEFAULT_CHUNK}
            )
        if key == "postgres" and residents == sizes[-1] and large_chunk:
            for variant, settings in LARGE_VARIANTS:
                figures["runs"].append(_run_once(target, residents, large_chunk, variant, settings))
        out["sizes"][str(residents)] = figures
    target.working_drop()
    return out


# --- the page --------------------------------------------------------------------------------
