"""What every SMS provider is. CIVIC_SMS_PROVIDER names the class (a key of the registry, or a
dotted path for a provider outside Civic); Civic makes one instance per process and calls
:meth:`SmsProvider.send` for every text message.

A provider is small: subclass :class:`SmsProvider`, implement ``send``, and raise
:class:`SmsError` (or let any exception out) when the text did not go. Civic then marks the
delivery failed with the error and tries again later, with a growing wait, until
CIVIC_NOTIFY_MAX_ATTEMPTS; the message stays in the resident's inbox whatever happens. A
provider reads its own settings (an API key, say) from the environment with
``civic.core.config.env`` so that they appear in docs/configuration.md.

Example, for a provider with an HTTP API::

    class ExampleProvider(SmsProvider):
        key = "example"

        def send(self, *, to, text, reference):
            response = post_json(API_URL, {"to": to, "text": text}, api_key=API_KEY)
            if response.status != 201:
                raise SmsError(f"provider answered {response.status}")
            return response.json()["id"]
"""

from __future__ import annotations

#: Longest text sent; longer texts are cut (they are notices, the message is in the inbox).
MAX_LENGTH = 306  # two concatenated GSM-7 segments


class SmsError(Exception):
    """The provider did not take the text; the message says why (it is kept for operators)."""


class SmsProvider:
    """Base class of SMS providers."""

    #: The key CIVIC_SMS_PROVIDER names it by (a provider outside Civic, named by its dotted
    #: path, needs none).
    key = "base"

    def send(self, *, to: str, text: str, reference: str) -> str:
        """Send ``text`` to the phone number ``to`` (international format, ``+31612345678``).

        ``reference`` identifies the delivery, for the provider's own logs. Returns the
        provider's id for the text (or ""). Raises when the text was not accepted.
        """
        raise NotImplementedError
