"""A person's access and portability export (GDPR arts. 15 and 20): everything Civic holds and
logged about them, as one JSON document. The register data is read through the exchange under
the subject-access purpose (and so logged in their own tracker); the cases, inbox and
authorisations come from their apps' selectors; ``access_log`` is every entry of their data
tracker. Nothing in it is about another person beyond what is held about this one."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from civic.cases.selectors import cases_exported
from civic.core import clock
from civic.core.numbers import personal_number_clean
from civic.exchange.selectors import subject_log, subject_records
from civic.identity.selectors import authorisations_given
from civic.notify.selectors import messages_exported

FORMAT = "civic-personal-data-export/1"


def person_export(*, personal_number: str, case: str = "") -> dict[str, Any]:
    """The export of ``personal_number`` (``case``: the request's case, named in the log)."""
    number = personal_number_clean(personal_number)
    registers = subject_records(personal_number=number, case=case)
    return {
        "format": FORMAT,
        "generated_at": clock.now().astimezone(dt.UTC).isoformat(),
        "personal_number": number,
        "registers": registers,
        "cases": cases_exported(personal_number=number),
        "inbox": messages_exported(personal_number=number),
        "authorisations_given": [
            {
                "representative": given.representative,
                "scope": given.scope,
                "valid_until": given.valid_until.isoformat(),
                "given_at": given.created_at.isoformat(),
            }
            for given in authorisations_given(grantor=number)
        ],
        # Read last, so that the reads of this export are in it too.
        "access_log": subject_log(personal_number=number),
    }


def person_export_json(*, personal_number: str, case: str = "") -> bytes:
    export = person_export(personal_number=personal_number, case=case)
    return json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
