"""A case type's workflow as data, checked, and the questions asked of it.

``{"initial": "received",
   "states": {"received": {"label": {...}}, "waiting": {"label": {...}, "suspends_clock": true},
              "decided": {"label": {...}, "final": true}},
   "transitions": [{"name": "start-review", "label": {...}, "from": ["received"],
                    "to": "in-review", "roles": ["caseworker"]}, ...]}``

A transition with ``"decision": true`` needs a decision (outcome and reasons); one with
``"information": true`` asks the resident a question and is taken back when they answer.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from civic.core.i18n import tr


def workflow_problems(workflow: Any, *, roles: set[str]) -> list[str]:
    if not isinstance(workflow, dict):
        return [_("A workflow is an object with “initial”, “states” and “transitions”.")]
    states = workflow.get("states")
    if not isinstance(states, dict) or not states:
        return [_("A workflow needs states.")]
    problems = []
    if workflow.get("initial") not in states:
        problems.append(_("The initial state is not one of the states."))
    if not any(s.get("final") for s in states.values()):
        problems.append(_("A workflow needs at least one final state."))
    for transition in workflow.get("transitions") or []:
        name = transition.get("name", "?")
        unknown = [
            s for s in [*transition.get("from", []), transition.get("to")] if s not in states
        ]
        if unknown:
            problems.append(
                _("Transition “%(name)s” names unknown states: %(states)s.")
                % {"name": name, "states": ", ".join(map(str, unknown))}
            )
        if not set(transition.get("roles") or []) or not set(transition["roles"]) <= roles:
            problems.append(_("Transition “%(name)s” needs roles that exist.") % {"name": name})
    return problems


def state_label(workflow: dict, state: str, *, for_staff: bool = False) -> str:
    """The state's name for residents ("Waiting for your information"), or for staff its
    ``staff_label`` where the resident's wording would mislead ("Waiting for the applicant")."""
    spec = workflow["states"].get(state, {})
    return tr((for_staff and spec.get("staff_label")) or spec.get("label")) or state


def state_label_texts(workflow: dict, state: str) -> dict[str, str]:
    """The resident's name of the state in every language ({"en": .., "nl": ..}), for a
    message rendered later in the reader's language."""
    label = workflow["states"].get(state, {}).get("label")
    if isinstance(label, dict) and label:
        return dict(label)
    return {code: str(label or state) for code, _name in settings.LANGUAGES}


def is_final(workflow: dict, state: str) -> bool:
    return bool(workflow["states"].get(state, {}).get("final"))


def suspends_clock(workflow: dict, state: str) -> bool:
    return bool(workflow["states"].get(state, {}).get("suspends_clock"))


def transition_get(workflow: dict, name: str) -> dict | None:
    return next((t for t in workflow.get("transitions", []) if t["name"] == name), None)


def transitions_open(workflow: dict, state: str, roles: set[str]) -> list[dict]:
    """The transitions someone with ``roles`` may take from ``state``."""
    return [
        t
        for t in workflow.get("transitions", [])
        if state in t.get("from", []) and set(t.get("roles", [])) & roles
    ]


def information_return(workflow: dict) -> str | None:
    """The state a case returns to when the resident answers a request for information."""
    return workflow.get("after_information") or next(
        (t["from"][0] for t in workflow.get("transitions", []) if t.get("information")), None
    )
