"""The load benchmark's questions to Civic's database, asked in a ``civic shell``
(``django_call.ask``), through Civic's own models and selectors."""

from __future__ import annotations

from typing import Any


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
