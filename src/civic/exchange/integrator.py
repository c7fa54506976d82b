"""The background thread of a web process (the embedded default): integrating the access log,
asking its witnesses to co-sign the newest checkpoint, retrying due event deliveries and the
event handlers whose retry is due (core.handlings).

Each web process runs one daemon thread that integrates waiting entries every
CIVIC_AUDITLOG_CHECKPOINT_SECONDS. Several processes may do so at once: the tree head's row
lock makes them take turns. Production may instead run `civic auditlog integrate --follow`
as a service of its own and set CIVIC_AUDITLOG_INTEGRATOR=off.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections

from civic.core.handlings import handlings_sweep

log = logging.getLogger("civic.exchange")
_started = threading.Event()


def _run() -> None:
    from civic.exchange.auditlog import integrate_all
    from civic.exchange.delivery import deliveries_dispatch
    from civic.exchange.witnessing import witnesses_update

    while True:
        time.sleep(settings.AUDITLOG_CHECKPOINT_SECONDS)
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
