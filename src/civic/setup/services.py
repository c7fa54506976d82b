"""Writes of the set-up app: a set-up file checked whole, then applied through the apps'
public services in one transaction, touching only what differs; a dry run rolls back.

After applying, the database is read again and compared with the file: anything still
different is a bug in this app, and the whole transaction is undone rather than leaving a
half-applied jurisdiction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from civic.cases.services import case_type_ensure
from civic.catalog.selectors import services_list
from civic.catalog.services import life_event_ensure, navigator_ensure, service_ensure, topic_ensure
from civic.core.errors import CivicError
from civic.decisions.services import mode_ensure, proactive_setup_set
from civic.exchange.selectors import purpose_get
from civic.exchange.services import grant_set, purpose_ensure
from civic.forms.services import form_definition_ensure
from civic.identity.selectors import agency_get, api_clients_named
from civic.identity.services import agency_ensure
from civic.setup.checks import problems_find
from civic.setup.document import Problem, Unreadable, document_read
from civic.setup.state import Change, plan_make, state_current, state_wanted

#: The demo jurisdiction's set-up: `civic demo`, the tests and the benchmarks apply it.
DEMO_SETUP = Path(__file__).resolve().parent / "data" / "havenstad" / "setup.yaml"
#: The demo partner's grants, applied by `civic demo` once it has made the partner's client.
DEMO_PARTNER_SETUP = DEMO_SETUP.parent / "demo-partner.yaml"


class SetupRefused(CivicError):
    """The file has problems; nothing was written."""

    code = "setup-refused"

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''}; nothing was changed"
        )


class SetupIncomplete(CivicError):
    code = "setup-incomplete"


@dataclass
class SetupResult:
    changes: list[Change]
    dry_run: bool

    @property
    def changed(self) -> bool:
        return any(change.touches for change in self.changes)


def setup_check(*, path: Path) -> list[Problem]:
    """Every problem of the file at ``path`` (empty when it can be applied)."""
    try:
        document = document_read(path)
    except Unreadable as unreadable:
        return unreadable.problems
    return problems_find(document, state_current())


def setup_apply(*, path: Path, dry_run: bool = False) -> SetupResult:
    """Apply the set-up in ``path``: refused whole (SetupRefused, with every problem) or
    applied whole. Returns what was (or, in a dry run, would be) created and changed."""
    try:
        document = document_read(path)
    except Unreadable as unreadable:
        raise SetupRefused(unreadable.problems) from None
    with transaction.atomic():
        current = state_current()
        problems = problems_find(document, current)
        if problems:
            raise SetupRefused(problems)
        wanted = state_wanted(document.data, current)
        plan = plan_make(wanted, current)
        for change in plan:
            if change.touches:
                APPLY[change.kind](wanted[change.kind], change.touches)
        left = [c for c in plan_make(wanted, state_current()) if c.touches]
        if left:
            raise SetupIncomplete(
                "applying left these different from the file (nothing was changed): "
                + "; ".join(f"{c.kind}: {', '.join(c.touches)}" for c in left)
            )
        if dry_run:
            transaction.set_rollback(True)
    return SetupResult(changes=plan, dry_run=dry_run)


# What each kind's items are made with: the owning app's services, by natural key. ----------


def _agencies(items: dict[str, Any], keys: list[str]) -> None:

    for code in keys:
        item = items[code]
        agency_ensure(
            code=code,
            name=item["name"]["en"],
            name_nl=item["name"].get("nl", ""),
            kind=item["kind"],
        )


def _purposes(items: dict[str, Any], keys: list[str]) -> None:

    for code in keys:
        p = items[code]
        purpose_ensure(
            code=code,
            name=p["name"]["en"],
            name_nl=p["name"].get("nl", ""),
            description=p["description"]["en"],
            description_nl=p["description"].get("nl", ""),
            controller=agency_get(code=p["controller"]),
            legal_ground=p["legal_ground"],
            legal_basis=p["legal_basis"],
            confidential=p["confidential"],
            embargo_days=p["embargo_days"],
        )


def _grants(items: dict[str, Any], keys: list[str]) -> None:

    for key in keys:
        g = items[key]
        to = g["to"]
        grant_set(
            purpose=purpose_get(code=g["purpose"]),
            register=g["register"],
            attributes=g["attributes"],
            api_client=api_clients_named(name=to["api_client"])[0] if "api_client" in to else None,
            staff_role=to.get("staff_role", ""),
            job=to.get("job", ""),
            residents=to.get("residents", False),
            agency=agency_get(code=to["agency"]) if "agency" in to else None,
        )


def _life_events(items: dict[str, Any], keys: list[str]) -> None:

    for code in keys:
        life_event_ensure(code=code, **items[code])


def _topics(items: dict[str, Any], keys: list[str]) -> None:

    for code in keys:
        topic_ensure(code=code, **items[code])


def _services(items: dict[str, Any], keys: list[str]) -> None:

    for code in keys:
        service_ensure(
            code=code, **{**items[code], "agency": agency_get(code=items[code]["agency"])}
        )


def _navigators(items: dict[str, Any], keys: list[str]) -> None:

    for code in keys:
        navigator_ensure(code=code, **items[code])


def _teams(items: dict[str, Any], keys: list[str]) -> None:
    """Nothing of their own: a team is the name case types give it (applied with them)."""


def _services_by_code() -> dict[str, Any]:

    return {s.code: s for s in services_list()}


def _case_types(items: dict[str, Any], keys: list[str]) -> None:

    services = _services_by_code()
    for code in keys:
        c = items[code]
        case_type_ensure(
            code=code,
            service=services[c["service"]] if c["service"] else None,
            agency=agency_get(code=c["agency"]),
            name=c["name"],
            purpose=c["purpose"],
            workflow=c["workflow"],
            decision_period_days=c["decision_period_days"],
            retention_years=c["retention_years"],
            decision_templates=c["decision_templates"],
            register_fields=c["register_fields"],
            is_objection=c["objections"],
            teams=c["teams"],
            document_types=c["documents"],
        )


def _forms(items: dict[str, Any], keys: list[str]) -> None:

    services = _services_by_code()
    for code in keys:
        f = items[code]
        form_definition_ensure(
            code=code,
            service=services[f["service"]],
            purpose=f["purpose"],
            title=f["title"],
            schema={"steps": f["steps"]},
        )


def _proactive(items: dict[str, Any], keys: list[str]) -> None:

    for key in keys:
        proactive_setup_set(**items[key])


def _modes(items: dict[str, Any], keys: list[str]) -> None:

    for case_type in keys:
        mode_ensure(case_type=case_type, mode=items[case_type]["mode"])


APPLY = {
    "agencies": _agencies,
    "purposes": _purposes,
    "grants": _grants,
    "life_events": _life_events,
    "topics": _topics,
    "services": _services,
    "navigators": _navigators,
    "teams": _teams,
    "case_types": _case_types,
    "forms": _forms,
    "proactive": _proactive,
    "modes": _modes,
}

__all__ = [
    "DEMO_PARTNER_SETUP",
    "DEMO_SETUP",
    "SetupIncomplete",
    "SetupRefused",
    "SetupResult",
    "setup_apply",
    "setup_check",
]
