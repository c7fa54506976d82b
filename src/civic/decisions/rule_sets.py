"""The rule sets Civic runs: which variables of the country package make an offer or a
decision, for which service, form and case type, and how the reasons read.

Kept as data (data/rule_sets.json) beside the country package: the package says what the law
computes, this file says what Civic does with it. Every rule set ``key`` has ``<key>_eligible``
and ``<key>_amount`` in the package (checked by a test).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils import translation

from civic.core.i18n import tr

DATA = Path(__file__).resolve().parent / "data" / "rule_sets.json"


@dataclass(frozen=True)
class RuleSet:
    key: str
    entity: str  # household | person
    service: str
    kind: str  # entitlement | obligation
    name: dict
    why: dict
    proactive: bool = False
    granted_without_application: bool = False
    needs_income: bool = False
    form: str = ""
    case_type: str = ""
    amount_is_fee: bool = False
    facts: tuple[str, ...] = field(default_factory=tuple)
    #: Obligations name it ``<key>_due``.
    eligible: str = ""
    #: Registers an application's decision reads (data minimisation); proactive runs read all.
    reads: tuple[str, ...] = ("persons", "income", "vehicles")

    @property
    def eligible_variable(self) -> str:
        return self.eligible or f"{self.key}_eligible"

    @property
    def amount_variable(self) -> str:
        return f"{self.key}_amount"

    def label(self) -> str:
        return tr(self.name)

    def reasons_text(self, facts: dict) -> str:
        """The "why" in the active language, facts filled in (amounts as whole euros)."""
        shown = {k: _euros(v) if "income" in k else v for k, v in facts.items()}
        try:
            return tr(self.why).format(**shown)
        except (KeyError, IndexError):
            return tr(self.why)


def _euros(value) -> str:
    amount = f"{round(float(value)):,}"
    if translation.get_language() == "nl":
        return "€ " + amount.replace(",", ".")
    return "€" + amount


@cache
def rule_sets() -> dict[str, RuleSet]:
    raw = json.loads(DATA.read_text())
    return {
        item["key"]: RuleSet(
            **{
                **item,
                "facts": tuple(item.get("facts", [])),
                "reads": tuple(item.get("reads", ("persons", "income", "vehicles"))),
            }
        )
        for item in raw
    }


def rule_set_get(key: str) -> RuleSet | None:
    return rule_sets().get(key)


def proactive_rule_sets() -> list[RuleSet]:
    return [r for r in rule_sets().values() if r.proactive]


def rule_set_for_case_type(case_type: str) -> RuleSet | None:
    return next((r for r in rule_sets().values() if r.case_type == case_type), None)
