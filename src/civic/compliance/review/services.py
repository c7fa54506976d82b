"""Writes of access review: a pass over the access log's new staff reads (``access_review_run``),
a break-glass read with its stated reason (``break_glass_read``), and the data protection
officer's decision on a review (``access_review_decide``). Keyword-only, each atomic; every
staff write is scoped to the user's agency here, not in the view."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.cases.models import Case, Task
from civic.compliance.review.explain import (
    PERSON_REGISTERS,
    CaseSeen,
    TaskSeen,
    explained,
    odd_hours,
)
from civic.compliance.review.models import AccessReview, AccessReviewRun
from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.exchange.auditlog import integrate_all
from civic.exchange.models import AccessLogEntry
from civic.exchange.pseudonyms import pseudonym
from civic.exchange.selectors import Actor, allowed_list, register_query
from civic.identity.models import Agency, Role, User
from civic.identity.selectors import agency_scoped, staff_has_role

log = logging.getLogger("civic.compliance")

#: Trace ids of break-glass reads start so: the pass leaves them to their own review.
BREAK_GLASS_TRACE = "break-glass-"
REASON_SHORTEST, REASON_LONGEST = 10, 2000
NOTE_LONGEST = 2000
BATCH = 5000
TRACES_KEPT = 10


def _cases_seen(references: set[str]) -> dict[str, CaseSeen]:
    rows = Case.objects.filter(reference__in=references).values_list(
        "reference",
        "agency__code",
        "case_type__purpose",
        "opened_at",
        "closed_at",
        "subject",
        "applicant",
    )
    return {
        ref: CaseSeen(
            ref,
            agency,
            purpose,
            opened,
            closed,
            frozenset(pseudonym("persons", n) for n in (subject, applicant) if n),
        )
        for ref, agency, purpose, opened, closed, subject, applicant in rows
    }


def _tasks_seen(actors: set[str], since: dt.datetime) -> dict[str, list[TaskSeen]]:
    ids = [int(a) for a in actors if a.isdigit()]
    tasks = (
        Task.objects.filter(assignee_id__in=ids)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=since))
        .select_related("case__agency", "case__case_type")
    )
    seen: dict[str, list[TaskSeen]] = defaultdict(list)
    for task in tasks:
        case = task.case
        people = frozenset(pseudonym("persons", n) for n in (case.subject, case.applicant) if n)
        seen[str(task.assignee_id)].append(
            TaskSeen(
                CaseSeen(
                    case.reference,
                    case.agency.code,
                    case.case_type.purpose,
                    case.opened_at,
                    case.closed_at,
                    people,
                ),
                str(task.assignee_id),
                task.created_at,
                task.done_at,
            )
        )
    return seen


def _raise(found: dict, *, key: tuple, entry: AccessLogEntry, people: int = 0) -> None:
    item = found.setdefault(
        key,
        {
            "registers": set(),
            "purposes": set(),
            "cases": set(),
            "reads": 0,
            "traces": [],
            "first": entry.at,
            "last": entry.at,
            "people": 0,
            "agency": entry.agency,
        },
    )
    item["registers"].add(entry.register)
    item["purposes"].add(entry.purpose)
    if entry.case:
        item["cases"].add(entry.case)
    item["reads"] += 1
    if entry.trace_id not in item["traces"]:
        item["traces"].append(entry.trace_id)
    item["first"], item["last"] = min(item["first"], entry.at), max(item["last"], entry.at)
    item["people"] = max(item["people"], people)


def _keep(found: dict, now: dt.datetime) -> int:
    """Write what the pass found, adding to a review already raised for the same member, kind,
    day and subject. Returns how many reviews were new."""
    agencies = dict(Agency.objects.values_list("code", "pk"))
    users = set(User.objects.filter(pk__in={k[0] for k in found}).values_list("pk", flat=True))
    new = 0
    for (staff, kind, day, subject), item in found.items():
        if staff not in users or item["agency"] not in agencies:
            continue
        review, created = AccessReview.objects.select_for_update().get_or_create(
            staff_id=staff,
            kind=kind,
            day=day,
            subject=subject,
            defaults={
                "agency_id": agencies[item["agency"]],
                "registers": sorted(item["registers"]),
                "purposes": sorted(item["purposes"]),
                "cases": sorted(item["cases"]),
                "reads": item["reads"],
                "people": item["people"],
                "trace_ids": item["traces"][:TRACES_KEPT],
                "first_at": item["first"],
                "last_at": item["last"],
                "raised_at": now,
            },
        )
        new += created
        if not created:
            review.registers = sorted({*review.registers, *item["registers"]})
            review.purposes = sorted({*review.purposes, *item["purposes"]})
            review.cases = sorted({*review.cases, *item["cases"]})
            review.reads += item["reads"]
            review.people = max(review.people, item["people"])
            review.trace_ids = (
                review.trace_ids + [t for t in item["traces"] if t not in review.trace_ids]
            )[:TRACES_KEPT]
            review.first_at, review.last_at = (
                min(review.first_at, item["first"]),
                max(review.last_at, item["last"]),
            )
            review.save()
    return new


def _batch_reviewed(entries: list[AccessLogEntry], found: dict) -> int:
    """Sort one batch of staff reads into explained and to review; returns how many were
    explained."""
    cases = _cases_seen({e.case for e in entries if e.case})
    tasks = _tasks_seen({e.actor for e in entries}, min(e.at for e in entries))
    people_a_day: dict[tuple, set[str]] = defaultdict(set)
    # A case page reads the person and then their address: one review, about the person.
    person_of_trace = {
        e.trace_id: e.subject for e in reversed(entries) if e.register in PERSON_REGISTERS
    }
    done = 0
    for entry in entries:
        if not entry.actor.isdigit():
            continue
        staff, local = int(entry.actor), timezone.localtime(entry.at)
        day = local.date()
        if entry.register in PERSON_REGISTERS:
            people_a_day[(staff, day)].add(entry.subject)
        if odd_hours(local, settings.ACCESS_REVIEW_HOURS):
            _raise(found, key=(staff, AccessReview.Kind.ODD_HOURS, day, ""), entry=entry)
        if entry.trace_id.startswith(BREAK_GLASS_TRACE):
            continue
        if explained(
            agency=entry.agency,
            actor=entry.actor,
            at=entry.at,
            register=entry.register,
            subject=entry.subject,
            purpose=entry.purpose,
            case=cases.get(entry.case),
            tasks=tasks.get(entry.actor, []),
            self_explaining=set(settings.ACCESS_REVIEW_SELF_EXPLAINING_PURPOSES),
        ):
            done += 1
        else:
            about = person_of_trace.get(entry.trace_id, entry.subject)
            _raise(found, key=(staff, AccessReview.Kind.UNEXPLAINED, day, about), entry=entry)
    for (staff, day), people in people_a_day.items():
        if len(people) > settings.ACCESS_REVIEW_BULK_A_DAY:
            last = max((e for e in entries if e.actor == str(staff)), key=lambda e: e.at)
            _raise(
                found, key=(staff, AccessReview.Kind.BULK, day, ""), entry=last, people=len(people)
            )
    return done


def access_review_run(*, limit: int = 100_000) -> AccessReviewRun | None:
    """Look at the staff reads logged since the last pass (at most ``limit``): each one
    explained, or raised for review. None when there was nothing new.

    The pass follows the log's positions, not its ids: an id is taken when a read's
    transaction starts, so on PostgreSQL an entry with a lower id can commit after a pass saw a
    higher one, and "ids above the last one seen" would never review it. Positions are given
    by the integrator in one locked transaction at a time, in order, so every entry below the
    last position seen was there to be seen. The waiting entries are integrated first."""
    integrate_all()
    return _review_pass(limit=limit)


@transaction.atomic
def _review_pass(*, limit: int) -> AccessReviewRun | None:
    last = AccessReviewRun.objects.select_for_update().order_by("-pk").first()
    after = last.last_position if last and last.last_position is not None else -1
    entries = list(
        AccessLogEntry.objects.filter(position__gt=after, actor_kind=AccessLogEntry.ActorKind.STAFF)
        .exclude(kind=AccessLogEntry.Kind.LINKED)
        .order_by("position")[:limit]
    )
    if not entries:
        return None
    found: dict = {}
    explained_count = 0
    for start in range(0, len(entries), BATCH):
        explained_count += _batch_reviewed(entries[start : start + BATCH], found)
    now = clock.now()
    raised = _keep(found, now)
    if raised:
        log.warning("access review: %s staff reads raised for review", raised)
    return AccessReviewRun.objects.create(
        started_at=now,
        last_entry=max(e.pk for e in entries),
        last_position=entries[-1].position,
        entries=len(entries),
        explained=explained_count,
        raised=raised,
    )


def break_glass_reason_clean(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_SHORTEST:
        raise CivicError(
            _(
                "State why you need to see this person's data without a case, in at least %(least)s characters."
            )
            % {"least": REASON_SHORTEST}
        )
    if len(reason) > REASON_LONGEST:
        raise CivicError(
            _("Keep the reason to %(most)s characters; it has %(count)s.")
            % {"most": REASON_LONGEST, "count": len(reason)}
        )
    return reason


def break_glass_purposes(*, user) -> list[dict[str, Any]]:
    """The purposes under which the member may read the persons register, with the fields."""
    return [row for row in allowed_list(actor=Actor.staff(user)) if row["register"] == "persons"]


def break_glass_read(*, user, personal_number: str, purpose: str, reason: str) -> dict[str, Any]:
    """Read a person's register data without a case: the reason is required, the read logged
    as any other, and it goes to the data protection officer's queue whatever it shows."""
    reason = break_glass_reason_clean(reason)
    granted = {row["purpose"]: row["fields"] for row in break_glass_purposes(user=user)}
    if purpose not in granted:
        raise CivicError(_("Choose one of the purposes you may read personal data under."))
    trace_id = f"{BREAK_GLASS_TRACE}{uuid.uuid4().hex}"
    now = clock.now()
    with transaction.atomic():
        answer = register_query(
            actor=Actor.staff(user),
            register="persons",
            subjects=[personal_number],
            fields=granted[purpose],
            purpose=purpose,
            trace_id=trace_id,
        )
        subject = pseudonym("persons", answer["results"][0]["subject"])
        review, created = AccessReview.objects.select_for_update().get_or_create(
            staff=user,
            kind=AccessReview.Kind.BREAK_GLASS,
            day=timezone.localdate(now),
            subject=subject,
            defaults={
                "agency_id": user.agency_id,
                "registers": ["persons"],
                "purposes": [purpose],
                "reads": 1,
                "people": 1,
                "trace_ids": [trace_id],
                "first_at": now,
                "last_at": now,
                "reason": reason,
                "raised_at": now,
            },
        )
        if not created:
            review.purposes = sorted({*review.purposes, purpose})
            review.reads += 1
            review.trace_ids = [*review.trace_ids, trace_id][-TRACES_KEPT:]
            review.last_at = now
            review.reason = f"{review.reason}\n{reason}"[-REASON_LONGEST * 2 :]
            review.status, review.decided_at, review.decided_by = (
                AccessReview.Status.OPEN,
                None,
                None,
            )
            review.save()
    log.warning("break-glass read by staff member %s (review %s)", user.pk, review.pk)
    return {"review": review, "records": answer["results"][0]["records"], "purpose": purpose}


