"""The fault benchmark's questions to Civic, run in a ``civic shell`` by ``in_django.ask(...,
module=faults_django.py)``: residents with drafts ready to send and a session each, a webhook
subscriber of address changes, a stream of register changes, and the counts that show whether
anything was lost or done twice."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

PARKING = {
    "about_you": {},
    "car": {"licence_plate": "AB-123-C", "car_use": "own", "start_date": "2027-02-01"},
    "permit": {"permit_kind": "resident"},
}
SESSION_BACKEND = "civic.identity.login.contrib.onetimecode.backend.OneTimeCodeBackend"


def _session(number: str) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    from civic.identity.services import resident_account_ensure

    user = resident_account_ensure(personal_number=number)
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = SESSION_BACKEND
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _adults(count: int, seed: int) -> list[str]:
    from civic.core import clock
    from civic.registers.models import PersonRecord, Residence
    from civic.registers.selectors import bitemporal_at

    today = clock.today()
    here = bitemporal_at(Residence.objects.all(), valid_at=today).values("person")
    numbers = sorted(
        set(
            bitemporal_at(
                PersonRecord.objects.filter(
                    person__in=here,
                    date_of_death__isnull=True,
                    birth_date__lte=today - dt.timedelta(days=18 * 366),
                ),
                valid_at=today,
            ).values_list("person__personal_number", flat=True)
        )
    )
    return random.Random(seed).sample(numbers, min(count, len(numbers)))


def applicants(spec: dict[str, Any]) -> list[dict[str, str]]:
    """``count`` residents who want their mail by e-mail, each with a parking permit draft
    ready to send (or, with ``step``, stopped before that step) and a logged-in session."""
    from civic.forms.models import FormDefinition
    from civic.forms.selectors import draft_open
    from civic.forms.services import draft_start, draft_step_save
    from civic.notify.services import preference_set

    form = FormDefinition.objects.get(code="parking-permit")
    out = []
    for number in _adults(spec["count"], spec["seed"]):
        preference_set(personal_number=number, email=f"r{number}@example.org", by_email=True)
        draft = draft_open(form=form, applicant=number, subject=number) or draft_start(
            form=form, applicant=number, subject=number
        )
        for step, answers in PARKING.items():
            if step == spec.get("step"):
                break
            draft = draft_step_save(
                draft=draft, step=step, answers=dict(answers), confirm_prefill=True
            )
        out.append({"number": number, "session": _session(number), "draft": draft.pk})
    return out


def mail_preferences(spec: dict[str, Any]) -> int:
    """``count`` residents want their messages by e-mail too (so offers cause e-mails)."""
    from civic.notify.services import preference_set

    numbers = _adults(spec["count"], spec["seed"])
    for number in numbers:
        preference_set(personal_number=number, email=f"r{number}@example.org", by_email=True)
    return len(numbers)


def subscriber(spec: dict[str, Any]) -> dict[str, Any]:
    """A partner subscribed to address changes, delivered to ``spec["url"]``."""
    from civic.exchange import services
    from civic.identity.selectors import agency_get
    from civic.identity.services import api_client_create
    from civic.registers.changes import EVENT_FIELDS, MOVED

    purpose = services.purpose_ensure(
        code="faults-address-updates",
        name="Keep addresses up to date",
        description="A partner keeps its customers' addresses current.",
        controller=agency_get(code="social-insurance-bank"),
        legal_ground="public_task",
        legal_basis="Fault benchmark",
    )
    client, _secret = api_client_create(
        agency=agency_get(code="social-insurance-bank"), name=f"Fault subscriber {time.time()}"
    )
    services.grant_create(
        purpose=purpose, register="persons", attributes=EVENT_FIELDS[MOVED][1], api_client=client
    )
    made = services.subscription_create(
        purpose=purpose,
        register="persons",
        event_types=[MOVED],
        api_client=client,
        url=spec["url"],
    )
    return {"subscription": made.pk}


def moves(spec: dict[str, Any]) -> dict[str, Any]:
    """Move residents to other addresses for ``spec["seconds"]``, one change a transaction,
    as a register's feed would; a change that fails (the database is down) is tried again
    later with another resident. Returns the accepted events and the failures seen."""
    from django.db import close_old_connections, connection

    from civic.core import clock
    from civic.registers.models import Address
    from civic.registers.services import person_move

    numbers = _adults(5_000, spec["seed"])
    addresses = list(Address.objects.values_list("identifier", flat=True)[:2000])
    rng = random.Random(spec["seed"])
    accepted: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    deadline = time.monotonic() + spec["seconds"]
    while time.monotonic() < deadline and numbers:
        number = numbers.pop()
        try:
            event = person_move(
                personal_number=number, address=rng.choice(addresses), moved_on=clock.today()
            )
            accepted.append({"id": event.id, "at": time.time()})
        except Exception as error:  # the database restarting, or a register refusal
            kind = f"{type(error).__module__.split('.')[0]}.{type(error).__name__}"
            failures.append({"at": time.time(), "error": kind})
            close_old_connections()
            connection.close()
            time.sleep(0.2)
        time.sleep(spec.get("pause", 0.05))
    return {"accepted": accepted, "failures": failures}


def outcome(spec: dict[str, Any]) -> dict[str, Any]:
    """Submissions, cases, receipts and their e-mails since ``since``; the drafts' state; the
    subscription's deliveries. Doubles of each are counted (they must be none)."""
    from django.db.models import Count

    from civic.cases.models import Case
    from civic.exchange.models import Delivery as EventDelivery
    from civic.forms.models import Draft, Submission
    from civic.notify.models import Delivery, Message

    since = dt.datetime.fromisoformat(spec["since"])
    drafts = Draft.objects.filter(pk__in=spec.get("drafts", []))
    submissions = Submission.objects.filter(submitted_at__gte=since)
    receipts = Message.objects.filter(template_code="case-received", created_at__gte=since)
    emails = Delivery.objects.filter(message__in=receipts, channel="email")
    out: dict[str, Any] = {
        "drafts": drafts.count(),
        "drafts sent": drafts.filter(submitted_at__isnull=False).count(),
        "submissions": submissions.count(),
        "submissions of these drafts": submissions.filter(draft__in=drafts).count(),
        "drafts with two submissions": submissions.values("draft")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "submissions without a case": submissions.filter(case__isnull=True).count(),
        "cases": Case.objects.filter(submission__in=submissions).count(),
        "receipts": receipts.count(),
        "cases with two receipts": receipts.values("reference")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "e-mails": emails.count(),
        "e-mails by status": dict(emails.values_list("status").annotate(n=Count("id"))),
    }
    if spec.get("subscription"):
        deliveries = EventDelivery.objects.filter(subscription_id=spec["subscription"])
        out["event deliveries by status"] = dict(
            deliveries.values_list("status").annotate(n=Count("id"))
        )
        out["events with two deliveries"] = (
            deliveries.values("event_id").annotate(n=Count("id")).filter(n__gt=1).count()
        )
        out["event ids delivered"] = list(
            deliveries.filter(status="delivered").values_list("event_id", flat=True)
        )
        out["event ids"] = list(deliveries.values_list("event_id", flat=True))
    return out


