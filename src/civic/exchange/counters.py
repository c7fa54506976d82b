"""Shared counters and sets for the exchange's limits and watch, in the cache.

In production the cache is Redis (CIVIC_CACHE_URL; production refuses to start without it), so
every web process counts into the same keys: each call's counting is one pipelined round trip
of atomic INCRBY and SADD, whatever the number of subjects. The embedded default's local-memory
cache lives in one process; there the same operations go through Django's cache API under a
lock, which makes them exact within that process.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

_lock = threading.Lock()


def _redis():
    """The Redis client behind the default cache, or None for any other backend."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return backend, backend._cache.get_client(write=True)
    return None, None


def increments(items: Sequence[tuple[str, int, int]]) -> list[int]:
    """Add each ``(key, amount, seconds to live)``; the new values, in order. A key that did
    not exist starts at 0."""
    backend, client = _redis()
    if client is not None:
        pipe = client.pipeline(transaction=False)
        for key, amount, seconds in items:
            full = backend.make_and_validate_key(key)
            pipe.incrby(full, amount)
            pipe.expire(full, seconds)
        return [int(value) for value in pipe.execute()[::2]]
    with _lock:
        values = []
        for key, amount, seconds in items:
            cache.add(key, 0, timeout=seconds)
            values.append(cache.incr(key, amount))
        return values


def set_adds(items: Sequence[tuple[str, Sequence[str], int]]) -> list[int]:
    """Add the members to each ``(key, members, seconds to live)`` set; each set's size after."""
    backend, client = _redis()
    if client is not None:
        pipe = client.pipeline(transaction=False)
        for key, members, seconds in items:
            full = backend.make_and_validate_key(key)
            pipe.sadd(full, *members)
            pipe.expire(full, seconds)
            pipe.scard(full)
        return [int(value) for value in pipe.execute()[2::3]]
    with _lock:
        sizes = []
        for key, members, seconds in items:
            current = cache.get(key) or frozenset()
            current = current | frozenset(members)
            cache.set(key, current, timeout=seconds)
            sizes.append(len(current))
        return sizes


def values(keys: Sequence[str]) -> list[int]:
    """The counts under ``keys`` (0 where there is none)."""
    found = cache.get_many(list(keys))
    return [int(found.get(key) or 0) for key in keys]


def set_members(key: str) -> set[str]:
    """The members of a set made by ``set_adds``."""
    backend, client = _redis()
    if client is not None:
        return {m.decode() for m in client.smembers(backend.make_and_validate_key(key))}
    return set(cache.get(key) or ())
