"""SMS provider plugins. CIVIC_SMS_PROVIDER names the class (a dotted path); Civic makes one
instance per process and calls :meth:`SmsProvider.send` for every text message.

A provider is small: subclass :class:`SmsProvider`, implement ``send``, and raise
:class:`SmsError` (or let any exception out) when the text did not go. Civic then marks the
delivery failed with the error and tries again later, with a growing wait, until
CIVIC_NOTIFY_MAX_ATTEMPTS; the message stays in the resident's inbox whatever happens. A
provider reads its own settings (an API key, say) from the environment with
``civic.core.config.env`` so that they appear in docs/configuration.md.

Example, for a provider with an HTTP API::

    class ExampleProvider(SmsProvider):
        name = "example"

        def send(self, *, to, text, reference):
            response = post_json(API_URL, {"to": to, "text": text}, api_key=API_KEY)
            if response.status != 201:
                raise SmsError(f"provider answered {response.status}")
            return response.json()["id"]
"""

from __future__ import annotations

import threading
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from civic.core import clock

#: Longest text sent; longer texts are cut (they are notices, the message is in the inbox).
MAX_LENGTH = 306  # two concatenated GSM-7 segments


class SmsError(Exception):
    """The provider did not take the text; the message says why (it is kept for operators)."""


class SmsProvider:
    """Base class of SMS providers."""

    #: Short name shown to operators.
    name = "base"

    def send(self, *, to: str, text: str, reference: str) -> str:
        """Send ``text`` to the phone number ``to`` (international format, ``+31612345678``).

        ``reference`` identifies the delivery, for the provider's own logs. Returns the
        provider's id for the text (or ""). Raises when the text was not accepted.
        """
        raise NotImplementedError


class OutboxProvider(SmsProvider):
    """The embedded default: appends each text as one line to CIVIC_VAR_DIR/outbox/sms.log."""

    name = "outbox"
    _lock = threading.Lock()

    def send(self, *, to: str, text: str, reference: str) -> str:
        folder = settings.OUTBOX_DIR
        line = f"{clock.now().isoformat()}\t{to}\t{reference}\t{' '.join(text.split())}\n"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with self._lock, (folder / "sms.log").open("a", encoding="utf-8") as log:
                log.write(line)
        except OSError as error:
            raise SmsError(f"cannot write the SMS outbox: {error}") from error
        return ""


@lru_cache(maxsize=4)
def _provider(path: str) -> SmsProvider:
    try:
        provider_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"CIVIC_SMS_PROVIDER {path!r} cannot be imported: {error}"
        ) from None
    if not (isinstance(provider_class, type) and issubclass(provider_class, SmsProvider)):
        raise ImproperlyConfigured(f"CIVIC_SMS_PROVIDER {path!r} is not an SmsProvider subclass.")
    return provider_class()


def provider() -> SmsProvider:
    """The configured provider (one instance per process and setting)."""
    return _provider(settings.SMS_PROVIDER)