def proactive_reset(spec: dict[str, Any]) -> dict[str, int]:
    """Forget the offers of earlier runs (and their inbox messages), so that a new run makes
    them all again: how many there were is what the run must make."""
    from civic.decisions.models import Offer
    from civic.notify.models import Message

    offers = Offer.objects.count()
    residents = Offer.objects.values("personal_number").distinct().count()
    Message.objects.filter(template_code__startswith="offer").delete()
    Offer.objects.all().delete()
    return {"offers": offers, "residents with offers": residents}


def proactive_outcome(spec: dict[str, Any]) -> dict[str, Any]:
    """The last run's chunks, offers and offer messages. The run tells each resident with
    new offers once, after its last chunk, whichever chunks made them (a parent whose child
    lives at another address included): one message due per resident; more would be an
    announcement made twice."""
    from collections import Counter

    from django.db.models import Count, Sum

    from civic.decisions.models import Offer, ProactiveRun
    from civic.notify.models import Delivery, Message

    run = ProactiveRun.objects.order_by("-started_at").first()
    chunks = run.chunks.aggregate(offers=Sum("offers"), residents=Sum("residents"))
    messages = Message.objects.filter(template_code__startswith="offer")
    emails = Delivery.objects.filter(message__in=messages, channel="email")
    due = Counter(set(Offer.objects.filter(run=run).values_list("personal_number", flat=True)))
    told = Counter(messages.values_list("recipient", flat=True))
    return {
        "offer messages due": sum(due.values()),
        "residents told more often than due": sum(1 for r, n in told.items() if n > due[r]),
        "run status": run.status,
        "chunks": run.chunks.count(),
        "chunks done": run.chunks.filter(done_at__isnull=False).count(),
        "offers": Offer.objects.filter(run=run).count(),
        "offers counted by the chunks": chunks["offers"] or 0,
        "residents with offers": Offer.objects.values("personal_number").distinct().count(),
        "offer messages": messages.count(),
        "residents with two offer messages": messages.values("recipient")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "offer e-mails": emails.count(),
        "offer e-mails by status": dict(emails.values_list("status").annotate(n=Count("id"))),
        "offer e-mail delivery ids": list(emails.values_list("id", flat=True)),
    }


def drafts_sent(spec: dict[str, Any]) -> int:
    """How many of these drafts were sent (a resident who saw an error may have been sent)."""
    from civic.forms.models import Draft

    return Draft.objects.filter(pk__in=spec["drafts"], submitted_at__isnull=False).count()


def draft_uploads(spec: dict[str, Any]) -> dict[str, Any]:
    from civic.forms.models import Upload

    rows = Upload.objects.filter(draft_id=spec["draft"])
    return {"uploads": [{"file": u.file.name, "size": u.size} for u in rows]}


def beat_tick(spec: dict[str, Any]) -> bool:
    """What Celery beat sends every minute (civic.notify's retry of the deliveries that are
    due), sent now through the broker to the stage's worker, so a scenario need not wait for
    the minute: an e-mail whose task was lost with a killed web process is sent by it."""
    from civic.notify.tasks import deliveries_retry_due_task

    deliveries_retry_due_task.delay()
    return True
