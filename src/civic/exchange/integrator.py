"""The background thread of a web process (the embedded default): integrating the access log,
asking its witnesses to co-sign the newest checkpoint, retrying due event deliveries and the
event handlers whose retry is due (core.handlings).

Each web process starts one daemon thread, but only one of them on a host works: the one whose
process holds the host's lock (an exclusive flock on CIVIC_VAR_DIR/integrator.lock, let go by
the kernel when that process ends, whereupon another worker's thread takes it over within a
period). It integrates waiting entries every CIVIC_AUDITLOG_CHECKPOINT_SECONDS; the others
sleep. Four workers each integrating (and signing a checkpoint) every second cost the web
processes a seventh of their CPU under load; one costs a quarter of that. Hosts sharing one
database still take turns by the tree head's row lock. Production may instead run
`civic auditlog integrate --follow` as a service of its own and set
CIVIC_AUDITLOG_INTEGRATOR=off.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections

from civic.core.handlings import handlings_sweep

log = logging.getLogger("civic.exchange")
_started = threading.Event()
#: The open lock file while this process is the host's integrator (kept open: closing it, or
#: the process ending, lets the lock go).
_held: list = []


def host_lock_take() -> bool:
    """Whether this process is (now) the one integrator of the host: takes the lock if free."""
    if _held:
        return True
    path = Path(settings.VAR_DIR) / "integrator.lock"
    handle = path.open("a+b")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    _held.append(handle)
    return True


def _run() -> None:
    from civic.exchange.auditlog import integrate_all
    from civic.exchange.delivery import deliveries_dispatch
    from civic.exchange.witnessing import witnesses_update

    while True:
        time.sleep(settings.AUDITLOG_CHECKPOINT_SECONDS)
        try:
            if not host_lock_take():
                continue  # another process of this host integrates
        except OSError:
            log.exception("the integrator's lock file cannot be opened; integrating anyway")
        try:
            integrate_all()
            if settings.EVENT_DELIVERY == "thread":
                deliveries_dispatch()
                handlings_sweep()
        except Exception:  # keep integrating after a transient database error
            log.exception("integrating the access log failed; retrying")
        try:
            # Apart from the rest: a witness that is down or misconfigured fails only its own
            # cosignature, never the log or the deliveries.
            witnesses_update()
        except Exception:
            log.exception("asking the access log's witnesses failed; retrying")
        finally:
            close_old_connections()


def integrator_start() -> bool:
    """Start the thread once per process, if the settings want it."""
    if settings.AUDITLOG_INTEGRATOR != "thread" or _started.is_set():
        return False
    _started.set()
    threading.Thread(target=_run, name="civic-auditlog-integrator", daemon=True).start()
    return True
