"""Proactive runs: the whole population (nightly) or one household (a life event) checked
against every proactive rule set, offers written and announced in the inbox.

A run is a list of chunks (ranges of address ids). Each chunk is one transaction: read through
the exchange (each resident logged), compute, write the offers that are new, mark the chunk
done. A crash loses at most the chunk in hand, whose transaction rolls back whole, and marks
the run stopped with the error; running again resumes at the first chunk not done, so no
offer is written twice.

When the last chunk is done the run announces: one inbox message per resident with all their
new offers of the run (offers_announce). A parent whose child lives at an address of another
chunk gets their offers from two chunks, and one message. The announcement goes resident by
resident in batches, each marking its offers told in the transaction that writes the
messages, so a crash in it resumes with the residents not told yet, and none is told twice.

Who the job is (its agency) and the purpose it reads under come from the jurisdiction's
set-up (ProactiveSetup, written by `civic setup apply`), not from this module.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from civic.core import clock, traces
from civic.core.errors import CivicError
from civic.core.formats import date_text
from civic.decisions.eligibility import OfferRow, offers_compute
from civic.decisions.engine import law_in_force_check
from civic.decisions.models import Offer, ProactiveChunk, ProactiveRun, ProactiveSetup
from civic.decisions.rule_sets import proactive_reads, rule_sets
from civic.exchange.selectors import Actor, address_ranges, population_of, population_read
from civic.notify.services import notifications_send_bulk

logger = logging.getLogger(__name__)

#: The job's name in the access log and in its grants.
JOB = "proactive-eligibility"


class NotSetUp(CivicError):
    code = "proactive-not-set-up"


def proactive_setup() -> ProactiveSetup:
    """The agency and purpose proactive checks run under; refused before anything starts
    when the jurisdiction's set-up has not named them."""
    setup = ProactiveSetup.objects.first()
    if setup is None:
        raise NotSetUp(
            "Proactive checks are not set up: no agency and purpose to run them under. Apply "
            "the jurisdiction's set-up with its rules.proactive section (`civic setup apply "
            "FILE`; see docs/setup.md)."
        )
    return setup


def job_actor(setup: ProactiveSetup | None = None) -> Actor:
    return Actor.job(JOB, agency=(setup or proactive_setup()).agency)


def run_start(
    *,
    trigger: str = ProactiveRun.Trigger.MANUAL,
    chunk_size: int | None = None,
    resume: bool = True,
) -> ProactiveRun:
    """A new run over every address, or (``resume``) the unfinished population run, also one
    that stopped on an error. Refused (``RulesNotInForce``) when no law is in force for the
    run's year: nothing is read or offered on another year's law."""
    proactive_setup()
    law_in_force_check(clock.today().year)
    if resume:
        unfinished = (
            ProactiveRun.objects.filter(
                status__in=[ProactiveRun.Status.RUNNING, ProactiveRun.Status.STOPPED]
            )
            .exclude(trigger=ProactiveRun.Trigger.LIFE_EVENT)
            .order_by("-started_at")
            .first()
        )
        if unfinished is not None:
            if unfinished.status == ProactiveRun.Status.STOPPED:
                unfinished.status, unfinished.error = ProactiveRun.Status.RUNNING, ""
                unfinished.save(update_fields=["status", "error"])
            return unfinished
    size = chunk_size or settings.PROACTIVE_CHUNK_SIZE
    today = clock.today()
    with transaction.atomic():
        run = ProactiveRun.objects.create(
            started_at=clock.now(), on=today, year=today.year, trigger=trigger, chunk_size=size
        )
        ProactiveChunk.objects.bulk_create(
            [
                ProactiveChunk(run=run, index=i, first_address=first, last_address=last)
                for i, (first, last) in enumerate(address_ranges(size))
            ],
            batch_size=1000,
        )
    return run


def chunks_pending(run: ProactiveRun) -> list[int]:
    return list(
        run.chunks.filter(done_at__isnull=True).order_by("index").values_list("pk", flat=True)
    )


def chunk_evaluate(*, chunk_id: int) -> int:
    """Evaluate one chunk if it is not done yet; returns the offers it made."""
    with traces.span("proactive.chunk", {"civic.proactive.chunk_id": chunk_id}) as span:
        made = _chunk_evaluate(chunk_id)
        if span is not None:
            span.set_attribute("civic.proactive.offers", made)
        return made


