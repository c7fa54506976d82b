"""Writes of the registers app: generating (or replacing) the synthetic jurisdiction.

Register facts themselves change through the exchange's event flow in later issues; here the
one write is the whole jurisdiction, atomically: a failure part way leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from civic.core import clock
from civic.core.errors import CivicError, Conflict
from civic.registers import sealing
from civic.registers.jurisdiction import REGISTER_MODELS, history_start, jurisdiction_build, names
from civic.registers.jurisdiction.writer import BulkWriter
from civic.registers.models import Jurisdiction

MIN_RESIDENTS = 100
MAX_RESIDENTS = 10_000_000


def _clear_registers() -> None:
    tables = [model._meta.db_table for model in [Jurisdiction, *reversed(REGISTER_MODELS)]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))
        else:
            for table in tables:
                cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 (table names are ours)


def jurisdiction_generate(
    *,
    residents: int,
    seed: int,
    until: dt.date | None = None,
    replace: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Jurisdiction:
    """Build the synthetic jurisdiction in one transaction.

    Refuses to mix with a jurisdiction already present unless ``replace`` is given.
    """
    if not MIN_RESIDENTS <= residents <= MAX_RESIDENTS:
        raise CivicError(
            _(
                "A jurisdiction has between %(min)s and %(max)s residents (fewer leave no room "
                "for households and history); %(asked)s were asked for."
            )
            % {
                "min": number_format(MIN_RESIDENTS, force_grouping=True),
                "max": number_format(MAX_RESIDENTS, force_grouping=True),
                "asked": number_format(residents, force_grouping=True),
            }
        )
    until = until or clock.today()
    with transaction.atomic():
        existing = Jurisdiction.objects.first()
        has_rows = existing is not None or REGISTER_MODELS[2].objects.exists()
        if has_rows and not replace:
            raise Conflict(
                _(
                    "This database already holds a jurisdiction (%(name)s, %(count)s residents). "
                    "Use --replace to delete it and generate a new one."
                )
                % {
                    "name": existing.name if existing else "?",
                    "count": existing.residents if existing else "?",
                }
            )
        writer = BulkWriter()
        with writer.fast_load(REGISTER_MODELS):
            if has_rows:  # after the indexes are dropped: deleting is then several times faster
                _clear_registers()
            summary = jurisdiction_build(
                residents=residents, seed=seed, until=until, writer=writer, progress=progress
            )
        # With a field key configured the sensitive values are sealed before anything commits,
        # so no clear copy waits for `civic privacy rotate-key` (docs/privacy.md).
        summary["sealed"] = sealing.seal_all()
        return Jurisdiction.objects.create(
            name=names.MUNICIPALITY_NAME,
            municipality_code=names.MUNICIPALITY_CODE,
            seed=seed,
            residents=residents,
            history_from=history_start(until),
            history_until=until,
            generated_at=clock.now(),
            summary=summary,
        )


from civic.registers.changes import (  # noqa: E402 (re-exported: the register-changing services)
    business_end,
    correction_apply,
    correction_request_file,
    partnership_end,
    partnership_register,
    person_birth,
    person_death,
    person_move,
)

__all__ = [
    "business_end",
    "correction_apply",
    "correction_request_file",
    "jurisdiction_generate",
    "partnership_end",
    "partnership_register",
    "person_birth",
    "person_death",
    "person_move",
]
