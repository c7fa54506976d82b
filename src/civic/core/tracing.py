"""The trace id of the work in hand, kept in a context variable.

A request takes the caller's id from a W3C ``traceparent`` header (https://www.w3.org/TR/trace-
context/) or gets a fresh one; every log line, the 500 page and the access log's entries carry
it, so that one reference finds everything a request did. Work that runs elsewhere (a Celery
task) sets it with :func:`traced`. Imports nothing of Civic's apps.
"""

from __future__ import annotations

import contextvars
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

_current: contextvars.ContextVar[str] = contextvars.ContextVar("civic_trace_id", default="")
#: version-traceid-parentid-flags, lower-case hex; version ff is forbidden by the standard.
_TRACEPARENT = re.compile(r"^(?!ff)[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")


def trace_id() -> str:
    """The current trace id ("" outside any request or traced work)."""
    return _current.get()


def trace_id_new() -> str:
    """A fresh trace id: 16 random bytes as 32 hex digits, as W3C trace context has them."""
    return secrets.token_hex(16)


def from_traceparent(header: str) -> str | None:
    """The trace id of a W3C ``traceparent`` header, or None when the header is not one."""
    found = _TRACEPARENT.match(header or "")
    if found is None or set(found.group(1)) == {"0"} or set(found.group(2)) == {"0"}:
        return None
    return found.group(1)


def trace_start(value: str | None = None) -> contextvars.Token:
    """Make ``value`` (or a fresh id) the current trace id; give the token to :func:`trace_end`."""
    return _current.set(value or trace_id_new())


def trace_end(token: contextvars.Token) -> None:
    _current.reset(token)


@contextmanager
def traced(value: str | None = None) -> Iterator[str]:
    """Run a block under ``value`` (or a fresh id), then put the previous id back."""
    token = trace_start(value)
    try:
        yield _current.get()
    finally:
        trace_end(token)
