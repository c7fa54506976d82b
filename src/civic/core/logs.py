"""Civic's log lines: one JSON object a line on standard output in production (plain text while
developing), each with the trace id, and nothing personal in them.

What keeps personal data out: requests are logged by their URL pattern (the route), never their
path or query string; form data is never logged; and :class:`ContextFilter` masks any 9-digit
number left in a message or traceback, as a safety net. Used by ``LOGGING`` in the settings and
by gunicorn's own lines (``core/gunicorn_conf.py``). Imports nothing of Civic's apps.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

from civic.core import tracing

#: A personal number as stored (9 digits) or as people write it (1234.56.789, 123 456 789).
_PERSONAL_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9]{9}|[0-9]{4}[. -][0-9]{2}[. -][0-9]{3}|[0-9]{3} [0-9]{3} [0-9]{3})"
    r"(?![0-9A-Za-z])"
)
MASK = "*********"
#: Fields a request's records carry, in this order after the common ones.
_REQUEST_FIELDS = ("method", "route", "status", "duration_ms")


def mask(text: str) -> str:
    """``text`` with anything shaped like a personal number replaced by asterisks."""
    return _PERSONAL_NUMBER.sub(MASK, text)


def route_of(request: Any) -> str:
    """The URL pattern that answered ``request`` ("/my/cases/<str:reference>/"), not its path,
    which may hold a reference or a personal number; "(no route)" when nothing matched."""
    match = getattr(request, "resolver_match", None)
    return "/" + match.route if match is not None and match.route is not None else "(no route)"


class ContextFilter(logging.Filter):
    """On a handler: gives every record the current trace id and a masked message. A record
    about a request (Django's ``django.request`` passes the request itself) gets the method,
    the route and the status, and its message names the route instead of the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "trace_id", ""):
            record.trace_id = tracing.trace_id()
        message = record.getMessage()
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            record.route = route_of(request)
            record.method = request.method
            if request.path:
                # Django's own messages give the path escaped (a NUL as \x00), ours as it is.
                escaped = request.path.encode("unicode_escape").decode("ascii")
                message = message.replace(request.path, record.route).replace(escaped, record.route)
        if getattr(record, "status_code", None) is not None and not hasattr(record, "status"):
            record.status = record.status_code
        record.msg, record.args = mask(message), None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, trace_id; for requests
    method, route, status and duration_ms; for an exception its type and traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
            "trace_id": getattr(record, "trace_id", "") or tracing.trace_id(),
        }
        for field in _REQUEST_FIELDS:
            if getattr(record, field, None) is not None:
                entry[field] = getattr(record, field)
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = {
                "type": record.exc_info[0].__name__,
                "traceback": mask(self.formatException(record.exc_info)),
            }
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """For a developer's terminal: time, level, logger, [trace id], message; masked alike."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(trace_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "trace_id"):
            record.trace_id = tracing.trace_id()
        return mask(super().format(record))


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The ``LOGGING`` dictionary: Civic's, Django's (``django.request`` logs every 500 with
    its traceback; mail_admins is not used) and everyone else's warnings, all to standard
    output in ``log_format`` (json or plain)."""
    quiet = level if level in ("WARNING", "ERROR") else "WARNING"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "civic.core.logs.ContextFilter"}},
        "formatters": {
            "json": {"()": "civic.core.logs.JsonFormatter"},
            "plain": {"()": "civic.core.logs.PlainFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": log_format,
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "civic": {"handlers": ["console"], "level": level, "propagate": False},
            # django.request: 4xx as warnings, 5xx as errors with the traceback. Never DEBUG:
            # django.db.backends would print every query with its personal data.
            "django": {"handlers": ["console"], "level": quiet, "propagate": False},
            "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
            "celery": {"handlers": ["console"], "level": quiet, "propagate": False},
        },
    }
