"""The rule sets Civic runs: which variables of the country package make an offer or a
decision, for which service, form and case type, and how the reasons read.

Kept as data (data/rule_sets.json) beside the country package: the package says what the law
computes, this file says what Civic does with it. Every rule set ``key`` has ``<key>_eligible``
and ``<key>_amount`` in the package (checked by a test), unless it names its own variables.

A rule set declares everything the engine needs to know about it, so that the engine names no
service: the legal unit it judges (``unit``, see units.py), the parts of the registers it reads
(``reads``), the income limit it tests when it is a plain limit (``income_limit``), what the
form's answers add to the register data (``answers``) and which answers need a person to check
(``answer_gaps``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from civic.core.formats import date_text, money_text
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
    #: The parts of the registers the rule set reads (data minimisation): persons, family
    #: (parentage and partnership), income, vehicles. A proactive run reads what its rule
    #: sets read, and nothing more.
    reads: tuple[str, ...] = ("persons",)
    #: The legal unit judged: household (an address), benefit_unit, person, or child (offered
    #: to each of the child's parents).
    unit: str = "household"
    #: The amount variable when it is not ``<key>_amount``.
    amount: str = ""
    #: The income limit of a plain "income below the limit" test: a variable of the unit or a
    #: parameter path. The threshold is read from it (checked to flip the outcome), and found
    #: by bisection when the rule set names none.
    income_limit: str = ""
    #: Form answers -> inputs: variable -> {"answer": key, "count": true} (the number of items
    #: in a list answer) or {"answer": key, "equals": value} (a yes/no).
    answers: dict = field(default_factory=dict)
    #: Answers a person must check: [{"answer": key, "equals": value, "gap": {"en", "nl"}}].
    answer_gaps: tuple = ()

    @property
    def eligible_variable(self) -> str:
        return self.eligible or f"{self.key}_eligible"

    @property
    def amount_variable(self) -> str:
        return self.amount or f"{self.key}_amount"

    @property
    def grouping(self) -> str:
        """The group entity's meaning in this rule set's simulation: household or benefit_unit
        (person and child rule sets compute per person; any grouping serves)."""
        return "benefit_unit" if self.unit == "benefit_unit" else "household"

    def answers_inputs(self, answers: dict) -> dict[str, object]:
        """What the form's answers add to the register data, as declared."""
        inputs: dict[str, object] = {}
        for variable, spec in self.answers.items():
            given = answers.get(spec["answer"])
            if spec.get("count"):
                inputs[variable] = len(given or [])
            else:
                inputs[variable] = given == spec.get("equals")
        return inputs

    def answers_gaps(self, answers: dict) -> list[str]:
        """What in the answers needs a person to check, in the active language."""
        return [
            tr(gap["gap"])
            for gap in self.answer_gaps
            if answers.get(gap["answer"]) == gap.get("equals")
        ]

    def label(self) -> str:
        return tr(self.name)

    def reasons_text(self, facts: dict) -> str:
        """The "why" in the active language, facts filled in (amounts as whole euros)."""
        shown = {k: _fact(k, v) for k, v in facts.items()}
        try:
            return tr(self.why).format(**shown)
        except (KeyError, IndexError):
            return tr(self.why)


def _fact(key: str, value):
    if "income" in key:
        return _euros(value)
    if key.endswith("_born") and value:
        return date_text(str(value))
    return value


def _euros(value) -> str:
    return money_text(value, cents=False)


@cache
def rule_sets() -> dict[str, RuleSet]:
    raw = json.loads(DATA.read_text())
    return {
        item["key"]: RuleSet(
            **{
                **item,
                "facts": tuple(item.get("facts", [])),
                "reads": tuple(item.get("reads", ("persons",))),
                "answer_gaps": tuple(item.get("answer_gaps", [])),
            }
        )
        for item in raw
    }


def rule_set_get(key: str) -> RuleSet | None:
    return rule_sets().get(key)


def proactive_rule_sets() -> list[RuleSet]:
    return [r for r in rule_sets().values() if r.proactive]


def proactive_reads() -> tuple[str, ...]:
    """The parts of the registers a proactive run reads: those its rule sets read."""
    wanted = {part for r in proactive_rule_sets() for part in r.reads}
    return tuple(p for p in ("persons", "family", "income", "vehicles") if p in wanted)


def rule_set_for_case_type(case_type: str) -> RuleSet | None:
    return next((r for r in rule_sets().values() if r.case_type == case_type), None)
