"""The case benchmark's Django side, run in a ``civic shell`` (``django_call.ask``): sessions,
the cases and drafts it needs, made through Civic's services (the cases in bulk), and the
counts and queries it checks afterwards."""

from __future__ import annotations

import re
import time
from typing import Any

from benchmarks.cases.section import (  # noqa: F401
    CLOSED_CASES,
    GROUPS,
    MIN_SAMPLES,
    OPEN_CASES,
    PARKING_ANSWERS,
    RESIDENT_CASES,
    SAMPLE_BUDGET_S,
    SUBMISSION_THREADS,
    WARMUP,
    WARMUP_BUDGET_S,
)


def _session_for(user, backend: str) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    from civic.identity.second_factor.session import session_mark_passed
    from civic.identity.selectors import needs_second_factor, second_factor_get

    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = backend
    session["_auth_user_hash"] = user.get_session_auth_hash()
    if needs_second_factor(user=user):
        # As the login's code step leaves it: the demo's staff have a factor (`civic demo`).
        session_mark_passed(session, second_factor_get(user=user))
    session.create()
    return session.session_key


def _resident_session(number: str) -> str:
    from civic.identity.services import resident_account_ensure

    return _session_for(
        resident_account_ensure(personal_number=number),
        "civic.identity.login.contrib.onetimecode.backend.OneTimeCodeBackend",
    )


def _adult_residents() -> list[str]:
    """Personal numbers of the living adults who live in the jurisdiction today, in order."""
    import datetime as dt

    from civic.core import clock
    from civic.registers.models import PersonRecord, Residence
    from civic.registers.selectors import bitemporal_at

    today = clock.today()
    living_here = bitemporal_at(Residence.objects.all(), valid_at=today).values("person")
    records = bitemporal_at(
        PersonRecord.objects.filter(
            person__in=living_here,
            birth_date__lte=today - dt.timedelta(days=18 * 366),
            date_of_death__isnull=True,
        ),
        valid_at=today,
    )
    return sorted(set(records.values_list("person__personal_number", flat=True)))


