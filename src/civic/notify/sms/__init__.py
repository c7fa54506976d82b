"""SMS providers, a plugin kind: ``base.py`` (the interface, :class:`SmsProvider`),
``registry.py`` (the providers by key, and the one CIVIC_SMS_PROVIDER chooses), ``contrib/``
(the providers shipped with Civic). See docs/plugins.md."""

from civic.notify.sms.base import MAX_LENGTH, SmsError, SmsProvider
from civic.notify.sms.registry import provider, providers

__all__ = ["MAX_LENGTH", "SmsError", "SmsProvider", "provider", "providers"]
