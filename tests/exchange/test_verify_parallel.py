"""`civic auditlog verify` on a large log splits it into blocks checked in worker processes;
the answer, and the first bad position, are the same as in one process. The workers read what
is committed, so this test commits (pytest-django runs it after the others)."""

from __future__ import annotations

import pytest
from django.db import connection

from civic.exchange import auditlog, verify
from civic.exchange.models import AccessLogEntry
from tests.exchange.test_auditlog import released


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(verify, "BLOCK", 8)


def test_parallel_verification_agrees_and_names_the_same_first_bad_position(
    committed_data, small_blocks, settings
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "worker processes need a database they can open themselves (PostgreSQL; CI runs it)"
        )
    settings.AUDITLOG_CHECKPOINT_ENTRIES = 7
    released(60)
    auditlog.integrate_all()
    together, apart = verify.auditlog_verify(workers=1), verify.auditlog_verify(workers=2)
    assert together.ok and apart.ok
    assert (apart.entries, apart.checkpoints) == (together.entries, together.checkpoints) == (60, 9)
    AccessLogEntry.objects.filter(position=43).update(purpose="rewritten")
    assert verify.auditlog_verify(workers=2).problems[0][0] == 43
    assert verify.auditlog_verify(workers=1).problems[0][0] == 43


def test_parallel_verification_against_a_held_size_gives_the_same_roots_and_proof(
    committed_data, small_blocks, settings
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "worker processes need a database they can open themselves (PostgreSQL; CI runs it)"
        )
    settings.AUDITLOG_CHECKPOINT_ENTRIES = 7
    released(40)
    auditlog.integrate_all()
    for held in (3, 8, 17, 32, 40):
        apart = verify.auditlog_verify(workers=2, against=held)
        together = verify.auditlog_verify(workers=1, against=held)
        assert apart.ok and (apart.roots, apart.subtrees) == (together.roots, together.subtrees)