def _chunk_evaluate(chunk_id: int) -> int:
    with transaction.atomic():
        chunk = (
            ProactiveChunk.objects.select_for_update()
            .select_related("run")
            .filter(pk=chunk_id, done_at__isnull=True)
            .first()
        )
        if chunk is None:
            return 0
        run = chunk.run
        setup = proactive_setup()
        started = time.perf_counter()
        population = population_read(
            actor=job_actor(setup),
            purpose=setup.purpose,
            first_address=chunk.first_address,
            last_address=chunk.last_address,
            on=run.on,
            registers=proactive_reads(),
        )
        read = time.perf_counter() - started
        with traces.span("proactive.compute", {"civic.residents": len(population)}):
            rows, compute = offers_compute(population, run.year)
        with traces.span("proactive.offers_write"):
            made = offers_write(rows=rows, run=run)
        chunk.done_at = clock.now()
        chunk.residents = len(population)
        chunk.offers = made
        total = time.perf_counter() - started
        chunk.timings = {
            "read": round(read, 4),
            "compute": round(compute, 4),
            "write": round(total - read - compute, 4),
        }
        chunk.save(update_fields=["done_at", "residents", "offers", "timings"])
    return made


class RunStalled(CivicError):
    code = "proactive-run-stalled"


def run_stop(run: ProactiveRun, *, error: BaseException) -> None:
    """Mark the run stopped with why: a run left "running" after its process gave up looks
    busy to everyone reading `civic proactive status`. Running it again resumes it."""
    why = "interrupted" if isinstance(error, KeyboardInterrupt) else str(error)
    try:
        ProactiveRun.objects.filter(pk=run.pk, status=ProactiveRun.Status.RUNNING).update(
            status=ProactiveRun.Status.STOPPED, error=f"{type(error).__name__}: {why}"[:2000]
        )
    except Exception:  # the database itself may be why; the original error must still show
        logger.exception("could not mark proactive run %s stopped", run.pk)
    run.status, run.error = ProactiveRun.Status.STOPPED, f"{type(error).__name__}: {why}"


def run_finish(run: ProactiveRun) -> ProactiveRun:
    """Close the run once every chunk is done: announce its offers, then mark it done. Any
    process may call it after a chunk (the Celery task of the last chunk does); before the
    last chunk it does nothing, and two callers at once tell nobody twice (offers_announce)."""
    if run.chunks.filter(done_at__isnull=True).exists():
        return run
    offers_announce(run=run)
    ProactiveRun.objects.filter(pk=run.pk).exclude(status=ProactiveRun.Status.DONE).update(
        status=ProactiveRun.Status.DONE, finished_at=clock.now(), error=""
    )
    run.refresh_from_db(fields=["status", "finished_at", "error"])
    return run


def household_evaluate(
    *, personal_numbers: list[str], event: str = "", trigger: str = ProactiveRun.Trigger.LIFE_EVENT
) -> int:
    """A life event: re-check the households of these people now; returns offers made.
    Refused (``RulesNotInForce``) before anything is read when no law is in force this year."""
    today = clock.today()
    setup = proactive_setup()
    law_in_force_check(today.year)
    with transaction.atomic():
        run = ProactiveRun.objects.create(
            started_at=clock.now(),
            on=today,
            year=today.year,
            trigger=trigger,
            chunk_size=0,
            event=event[:64],
        )
        population = population_of(
            actor=job_actor(setup),
            purpose=setup.purpose,
            personal_numbers=personal_numbers,
            on=today,
            registers=proactive_reads(),
        )
        rows, _seconds = offers_compute(population, today.year)
        made = offers_write(rows=rows, run=run)
        offers_announce(run=run)
        run.status, run.finished_at = ProactiveRun.Status.DONE, clock.now()
        run.save(update_fields=["status", "finished_at"])
    return made


def offers_write(*, rows: list[OfferRow], run: ProactiveRun) -> int:
    """Write the offers not made before this year; returns how many are new. The residents
    hear of them when the run is over (offers_announce), once, whichever chunks made them."""
    if not rows:
        return 0
    now = clock.now()
    made = _offers_insert(
        [
            Offer(
                personal_number=r.personal_number,
                rule_set=r.rule_set,
                year=run.year,
                beneficiary=r.beneficiary,
                household=r.household,
                amount=max(0, r.amount),
                reasons=r.facts,
                run=run,
                created_at=now,
            )
            for r in rows
        ]
    )
    return len(made)


