"""The SMS providers by key, and the one CIVIC_SMS_PROVIDER chooses."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from civic.core.plugins import Registry
from civic.notify.sms.base import SmsProvider

providers: Registry[type[SmsProvider]] = Registry(
    "SMS provider", SmsProvider, contrib=["civic.notify.sms.contrib.outbox"]
)

#: Dotted paths that named built-in providers before they had keys; still accepted.
_FORMER_PATHS = {"civic.notify.sms.OutboxProvider": "outbox"}


def provider_class() -> type[SmsProvider]:
    """The class CIVIC_SMS_PROVIDER names (a key, or a dotted path to an SmsProvider
    subclass); ImproperlyConfigured naming the known keys otherwise (checked when Civic
    starts)."""
    name = _FORMER_PATHS.get(settings.SMS_PROVIDER, settings.SMS_PROVIDER)
    return providers.resolve(name, setting="CIVIC_SMS_PROVIDER")


@lru_cache(maxsize=4)
def _provider(provider_class: type[SmsProvider]) -> SmsProvider:
    return provider_class()


def provider() -> SmsProvider:
    """The configured provider (one instance per process and setting)."""
    return _provider(provider_class())