def _cases_insert(
    *, caseworker, heavy: str, numbers: list[str], rng, sizes: dict[str, int]
) -> dict[str, int]:
    """OPEN_CASES open and CLOSED_CASES closed cases of Havenstad (or ``sizes``' "open",
    "closed" and "resident"), opened over the last 120 days; every 120th one is the heavy
    resident's (so RESIDENT_CASES of them)."""
    open_cases = sizes.get("open", OPEN_CASES)
    closed_cases = sizes.get("closed", CLOSED_CASES)
    resident_cases = sizes.get("resident", RESIDENT_CASES)
    import datetime as dt

    from django.db import transaction

    from civic.cases.models import Case, CaseType
    from civic.core import clock

    types = list(
        CaseType.objects.filter(code__in=["parking-permit", "special-assistance", "dog-tax"])
    )
    agency_id = caseworker.agency_id
    now = clock.now()
    total = open_cases + closed_cases
    every_closed = total // closed_cases
    rows = []
    counts: dict[str, int] = {}
    for index in range(total):
        case_type = types[index % len(types)]
        opened = now - dt.timedelta(seconds=rng.uniform(60, 120 * 86400))
        applicant = heavy if index % (total // resident_cases) == 0 else rng.choice(numbers)
        extra: dict[str, Any] = {}
        if index % every_closed == every_closed - 1:
            state = "decided" if rng.random() < 0.9 else "withdrawn"
            extra["closed_at"] = min(now, opened + dt.timedelta(days=rng.uniform(1, 60)))
            extra["assignee_id"] = caseworker.pk
        else:
            state = rng.choices(["received", "in_review", "waiting"], weights=[40, 45, 15])[0]
            if state == "waiting":
                extra["suspended_since"] = opened + (now - opened) * rng.uniform(0.3, 0.9)
            if state != "received" and rng.random() < 0.4:
                extra["assignee_id"] = caseworker.pk
        counts[state] = counts.get(state, 0) + 1
        counts["assigned to the caseworker"] = counts.get("assigned to the caseworker", 0) + (
            "assignee_id" in extra and "closed_at" not in extra
        )
        rows.append(
            Case(
                reference=f"BN-{index:07d}",
                case_type=case_type,
                agency_id=agency_id,
                subject=applicant,
                applicant=applicant,
                state=state,
                opened_at=opened,
                deadline=opened.date() + dt.timedelta(days=case_type.decision_period_days),
                **extra,
            )
        )
    with transaction.atomic():
        Case.objects.bulk_create(rows, batch_size=2000)
    counts["overdue"] = Case.objects.filter(
        agency_id=agency_id,
        closed_at__isnull=True,
        suspended_since__isnull=True,
        deadline__lt=now.date(),
    ).count()
    return counts


def _draft_ready(*, form, number: str) -> None:
    from civic.forms.services import draft_start, draft_step_save

    draft = draft_start(form=form, applicant=number, subject=number)
    for step, answers in PARKING_ANSWERS.items():
        draft = draft_step_save(draft=draft, step=step, answers=dict(answers), confirm_prefill=True)


def django_seed(spec: dict[str, int]) -> dict[str, Any]:
    """Residents' and the caseworker's sessions, the cases, and drafts ready to send."""
    import random

    from django.db import connection

    from civic.forms.models import FormDefinition
    from civic.forms.services import draft_start
    from civic.identity.models import User
    from civic.registers.selectors import demo_resident_personal_number

    rng = random.Random(5)
    timings: dict[str, float] = {}
    began = time.perf_counter()
    demo = demo_resident_personal_number()
    numbers = [n for n in _adult_residents() if n != demo]
    rng.shuffle(numbers)
    fresh, rest = numbers[: spec["fresh"]], numbers[spec["fresh"] :]
    submitters, heavy = rest[: spec["drafts"]], rest[spec["drafts"]]
    caseworker = User.objects.get(username="caseworker")
    out: dict[str, Any] = {
        "demo": _resident_session(demo),
        "fresh": [_resident_session(n) for n in fresh],
        "heavy": _resident_session(heavy),
        "caseworker": _session_for(caseworker, "django.contrib.auth.backends.ModelBackend"),
    }
    draft_start(
        form=FormDefinition.objects.get(code="special-assistance"), applicant=demo, subject=demo
    )
    timings["sessions_s"] = time.perf_counter() - began

    began = time.perf_counter()
    out["cases"] = _cases_insert(
        caseworker=caseworker, heavy=heavy, numbers=numbers, rng=rng, sizes=spec.get("cases", {})
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    timings["cases_s"] = time.perf_counter() - began

    began = time.perf_counter()
    parking = FormDefinition.objects.get(code="parking-permit")
    out["submitters"] = []
    for number in submitters:
        _draft_ready(form=parking, number=number)
        out["submitters"].append(_resident_session(number))
    timings["drafts_s"] = time.perf_counter() - began
    out["timings"] = timings
    out["residents"] = {"adults living here": len(numbers) + 1, "heavy": heavy, "demo": demo}
    return out


def _redact(sql: str) -> str:
    """The SQL without session keys (the results file is committed)."""
    return re.sub(r"(session_key\" = )'[^']*'", r"\1'…'", sql)


def django_queries(spec: dict[str, Any]) -> dict[str, Any]:
    """Each page once more through Django's test client: the queries it made and their time,
    and the time of the whole request in this process (so SQL and Python can be told apart)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    out = {}
    for name, path, session, method in spec["pages"]:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = session
        call = client.post if method == "POST" else client.get
        call(path)  # warm the caches of this process
        if method == "POST" or name.startswith("start"):
            client.cookies["sessionid"] = spec["spare"][name]
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = call(path)
            total = (time.perf_counter() - began) * 1000
        out[name] = {
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "sql_ms": sum(float(q["time"]) for q in captured.captured_queries) * 1000,
            "total_ms": total,
            "slowest": sorted(
                (
                    {"ms": float(q["time"]) * 1000, "sql": _redact(q["sql"])[:300]}
                    for q in captured.captured_queries
                ),
                key=lambda q: -q["ms"],
            )[:3],
        }
    return out


def django_counts() -> dict[str, int]:
    """What the submissions made: submissions, their cases, receipts in the inbox."""
    from civic.cases.models import Case
    from civic.forms.models import Submission
    from civic.notify.models import Message

    return {
        "submissions": Submission.objects.count(),
        "cases opened for them": Case.objects.filter(submission__isnull=False).count(),
        "receipts in the inbox": Message.objects.filter(
            template_code="case-received", attachment_name__endswith=".pdf"
        ).count(),
    }
