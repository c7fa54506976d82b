"""Conditions a staff member must meet before the exchange releases personal data to them,
beyond a grant: filled in when Django starts by apps above the exchange (compliance checks
that the member's data-protection training is current). Imports the exchange's errors only.

Each check takes the staff member's user id and returns "" when they may read, or the reason
they may not (what is wrong and what to do), which the query refuses with."""

from __future__ import annotations

from collections.abc import Callable

from civic.exchange.errors import StaffNotCleared

StaffCheck = Callable[[int], str]

_checks: list[StaffCheck] = []


def staff_check_add(check: StaffCheck) -> None:
    """Called once per check at start-up (an AppConfig's ready)."""
    if check not in _checks:
        _checks.append(check)


def staff_checks_pass(*, user_id: str) -> None:
    """Raise StaffNotCleared with the first check's reason; nothing when all pass."""
    for check in _checks:
        reason = check(int(user_id))
        if reason:
            raise StaffNotCleared(reason, items=[])
