"""Writing access-log entries: one per released subject, in the caller's transaction.

Every path to personal data writes its entries here: a query (exchange.query), the persons a
release names (exchange.linked), a register event (exchange.events) and a population run
(exchange.population). The integrator (exchange.auditlog) later gives each its place in the
Merkle tree.
"""

from __future__ import annotations

import datetime as dt

from civic.exchange import sql
from civic.exchange.actors import Actor
from civic.exchange.auditlog import HASHED_COLUMNS
from civic.exchange.models import AccessLogEntry, Purpose
from civic.exchange.pseudonyms import pseudonym


def log_entries_write(
    *,
    actor: Actor,
    purpose: Purpose,
    register: str,
    subjects: list[str],
    fields: list[str],
    case: str,
    kind: str,
    trace_id: str,
    at: dt.datetime,
    subjects_are_pseudonyms: bool = False,
) -> None:
    """One entry per released subject; the caller holds the transaction.

    ``subjects_are_pseudonyms``: the subjects are written as given (an aggregate release's
    ``counts:`` identifier, exchange.aggregates), not pseudonymised."""
    visible_from = at + dt.timedelta(days=purpose.embargo_days) if purpose.confidential else at
    actor_id = (
        pseudonym("persons", actor.id)
        if actor.kind == AccessLogEntry.ActorKind.RESIDENT
        else actor.id
    )
    on_behalf_of = pseudonym("persons", actor.on_behalf_of) if actor.on_behalf_of else ""
    agency = actor.agency or purpose.controller.code
    fields_text = ",".join(fields)
    entries_insert(
        [
            (
                sql.moment(at),
                actor.kind,
                actor_id,
                on_behalf_of,
                agency,
                purpose.code,
                purpose.legal_ground,
                purpose.legal_basis,
                register,
                subject if subjects_are_pseudonyms else pseudonym(register, subject),
                fields_text,
                case,
                kind,
                trace_id,
                sql.moment(visible_from),
            )
            for subject in subjects
        ]
    )


#: Every column written is hashed into the entry's leaf, in the same order.
INSERTED_COLUMNS = HASHED_COLUMNS
_QUOTED_COLUMNS = ", ".join('"' + c + '"' for c in INSERTED_COLUMNS)
_MARKS = ", ".join(["%s"] * len(INSERTED_COLUMNS))
INSERT_ENTRY = (
    f'INSERT INTO "{AccessLogEntry._meta.db_table}" ({_QUOTED_COLUMNS}, "leaf_hash") '  # noqa: S608
    f"VALUES ({_MARKS}, '')"
)


def entries_insert(rows: list[tuple]) -> None:
    """Write access-log entries (columns in INSERTED_COLUMNS order) in one statement."""
    sql.execute_many(INSERT_ENTRY, rows)