#: Residents told per transaction of the announcement.
RESIDENTS_PER_ANNOUNCEMENT = 500


def offers_announce(*, run: ProactiveRun) -> int:
    """Tell each resident with offers of this run not told yet about all of them, in one inbox
    message; returns the messages written. Resumable and safe to call twice at once: each
    batch locks the run's row, then reads who is still untold, writes their messages and marks
    their offers told, all in one transaction."""
    known = rule_sets()
    sent = 0
    _statistics_refresh()
    # Resident by resident in order, each batch starting after the last one told: a walk from
    # the start every time would step over every offer already told (its index entries stay
    # until the table is vacuumed), which made a population's run slower batch after batch.
    after = ""
    while True:
        with transaction.atomic():
            ProactiveRun.objects.select_for_update().filter(pk=run.pk).first()
            untold = Offer.objects.filter(run=run, told_at__isnull=True)
            numbers = list(
                untold.filter(personal_number__gt=after)
                .order_by("personal_number")
                .values_list("personal_number", flat=True)
                .distinct()[:RESIDENTS_PER_ANNOUNCEMENT]
            )
            if not numbers:
                return sent
            after = numbers[-1]
            by_resident: dict[str, list[Offer]] = defaultdict(list)
            for offer in untold.filter(personal_number__in=numbers).order_by("pk"):
                by_resident[offer.personal_number].append(offer)
            reference = f"OFFERS-{run.year}"
            notifications_send_bulk(
                template="offers-available",
                messages=[
                    (
                        number,
                        {
                            "reference": reference,
                            "count": len(offers),
                            "offers_en": [_line(known[o.rule_set], o, "en") for o in offers],
                            "offers_nl": [_line(known[o.rule_set], o, "nl") for o in offers],
                        },
                        reference,
                    )
                    for number, offers in by_resident.items()
                ],
            )
            untold.filter(personal_number__in=numbers).update(told_at=clock.now())
            sent += len(by_resident)


def _statistics_refresh() -> None:
    """Let PostgreSQL's planner know the offers table as it is now. A population's run inserts
    up to a million offers at once; until autovacuum's ANALYZE catches up, the planner takes
    the run's untold offers for a handful and filters every one of them for each batch of the
    announcement (at 1,000,000 residents: 31 offers told a second, then 2,300 after ANALYZE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{Offer._meta.db_table}"')


#: Offers per INSERT statement (SQLite caps a statement's parameters at 32,766).
OFFERS_PER_STATEMENT = 500


def _offers_insert(offers: list[Offer]) -> set[tuple[str, str, str]]:
    """Insert the offers that do not exist yet for their resident, rule set, year and
    beneficiary (the child), and return (personal number, rule set, beneficiary) of those
    inserted: ON CONFLICT DO NOTHING RETURNING,
    so the database's unique index decides in the same statement. Looking the existing ones
    up first with an IN list of numbers ran into a sequential scan per statement on
    PostgreSQL once the table held a year's offers."""
    fields = [f for f in Offer._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    made: set[tuple[str, str, str]] = set()
    for start in range(0, len(offers), OFFERS_PER_STATEMENT):
        batch = offers[start : start + OFFERS_PER_STATEMENT]
        statement = (
            f'INSERT INTO "{Offer._meta.db_table}" ({columns}) '  # noqa: S608
            f"VALUES {', '.join([row_marks] * len(batch))} "
            'ON CONFLICT ("personal_number", "rule_set", "year", "beneficiary") DO NOTHING '
            'RETURNING "personal_number", "rule_set", "beneficiary"'
        )
        params = [
            f.get_db_prep_save(getattr(offer, f.attname), connection)
            for offer in batch
            for f in fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            made.update(tuple(row) for row in cursor.fetchall())
    return made


def _line(rule_set, offer: Offer, language: str) -> str:
    """One offer in the inbox message, in ``language``, from the translation catalogue."""
    from civic.decisions.wording import euros

    facts = offer.reasons if isinstance(offer.reasons, dict) else {}
    with translation.override(language):
        name = rule_set.label()
        if facts.get("child_born"):
            name = _("%(service)s for your child born on %(born)s") % {
                "service": name,
                "born": _born(facts["child_born"]),
            }
        if offer.amount <= 0:
            return name
        return _("%(service)s: about %(amount)s a year") % {
            "service": name,
            "amount": euros(offer.amount),
        }


def _born(value: str) -> str:
    return date_text(value)
