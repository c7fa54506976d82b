"""gunicorn's settings for `civic serve` (``--config python:civic.core.gunicorn_conf``): its own
lines (workers booting, timing out) go to standard output in Civic's log format, and its
access log stays off (Civic logs each request by route, without the path or query string).

Imports nothing but ``core``; reads CIVIC_LOG_FORMAT and CIVIC_LOG_LEVEL as the settings do.
"""

from __future__ import annotations

from civic.core.conf import LOG_FORMAT, LOG_LEVEL
from civic.core.logs import logging_config

_config = logging_config(log_format=LOG_FORMAT, level=LOG_LEVEL)
_config["loggers"] = {
    "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    # An access log would print every path and query string: personal numbers included.
    "gunicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
}
_config["root"] = {"handlers": ["console"], "level": "WARNING"}
logconfig_dict = _config
accesslog = None


def child_exit(server, worker):
    """A worker that exits has its live metrics removed (core/metrics.py shares the workers'
    request metrics through files in PROMETHEUS_MULTIPROC_DIR, which `civic serve` empties)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_fork(server, worker):
    """Each worker sets OpenTelemetry traces up for itself (CIVIC_TRACES_EXPORTER): the thread
    that exports spans does not survive the fork from the master, which records none."""
    from civic.core import traces

    traces.traces_start(default_service=traces.WEB)


def worker_exit(server, worker):
    """What a worker's traces still hold is sent before it goes."""
    from civic.core import traces

    traces.traces_flush()


def _quiet_access_logger():
    """gunicorn's logger without its access log: with ``logconfig_dict`` set, gunicorn builds
    every request's access-log atoms only for the handler-less logger above to drop them (2 % of
    a web process's CPU under API load)."""
    from gunicorn.glogging import Logger

    class QuietAccessLogger(Logger):
        def _compute_access_log_enabled(self):
            return False

        def access(self, resp, req, environ, request_time):
            return

    return QuietAccessLogger


logger_class = _quiet_access_logger()
