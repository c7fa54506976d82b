"""Where a request's time goes, for the load benchmark's report: each kind of request of the
mix served in one process by Django's test client (no network, no other load), its CPU time
and wall time per request, its SQL statements and their time; then the most frequent kind
under cProfile, summed by where the code lives (Django's templates, the ORM, psycopg, Civic…).

Run by load.py through ``in_django.ask(env, "profile", spec, module=this file)``.
"""

from __future__ import annotations

import base64
import cProfile
import json
import pstats
import statistics
import time
from pathlib import Path
from typing import Any

KINDS = {
    "home": ("get", "/", None),
    "service page": ("get", "/services/child-benefit/", None),
    "finder search": ("get", "/services/search/?q=lost+my+job", None),
    "catalogue": ("get", "/services/", None),
    "my page: dashboard": ("get", "/my/", "resident"),
    "my page: inbox": ("get", "/my/inbox/", "resident"),
    "staff: queue": ("get", "/staff/cases/", "caseworker"),
    "exchange: query": ("post", "/api/exchange/v1/persons/query", "partner"),
}
AREAS = (
    ("django/template", "Django templates"),
    ("django/db", "Django ORM"),
    ("psycopg", "psycopg (driver, waiting for PostgreSQL)"),
    ("django/middleware", "Django middleware"),
    ("django/contrib/sessions", "sessions"),
    ("django/contrib/auth", "authentication"),
    ("django/utils/translation", "translation"),
    ("django/urls", "URL routing"),
    ("/civic/", "Civic's own code"),
    ("django", "Django, other"),
)


def _client(who: str | None, spec: dict[str, Any]):
    from django.test import Client

    from civic.identity.models import User
    from civic.identity.services import resident_account_ensure

    client = Client(HTTP_HOST="127.0.0.1")
    if who == "resident":
        client.force_login(
            resident_account_ensure(personal_number=spec["resident"]),
            backend="civic.identity.login.contrib.onetimecode.backend.OneTimeCodeBackend",
        )
    elif who == "caseworker":
        from civic.identity.models import StaffSecondFactor
        from civic.identity.second_factor.session import session_mark_passed

        user = User.objects.get(username="load-caseworker-000")  # load.py gave it a factor
        client.force_login(user)
        session = client.session  # as if the code page had been passed
        session_mark_passed(session, StaffSecondFactor.objects.get(user=user))
        session.save()
    return client


def _call(client, method: str, path: str, who: str | None, spec: dict[str, Any]):
    if who == "partner":
        partner = json.loads(Path(spec["partner"]).read_text())
        pair = f"{partner['client_id']}:{partner['secret']}".encode()
        body = {
            "subjects": [spec["subject"]],
            "fields": ["identity.given_names", "identity.birth_date", "residence.address"],
            "purpose": "child-benefit-assessment",
        }
        return client.post(
            path,
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION="Basic " + base64.b64encode(pair).decode(),
        )
    return getattr(client, method)(path)


def _area(filename: str) -> str:
    for needle, name in AREAS:
        if needle in filename:
            return name
    return "Python and other libraries"


def profile(spec: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out: dict[str, Any] = {"kinds": {}}
    for name, (method, path, who) in KINDS.items():
        client = _client(who, spec)
        for _ in range(5):
            _call(client, method, path, who, spec)
        cpu, wall, queries, sql = [], [], [], []
        for _ in range(spec.get("samples", 40)):
            with CaptureQueriesContext(connection) as captured:
                began_cpu, began = time.process_time(), time.perf_counter()
                answer = _call(client, method, path, who, spec)
                cpu.append((time.process_time() - began_cpu) * 1000)
                wall.append((time.perf_counter() - began) * 1000)
            queries.append(len(captured.captured_queries))
            sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        out["kinds"][name] = {
            "status": answer.status_code,
            "cpu_ms": statistics.median(cpu),
            "wall_ms": statistics.median(wall),
            "queries": statistics.median(queries),
            "sql_ms": statistics.median(sql),
        }
    out["profiles"] = {target: _profile_one(target, spec) for target in spec["profile"]}
    return out


def _profile_one(target: str, spec: dict[str, Any]) -> dict[str, Any]:
    method, path, who = KINDS[target]
    client = _client(who, spec)
    _call(client, method, path, who, spec)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(spec.get("samples", 40)):
        _call(client, method, path, who, spec)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    areas: dict[str, float] = {}
    total = 0.0
    for (filename, _line, _function), row in stats.items():
        own, callers = row[2], row[4]
        total += own
        if filename != "~" or not callers:
            areas[_area(filename)] = areas.get(_area(filename), 0.0) + own
            continue
        # A built-in (a socket read, a regex, a string join) counts for whoever called it.
        called = sum(c[2] for c in callers.values()) or 1.0
        for (caller_file, _l, _f), c in callers.items():
            area = _area(caller_file) if caller_file != "~" else "Python and other libraries"
            areas[area] = areas.get(area, 0.0) + own * c[2] / called
    ranked = sorted(areas.items(), key=lambda kv: -kv[1])
    top = sorted(stats.items(), key=lambda kv: -kv[1][3])[:60]
    return {
        "areas": [[k, v / total] for k, v in ranked],
        "cumulative": [
            {"where": f"{Path(f).name}:{line} {function}", "share": row[3] / total}
            for (f, line, function), row in top
            if "/civic/" in f and "middleware" not in f and "metrics" not in f
        ][:10],
    }
