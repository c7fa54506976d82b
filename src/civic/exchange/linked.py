"""Releases of a person's number inside another subject's record: a parent's record names the
children, a partnership the partner, a business its owners, a birth event the parents. Each
person so named gets an access-log entry of their own (kind `linked`), so that their tracker
shows the release as it shows reads about them; the subjects asked about already have theirs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from civic.exchange.actors import Actor
from civic.exchange.entries import log_entries_write
from civic.exchange.models import AccessLogEntry, Purpose
from civic.registers.catalogue import REGISTERS


def _numbers(value: Any) -> Iterable[str]:
    if isinstance(value, str) and value:
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)


def persons_named_in_records(
    register: str, records: dict[str, dict[str, Any]], subjects: Iterable[str]
) -> dict[str, set[str]]:
    """{personal number: attribute names naming it} over the released ``records`` (as
    fetch.records_read gives them), leaving out the subjects themselves when they are persons."""
    references = REGISTERS[register].references("persons")
    asked = set(subjects) if REGISTERS[register].subject == "person" else set()
    named: dict[str, set[str]] = defaultdict(set)
    for record_set in records.values():
        for record, rows in record_set.items():
            for row in rows if isinstance(rows, list) else [rows] if rows else []:
                for attribute, value in row.items():
                    name = f"{record}.{attribute}"
                    if name in references:
                        for number in _numbers(value):
                            if number not in asked:
                                named[number].add(name)
    return named


def persons_named_in_event(
    register: str, subject: str, data: dict[str, Any]
) -> dict[str, set[str]]:
    """{personal number: attribute names} named in a register event's data, besides its subject."""
    references = REGISTERS[register].references("persons")
    named: dict[str, set[str]] = defaultdict(set)
    for name, value in data.items():
        if name in references:
            for number in _numbers(value):
                if number != subject:
                    named[number].add(name)
    return named


def linked_entries_write(
    *,
    actor: Actor,
    purpose: Purpose,
    named: dict[str, set[str]],
    case: str,
    trace_id: str,
    at: dt.datetime,
) -> None:
    """One entry per named person, grouped by what named them; the caller holds the release's
    transaction, so these entries are written with it or not at all."""
    by_fields: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for number, names in named.items():
        by_fields[tuple(sorted(names))].append(number)
    for fields, numbers in by_fields.items():
        log_entries_write(
            actor=actor,
            purpose=purpose,
            register="persons",
            subjects=sorted(numbers),
            fields=list(fields),
            case=case,
            kind=AccessLogEntry.Kind.LINKED,
            trace_id=trace_id,
            at=at,
        )