class OwnReadsRefused(CivicError):
    code = "own-reads"
    status = 403


@transaction.atomic
def access_review_decide(*, user, review_id: int, decision: str, note: str) -> AccessReview:
    """The officer's finding: justified, or referred (to the member's manager, HR or the
    supervisory authority), with a note that says why."""
    if not staff_has_role(user=user, role=Role.DATA_PROTECTION_OFFICER):
        raise CivicError(_("Only a data protection officer can decide on access reviews."))
    review = (
        agency_scoped(AccessReview.objects.select_for_update(), user=user)
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise NotFound(_("There is no such access review."))
    if review.staff_id == user.pk:
        # Nobody reviews their own reads: the review stays open for another officer.
        raise OwnReadsRefused(
            _(
                "This review is about your own reads. Another data protection officer must "
                "decide it; it stays open for them."
            )
        )
    if decision not in (AccessReview.Status.JUSTIFIED, AccessReview.Status.REFERRED):
        raise CivicError(_("Choose whether the access was justified or is referred."))
    note = (note or "").strip()
    if not note:
        raise CivicError(_("Write what you found, for the record."))
    if len(note) > NOTE_LONGEST:
        raise CivicError(
            _("Keep the note to %(most)s characters; it has %(count)s.")
            % {"most": NOTE_LONGEST, "count": len(note)}
        )
    review.status, review.note = decision, note
    review.decided_at, review.decided_by = clock.now(), user
    review.save(update_fields=["status", "note", "decided_at", "decided_by"])
    return review
