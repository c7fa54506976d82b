"""The exchange benchmarks (issue 3), one database after the other.

Per database, on a fresh demo set-up (see ``exchange_common.demo_prepare``):

1. log appends through the real code path, and the integrator's rate (``exchange_append``);
2. single-subject queries through the server under wrk, per server setting, with /health
   alongside, the entry count against the answers and ``civic auditlog verify`` after
   (``exchange_load``);
   and where a query's CPU goes (``exchange_profile``);
3. a 10-million-entry log built in bulk, ``civic auditlog verify`` over it, the data tracker
   in process and through the server, and the query rate with that log in place
   (``exchange_log``).

``exchange_run`` records each measurement as soon as it is done, so an interrupted run keeps
what it finished; ``exchange_report`` writes the section.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.exchange.append import append_run
from benchmarks.exchange.common import demo_prepare, log_counts, say
from benchmarks.exchange.load import (
    CONNECTIONS,
    DURATION_S,
    QUICK_DURATION_S,
    QUICK_WARMUP_S,
    USAGE_PATH,
    USAGE_ROUTE,
    WARMUP_S,
    Server,
    Setting,
    load_run,
    log_drain,
    lua_write,
    query_script,
    subjects_write,
    wrk_run,
)
from benchmarks.exchange.log import ENTRIES, build_run, sessions_write, track_run, verify_run
from benchmarks.exchange.profile import profile_run
from benchmarks.exchange.report import results_record
from benchmarks.harness.targets import Target

USAGE_SECONDS = 20


def at_10m_run(
    target: Target,
    setting: Setting,
    *,
    quick: bool = False,
    durations: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """With the big log in place: GET /usage as the tracked residents (one connection), then
    the single-subject query at the comparison concurrency."""
    cookies = sessions_write(target)
    usage_script = lua_write(
        target.var_dir / "wrk-usage.lua",
        lines=cookies,
        method="GET",
        headers={},
        cookie="sessionid",
    )
    subjects = subjects_write(target)
    queries = query_script(target, subjects)
    entries_before, _ = log_counts(target)
    seconds, warmup = (QUICK_DURATION_S, QUICK_WARMUP_S) if quick else (DURATION_S, WARMUP_S)
    usage_seconds = seconds if quick else USAGE_SECONDS
    if durations:  # the registry's (a smoke run: a second or two)
        seconds, warmup = durations
        usage_seconds = seconds
    with Server(target, setting, tag="10m") as server:
        url = server.url + USAGE_PATH + "?limit=50"
        wrk_run(
            url, script=usage_script, connections=1, seconds=warmup, target=target, server=server
        )
        usage = wrk_run(
            url,
            script=usage_script,
            connections=1,
            seconds=usage_seconds,
            target=target,
            server=server,
        )
        url = server.url + "/api/exchange/v1/persons/query"
        wrk_run(
            url,
            script=queries,
            connections=CONNECTIONS,
            seconds=warmup,
            target=target,
            server=server,
        )
        query = wrk_run(
            url,
            script=queries,
            connections=CONNECTIONS,
            seconds=seconds,
            target=target,
            server=server,
        )
        answers = server.answers(USAGE_ROUTE)
        drain = log_drain(target)  # leave the log integrated, as verify expects it
    if usage["status_errors"] or query["status_errors"]:
        raise RuntimeError(
            f"non-2xx answers: usage {usage['status_errors']}, "
            f"query {query['status_errors']} ({answers})"
        )
    return {
        "setting": setting.label(),
        "usage": usage,
        "query": query,
        "entries_before": entries_before,
        "drain": drain,
    }


def exchange_run(
    target: Target,
    *,
    results: dict[str, Any],
    run: str,
    quick: bool,
    entries: int = ENTRIES,
    sizes: dict[str, Any] | None = None,
) -> None:
    """Every exchange measurement on ``target``. ``sizes`` (the registry's, full or smoke):
    "residents" of the demo, "calls" of each append kind, "requests" profiled, "samples" of the
    tracker and "load" (False: no server load, for a run without wrk)."""
    sizes = sizes or {}

    def record(kind: str, figures: dict[str, Any]) -> None:
        results_record(results, run=run, database=target.key, kind=kind, figures=figures)

    say(f"{target.label}: a fresh demo jurisdiction …")
    took = demo_prepare(target, residents=sizes.get("residents"))
    say("  " + ", ".join(f"{k} {v:.0f} s" for k, v in took.items()))

    say(f"{target.label}: log appends and the integrator …")
    append = append_run(target, calls=sizes.get("calls") or (200 if quick else 1_000))
    record("append", append)
    say(
        f"  20 per transaction {append['write_20']['entries_per_s']:,.0f}/s, one per "
        f"transaction {append['write_1']['entries_per_s']:,.0f}/s, register_query "
        f"{append['register_query_20']['entries_per_s']:,.0f}/s, integrator "
        f"{append['integrate']['entries_per_s']:,.0f}/s"
    )

    best = None
    if sizes.get("load", True):
        say(f"{target.label}: queries through the server …")
        load = load_run(target, quick=quick, durations=sizes.get("durations"))
        record("load", load)
        say(
            f"  entries added {load['entries_added']:,}, 200 answers {load['answered_200']:,}; "
            f"verify: {load['verify']['output']}"
        )
        best = Setting(*(int(x) for x in load["best"].split("x")))
    else:
        say(f"{target.label}: queries through the server: SKIPPED ({sizes.get('why', '')})")

    say(f"{target.label}: where a query's CPU goes (cProfile, in process) …")
    profile = profile_run(target, requests=sizes.get("requests") or 300)
    record("profile", profile)
    say(f"  {profile['cpu_ms']:.1f} ms of CPU per query, {profile['queries']} statements")

    say(f"{target.label}: building a {entries:,}-entry log …")
    build = build_run(target, entries=entries)
    record("build", build)
    say(f"  {build['wall_s']:.0f} s, database {build['database_bytes'] / 2**30:.2f} GiB")

    say(f"{target.label}: civic auditlog verify over {entries:,} entries …")
    verify = verify_run(target)
    record("verify", verify)
    say(f"  {verify['wall_s']:.1f} s, {verify['max_rss_mib']:.0f} MiB: {verify['output']}")

    say(f"{target.label}: the data tracker …")
    track = track_run(target, samples=sizes.get("samples") or 1_000)
    record("track", track)
    w = track["wall_ms"]
    say(f"  usage_page p50/p95/p99 {w['p50']:.1f}/{w['p95']:.1f}/{w['p99']:.1f} ms")

    if best is None:
        return
    say(f"{target.label}: the server with the big log ({best.label()}) …")
    began = time.perf_counter()
    at_10m = at_10m_run(target, best, quick=quick, durations=sizes.get("durations"))
    record("at_10m", at_10m)
    u = at_10m["usage"]["latency_ms"]
    say(
        f"  GET usage p50/p95 {u['p50']:.1f}/{u['p95']:.1f} ms; queries "
        f"{at_10m['query']['rate']:,.0f}/s ({time.perf_counter() - began:.0f} s)"
    )
