"""The exchange's answers to identity's questions about the persons register
(``civic.identity.persons``): is this person alive and registered (for a login), and who are
their living children (for acting on a child's behalf).

Each answer is an ordinary exchange query: a background job named after the purpose reads under
its grant (the jurisdiction's set-up grants the ``login`` and ``representation`` jobs the
attributes below), and every subject released is in the access log, so the resident sees the
login check and the representation check in their data tracker.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from civic.exchange.actors import Actor
from civic.exchange.errors import BadSubjects, SubjectNotFound, UnknownPurpose
from civic.exchange.query import MAX_SUBJECTS, purpose_controller, register_query
from civic.identity.persons import Child

LOGIN_FIELDS = ["identity.date_of_death"]
PARENTAGE_FIELDS = ["parentage.child"]
NAME_FIELDS = ["identity.given_names", "identity.family_name_prefix", "identity.family_name"]
CHILD_FIELDS = ["identity.birth_date", "identity.date_of_death", *NAME_FIELDS]


def _job(purpose: str) -> Actor:
    """The job reading for ``purpose``, of the agency that controls it."""
    agency = purpose_controller(purpose)
    if agency is None:
        raise UnknownPurpose(
            _("There is no purpose called “%(purpose)s”.") % {"purpose": purpose},
            items=[purpose],
        )
    return Actor.job(purpose, agency=agency)


class ExchangePersons:
    """Fills identity's persons port (``civic.identity.persons.PersonsPort``)."""

    def registered(self, *, personal_number: str) -> bool:
        purpose = settings.LOGIN_PURPOSE
        try:
            answer = register_query(
                actor=_job(purpose),
                register="persons",
                subjects=[personal_number],
                fields=LOGIN_FIELDS,
                purpose=purpose,
            )
        except (SubjectNotFound, BadSubjects):
            return False
        identity = answer["results"][0]["records"].get("identity")
        return identity is not None and identity["date_of_death"] is None

    def living_children(self, *, personal_number: str) -> list[Child]:
        purpose = settings.REPRESENTATION_PURPOSE
        actor = _job(purpose)
        try:
            parent = register_query(
                actor=actor,
                register="persons",
                subjects=[personal_number],
                fields=PARENTAGE_FIELDS,
                purpose=purpose,
            )
        except (SubjectNotFound, BadSubjects):
            return []
        numbers = sorted(
            {
                row["child"]
                for row in parent["results"][0]["records"].get("parentage") or []
                if row.get("child")
            }
        )
        children: list[Child] = []
        for start in range(0, len(numbers), MAX_SUBJECTS):
            answer = register_query(
                actor=actor,
                register="persons",
                subjects=numbers[start : start + MAX_SUBJECTS],
                fields=CHILD_FIELDS,
                purpose=purpose,
            )
            for result in answer["results"]:
                identity = result["records"].get("identity")
                if identity and identity["birth_date"] and identity["date_of_death"] is None:
                    children.append(
                        Child(
                            result["subject"],
                            dt.date.fromisoformat(identity["birth_date"]),
                            _full_name(identity),
                        )
                    )
        return children

    def names(self, *, personal_numbers: list[str]) -> dict[str, str]:
        purpose = settings.REPRESENTATION_PURPOSE
        actor = _job(purpose)
        names: dict[str, str] = {}
        numbers = sorted(set(personal_numbers))
        for start in range(0, len(numbers), MAX_SUBJECTS):
            try:
                answer = register_query(
                    actor=actor,
                    register="persons",
                    subjects=numbers[start : start + MAX_SUBJECTS],
                    fields=NAME_FIELDS,
                    purpose=purpose,
                )
            except (SubjectNotFound, BadSubjects):
                continue
            for result in answer["results"]:
                identity = result["records"].get("identity")
                if identity:
                    names[result["subject"]] = _full_name(identity)
        return names


def _full_name(identity: dict) -> str:
    parts = (
        identity.get("given_names"),
        identity.get("family_name_prefix"),
        identity.get("family_name"),
    )
    return " ".join(p for p in parts if p)
