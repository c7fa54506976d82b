"""The embedded integrator: one per host, whichever web process holds the host's lock."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest

from civic.exchange import integrator


@pytest.fixture
def lock_free(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    integrator._held.clear()
    yield tmp_path / "integrator.lock"
    for handle in integrator._held:
        handle.close()
    integrator._held.clear()


def _other_process_takes(path: Path) -> bool:
    """What another worker's attempt sees (a second open file is a second flock owner)."""
    with path.open("a+b") as other:
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        fcntl.flock(other, fcntl.LOCK_UN)
        return True


def test_only_the_process_holding_the_hosts_lock_integrates_and_another_takes_over_after_it(
    lock_free,
):
    assert integrator.host_lock_take() is True
    assert integrator.host_lock_take() is True  # it keeps the lock
    assert _other_process_takes(lock_free) is False

    integrator._held.pop().close()  # the integrating process ends

    assert _other_process_takes(lock_free) is True
