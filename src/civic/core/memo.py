"""A per-process memo of what every API call reads and almost never changes (API clients,
purposes, grants), kept only while a version token in the shared cache is unchanged.

Whoever changes such a row calls ``version_bump`` (the apps do it from their models' save and
delete signals, once the transaction commits): a new random token in the shared cache, so that
every web process on every host drops its memo at its next call. A reader reads the token once
per request, *before* it reads the database, and files what it read under that token: a change
that commits meanwhile leaves it filed under a token that is already old.

The memo is used only where the cache is shared by every process (Redis, as production runs):
with the local-memory cache a change made by another process (``civic apiclient revoke``) could
not reach the web processes, so there every call reads the database as before. Rows changed
behind Django's back (SQL, ``QuerySet.update``) send no signal: call ``version_bump``, or wait
for MAX_AGE_S, after which an entry is read again regardless.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save

KEY = "civic:memo:version"
#: Longest an entry is used without being read again, whatever the token says.
MAX_AGE_S = 60.0
#: Entries kept per process at most (each is a client, a purpose or a grant list); past it the
#: memo starts over.
MAX_ENTRIES = 10_000
_MISSING = object()

_lock = threading.Lock()
_entries: dict[tuple, tuple[Any, Any, float]] = {}
_request = threading.local()


def shared() -> bool:
    """Whether every process sees the same cache (and so the same version token)."""
    return isinstance(caches["default"], RedisCache)


def _request_began(**_kwargs: Any) -> None:
    _request.version = _MISSING


def _request_ended(**_kwargs: Any) -> None:
    _request.__dict__.pop("version", None)


request_started.connect(_request_began, dispatch_uid="civic.core.memo.began")
request_finished.connect(_request_ended, dispatch_uid="civic.core.memo.ended")


def version() -> Any:
    """The current token: read once per request (the thread's request, between Django's
    request_started and request_finished), on every call outside one."""
    kept = getattr(_request, "version", None)
    if kept is not None and kept is not _MISSING:
        return kept
    value = caches["default"].get(KEY) or ""
    if kept is _MISSING:
        _request.version = value
    return value


def version_bump() -> None:
    """Every process's memo is out of date from now on."""
    if getattr(_request, "version", None) is not None:
        _request.version = _MISSING
    with _lock:
        _entries.clear()
    if shared():
        caches["default"].set(KEY, uuid.uuid4().hex, timeout=None)


def remembered(key: tuple, load: Callable[[], Any], *, keep: Callable[[Any], bool] = bool) -> Any:
    """``load()``'s value for ``key``, from the memo while the token is unchanged; values for
    which ``keep`` is false (nothing found, by default) are not kept."""
    if not shared():
        return load()
    token = version()
    now = time.monotonic()
    found = _entries.get(key, _MISSING)
    if found is not _MISSING and found[1] == token and now - found[2] < MAX_AGE_S:
        return found[0]
    value = load()
    if keep(value):
        with _lock:
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[key] = (value, token, now)
    return value


def _changed(**_kwargs: Any) -> None:
    transaction.on_commit(version_bump)


def bump_on_change(*models: type) -> None:
    """Out of date whenever a row of ``models`` is saved or deleted, once that commits."""
    for model in models:
        uid = f"civic.core.memo:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ":delete")
