"""Questions the load and fault benchmarks ask of Civic's database, run in a ``civic shell``
with the benchmark's environment (``ask(env, "function", spec)``), so the benchmarks read
through Civic's own models and selectors as they are, not through SQL of their own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CIVIC = Path(sys.executable).with_name("civic")


def ask(
    env: dict[str, str],
    function: str,
    spec: Any = None,
    *,
    timeout: float = 600,
    module: Path = Path(__file__),
) -> Any:
    """Call ``function`` of ``module`` (this file by default) in a ``civic shell``; what it
    returned (JSON)."""
    code = (
        "import importlib.util, json\n"
        f"s = importlib.util.spec_from_file_location('bench_in_django', {str(module)!r})\n"
        "m = importlib.util.module_from_spec(s); s.loader.exec_module(m)\n"
        f"spec = json.loads({json.dumps(spec)!r})\n"
        f"result = m.{function}(spec)\n"
        "print('\\nRESULT ' + json.dumps(result, default=str))\n"
    )
    done = subprocess.run(
        [str(CIVIC), "shell", "-v", "0", "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise RuntimeError(f"{function} failed:\n{done.stderr[-3000:]}")
    line = next(x for x in reversed(done.stdout.splitlines()) if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


# --- in Django ---------------------------------------------------------------------------------


def residents(spec: dict[str, int]) -> dict[str, list[str]]:
    """Living adults who live in the jurisdiction today and registered no e-mail address
    (their login codes go to the outbox under a pseudonym), and living residents for the
    partner to ask about."""
    import datetime as dt
    import random

    from civic.core import clock
    from civic.notify.models import Preference
    from civic.registers.models import PersonRecord, Residence
    from civic.registers.selectors import bitemporal_at

    today = clock.today()
    living_here = bitemporal_at(Residence.objects.all(), valid_at=today).values("person")
    records = bitemporal_at(
        PersonRecord.objects.filter(person__in=living_here, date_of_death__isnull=True),
        valid_at=today,
    ).values_list("person__personal_number", "birth_date")
    with_mail = set(Preference.objects.values_list("personal_number", flat=True))
    adult_born = today - dt.timedelta(days=18 * 366)
    everyone = sorted({n for n, _ in records})
    adults = sorted({n for n, born in records if born <= adult_born and n not in with_mail})
    rng = random.Random(7)
    return {
        "adults": rng.sample(adults, min(spec.get("adults", 20_000), len(adults))),
        "subjects": rng.sample(everyone, min(spec.get("subjects", 5_000), len(everyone))),
    }


def caseworkers(spec: dict[str, Any]) -> list[str]:
    """``count`` caseworkers of the demo agency, each with the password and a second factor
    whose seed the load knows (a TOTP code is good once per 30 s per account, so each
    simulated caseworker has an account of their own, as real ones do)."""
    from civic.identity.models import Role, StaffSecondFactor, User
    from civic.identity.selectors import agency_get
    from civic.identity.services import second_factor_install, staff_user_create

    agency = agency_get(code="havenstad")
    names = []
    for index in range(spec["count"]):
        name = f"load-caseworker-{index:03d}"
        user = User.objects.filter(username=name).first() or staff_user_create(
            username=name,
            agency=agency,
            roles=[Role.CASEWORKER],
            password=spec["password"],
            first_name="Load",
            last_name=f"Caseworker {index}",
        )
        if not StaffSecondFactor.objects.filter(user=user).exists():
            second_factor_install(user=user, secret=spec["secret"])
        names.append(name)
    return names


def counts(spec: dict[str, Any]) -> dict[str, int]:
    """What exists since ``spec["since"]`` (ISO time): submissions, their cases, the e-mails
    and inbox messages they caused, and doubles of each (which must be none)."""
    import datetime as dt

    from django.db.models import Count

    from civic.cases.models import Case
    from civic.forms.models import Submission
    from civic.notify.models import Delivery, Message

    since = dt.datetime.fromisoformat(spec["since"])
    submissions = Submission.objects.filter(submitted_at__gte=since)
    cases = Case.objects.filter(submission__in=submissions)
    received = Message.objects.filter(template_code="case-received", created_at__gte=since)
    email = Delivery.objects.filter(message__in=received, channel="email")
    return {
        "submissions": submissions.count(),
        "cases for them": cases.count(),
        "submissions without a case": submissions.filter(case__isnull=True).count(),
        "drafts sent twice": submissions.values("draft")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "receipts in the inbox": received.count(),
        "receipts twice": received.values("reference")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "e-mail deliveries": email.count(),
        "e-mails sent": email.filter(status="sent").count(),
    }
