"""SMS provider plugins used by the tests, written as a real provider would be."""

from __future__ import annotations

from civic.notify.sms import SmsError, SmsProvider

SENT: list[dict] = []


class OutOfCreditProvider(SmsProvider):
    """A provider whose account has run out of credit: it refuses every text."""

    key = "out-of-credit"

    def send(self, *, to: str, text: str, reference: str) -> str:
        raise SmsError("402 Payment Required: the account has no credit left")


class ListProvider(SmsProvider):
    """A provider that keeps what it was given in a list (a stand-in for a test account)."""

    key = "list"

    def send(self, *, to: str, text: str, reference: str) -> str:
        SENT.append({"to": to, "text": text, "reference": reference})
        return f"list-{len(SENT)}"
