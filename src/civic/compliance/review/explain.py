"""What explains a staff read: a rule with no database of its own, so it is tested on plain
values. A read is explained by a case of the reader's agency that was open when it was read
and is about the person read (or, for the address register, names the case), or by a task of
the reader's open then on such a case, or by a purpose that explains its reads by itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: Registers whose subject is a person: the case's person must be the one read.
PERSON_REGISTERS = frozenset({"persons", "income"})


@dataclass(frozen=True)
class CaseSeen:
    """What the review knows of a case: its agency, purpose, open period and people (as the
    access log's pseudonyms)."""

    reference: str
    agency: str
    purpose: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    people: frozenset[str]


@dataclass(frozen=True)
class TaskSeen:
    case: CaseSeen
    assignee: str
    created_at: dt.datetime
    done_at: dt.datetime | None


def _open_at(case: CaseSeen, at: dt.datetime) -> bool:
    return case.opened_at <= at and (case.closed_at is None or case.closed_at >= at)


def _about(case: CaseSeen, register: str, subject: str) -> bool:
    return register not in PERSON_REGISTERS or subject in case.people


def explained(
    *,
    agency: str,
    actor: str,
    at: dt.datetime,
    register: str,
    subject: str,
    purpose: str,
    case: CaseSeen | None,
    tasks: list[TaskSeen],
    self_explaining: frozenset[str] | set[str] = frozenset(),
) -> bool:
    """Whether the read is explained (see the module's docstring)."""
    if purpose in self_explaining:
        return True
    if (
        case is not None
        and case.agency == agency
        and case.purpose == purpose
        and _open_at(case, at)
        and _about(case, register, subject)
    ):
        return True
    return any(
        task.assignee == actor
        and task.case.agency == agency
        and task.created_at <= at
        and (task.done_at is None or task.done_at >= at)
        and task.case.purpose == purpose
        and _about(task.case, register, subject)
        for task in tasks
    )


def odd_hours(local: dt.datetime, hours: tuple[int, int] = (7, 19)) -> bool:
    """Outside working hours (local time, Monday to Friday)."""
    start, end = hours
    return local.weekday() >= 5 or not (start <= local.hour < end)
