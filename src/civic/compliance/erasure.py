"""Erasure of a person's data (GDPR art. 17) where the law allows it, and the refusal, with its
reason, where it does not (art. 17(3)): what Civic keeps on its own account and may drop (a
draft never sent, contact details for notifications) is erased, all of it in one transaction;
register data, cases and the access log are kept, each with the law that says so. Written in
every language, as the resident and the officer each read it in their own."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from civic.core.i18n import every_language
from civic.documents.retention import refused_documents_erase
from civic.exchange.selectors import catalogue_list
from civic.forms.services import drafts_unsent_erase
from civic.notify.services import preference_erase
from civic.sensors.services import advisory_subscription_erase


def _refusals() -> list[dict[str, Any]]:
    refused = [
        {
            "what": register["key"],
            "reason": every_language(
                lambda register=register: (
                    _(
                        "Kept: the %(register)s register is kept by %(authority)s under %(law)s; "
                        "erasure does not apply to data kept to comply with a legal obligation "
                        "(GDPR art. 17(3)(b)). Ask that authority to correct it if it is wrong."
                    )
                    % {
                        "register": register["name"],
                        "authority": register["authority_name"],
                        "law": register["legal_basis"],
                    }
                )
            ),
        }
        for register in catalogue_list()
        if register["subject"] == "person"
    ]
    refused.append(
        {
            "what": "cases",
            "reason": every_language(
                lambda: _(
                    "Kept: cases and decisions are public records the organisation must keep "
                    "for their retention period (GDPR art. 17(3)(b)); they are erased when it ends."
                )
            ),
        }
    )
    refused.append(
        {
            "what": "documents",
            "reason": every_language(
                lambda: _(
                    "Kept: documents you sent that were read belong to the case they were "
                    "sent for, or wait in an agency's queue to be handled (GDPR art. 17(3)(b)); "
                    "they are erased with the case, or a set time after they were received."
                )
            ),
        }
    )
    refused.append(
        {
            "what": "access_log",
            "reason": every_language(
                lambda: _(
                    "Kept: the access log proves every use of your data, to you and to the "
                    "supervisor (GDPR art. 17(3)(b) and (e)); it holds no personal data in clear, "
                    "only a keyed pseudonym."
                )
            ),
        }
    )
    return refused


@transaction.atomic
def erasure_run(*, personal_number: str) -> dict[str, list[dict[str, Any]]]:
    """Erase what may be erased, all or nothing; what was erased (with counts) and what was
    refused (with the reason for each)."""
    erased = []
    drafts = drafts_unsent_erase(applicant=personal_number)
    if drafts:
        erased.append({"what": "drafts", "count": drafts})
    if preference_erase(personal_number=personal_number):
        erased.append({"what": "contact_details", "count": 1})
    if advisory_subscription_erase(personal_number=personal_number):
        erased.append({"what": "advisory_subscription", "count": 1})
    documents = refused_documents_erase(personal_number=personal_number)
    if documents:
        erased.append({"what": "refused_documents", "count": documents})
    return {"erased": erased, "refused": _refusals()}
