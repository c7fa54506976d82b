"""Field-key sources known to Civic, and the one CIVIC_FIELD_KEYS chooses (``off``: none)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from civic.core.fieldkeys.base import FieldKeySource
from civic.core.plugins import Registry

sources: Registry[type[FieldKeySource]] = Registry(
    "field-key source", FieldKeySource, contrib=["civic.core.fieldkeys.contrib.keyfile"]
)


@lru_cache(maxsize=1)
def source_current() -> FieldKeySource | None:
    """The configured source, or None when field encryption is off."""
    name = settings.FIELD_KEYS
    if name == "off":
        return None
    return sources.resolve(name, setting="CIVIC_FIELD_KEYS")()


def source_check() -> None:
    """ImproperlyConfigured, naming the known sources, for an unknown CIVIC_FIELD_KEYS."""
    if settings.FIELD_KEYS != "off":
        sources.resolve(settings.FIELD_KEYS, setting="CIVIC_FIELD_KEYS")


def source_reset() -> None:
    """Forget the cached source (tests, and after a key was added)."""
    source_current.cache_clear()
