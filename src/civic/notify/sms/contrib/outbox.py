"""``outbox``: the embedded default, a file instead of phones."""

from __future__ import annotations

import threading

from django.conf import settings

from civic.core import clock
from civic.notify.sms.base import SmsError, SmsProvider
from civic.notify.sms.registry import providers


@providers.register
class OutboxProvider(SmsProvider):
    """The embedded default: appends each text as one line to CIVIC_VAR_DIR/outbox/sms.log."""

    key = "outbox"
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
