"""A person's access and portability export (GDPR arts. 15 and 20): everything Civic holds and
logged about them, as one JSON document (docs/privacy.md#the-export). The register data (their
own records, and the vehicles and businesses they hold) is read through the exchange under the
subject-access purpose (and so logged in their own tracker); the cases, drafts, uploaded files,
inbox, consents and authorisations come from their apps' selectors; ``access_log`` is every
entry of their data tracker. Nothing in it is about another person beyond what is held about
this one."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from civic.cases.selectors import answer_documents_about, cases_exported
from civic.core import clock
from civic.core.numbers import personal_number_clean
from civic.documents.selectors import documents_of_person
from civic.exchange.selectors import subject_consents, subject_log, subject_records
from civic.forms.selectors import drafts_exported, uploads_about
from civic.identity.selectors import authorisations_given
from civic.notify.selectors import messages_exported

FORMAT = "civic-personal-data-export/2"


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
        "drafts": drafts_exported(personal_number=number),
        "files": _files(number),
        "consents": subject_consents(personal_number=number),
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


def _file(stored, *, name: str, content_type: str, size: int, scan: str, uploaded_at, attached_to):
    """One file with its content in base64 and the SHA-256 of that content (to check it)."""
    try:
        with stored.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):  # the row outlived its file: say so, not fail
        content = None
    return {
        "name": name,
        "content_type": content_type,
        "size": size,
        "scan": scan,
        "uploaded_at": uploaded_at.isoformat() if uploaded_at else None,
        "attached_to": attached_to,
        "sha256": hashlib.sha256(content).hexdigest() if content is not None else None,
        "content_base64": base64.b64encode(content).decode() if content is not None else None,
    }


def _files(number: str) -> list[dict[str, Any]]:
    """Files attached to applications about the person, files sent with answers in cases
    about them, and the documents document intake received from them or found to be about
    them (with what it read from each)."""
    files = []
    for upload in uploads_about(personal_number=number):
        submission = getattr(upload.draft, "submission", None)
        files.append(
            _file(
                upload.file,
                name=upload.name,
                content_type=upload.content_type,
                size=upload.size,
                scan=upload.scan,
                uploaded_at=upload.uploaded_at,
                attached_to={
                    "kind": "application",
                    "form": upload.draft.version.form.code,
                    "question": upload.field,
                    "submission": submission.reference if submission else None,
                },
            )
        )
    for document in answer_documents_about(personal_number=number):
        if document.intake_document_id:  # the file is document intake's, exported below
            continue
        files.append(
            _file(
                document.file,
                name=document.name,
                content_type=document.content_type,
                size=document.size,
                scan=document.scan,
                uploaded_at=document.uploaded_at,
                attached_to={"kind": "answer", "case": document.answer_to.case.reference},
            )
        )
    for document in documents_of_person(personal_number=number):
        files.append(
            _file(
                document.file,
                name=document.original_name,
                content_type=document.media_type,
                size=document.size,
                scan="",
                uploaded_at=document.received_at,
                attached_to={
                    "kind": "document",
                    "channel": document.channel,
                    "type": document.document_type or None,
                    "case": document.case_reference or None,
                    "fields": document.fields,
                },
            )
        )
    return files


def person_export_json(*, personal_number: str, case: str = "") -> bytes:
    export = person_export(personal_number=personal_number, case=case)
    return json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
