"""A set-up as comparable state: per kind, natural key -> the values the file controls.

The same shape is made from a file (``state_wanted``) and from the database
(``state_current``, through the apps' selectors), so that the plan is a comparison of the
two, and "applying twice changes nothing" is that comparison coming out equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from civic.cases.selectors import case_types_list
from civic.catalog.selectors import life_events_list, navigators_all, services_list, topics_list
from civic.decisions.selectors import proactive_setup_get, rule_set_modes
from civic.exchange.selectors import grants_open_list, purposes_list
from civic.forms.selectors import forms_published
from civic.identity.selectors import agency_list

#: In the order they are applied and reported.
KINDS = (
    "agencies",
    "purposes",
    "grants",
    "life_events",
    "topics",
    "services",
    "navigators",
    "teams",
    "case_types",
    "forms",
    "proactive",
    "modes",
)
SERVICE_TEXTS = ("summary", "eligibility", "cost", "duration", "needs", "how_to_apply")

State = dict[str, dict[str, dict[str, Any]]]


def grantee_key(to: dict[str, Any]) -> str:
    if "staff_role" in to:
        return f"staff role {to['staff_role']} of {to['agency']}"
    if "job" in to:
        return f"job {to['job']} of {to['agency']}"
    if to.get("residents"):
        return "residents"
    return f"API client {to['api_client']}"


def grant_key(purpose: str, register: str, to: dict[str, Any]) -> str:
    return f"{purpose} / {register} / {grantee_key(to)}"


def team_key(agency: str, name: str) -> str:
    return f"{agency} / {name}"


def bilingual(en: str, nl: str) -> dict[str, str]:
    return {"en": en, "nl": nl} if nl else {"en": en}


def _service_agency(code: str | None, data: dict, current: State) -> str | None:
    for item in data.get("catalogue", {}).get("services", []):
        if item["code"] == code:
            return item["agency"]
    return current["services"].get(code, {}).get("agency")


def case_type_agency(item: dict, data: dict, current: State) -> str | None:
    """The agency a case type belongs to: the one it names, or its service's."""
    return item.get("agency") or _service_agency(item.get("service"), data, current)


def state_wanted(data: dict[str, Any], current: State) -> State:
    """What the (checked) file asks for, with every default filled in; kinds it leaves out
    are absent, so that a partial file touches only what it names."""
    out: State = {kind: {} for kind in KINDS}
    for a in data.get("agencies", []):
        out["agencies"][a["code"]] = {"name": a["name"], "kind": a["kind"]}
    for p in data.get("purposes", []):
        out["purposes"][p["code"]] = {
            "controller": p["controller"],
            "legal_ground": p["legal_ground"],
            "legal_basis": p["legal_basis"],
            "confidential": p.get("confidential", False),
            "embargo_days": p.get("embargo_days", 0),
            "name": p["name"],
            "description": p["description"],
        }
    for g in data.get("grants", []):
        out["grants"][grant_key(g["purpose"], g["register"], g["to"])] = {
            "purpose": g["purpose"],
            "register": g["register"],
            "to": g["to"],
            "attributes": sorted(set(g["attributes"])),
        }
    catalogue = data.get("catalogue", {})
    for order, e in enumerate(catalogue.get("life_events", [])):
        out["life_events"][e["code"]] = {
            "name": e["name"],
            "description": e.get("description", {}),
            "order": order,
        }
    for t in catalogue.get("topics", []):
        out["topics"][t["code"]] = {"name": t["name"]}
    for s in catalogue.get("services", []):
        out["services"][s["code"]] = {
            "agency": s["agency"],
            "name": s["name"],
            **{text: s.get(text, {}) for text in SERVICE_TEXTS},
            "legal_basis": s.get("legal_basis", ""),
            "keywords": s.get("keywords", {}),
            "life_events": sorted(s.get("life_events", [])),
            "topics": sorted(s.get("topics", [])),
            "granted_without_application": s.get("granted_without_application", False),
            "urgent": s.get("urgent", False),
        }
    for n in catalogue.get("navigators", []):
        out["navigators"][n["code"]] = {
            "title": n["title"],
            "start": n["start"],
            "nodes": n["nodes"],
        }
    for team in data.get("teams", []):
        out["teams"][team_key(team["agency"], team["name"])] = {}
    workflows = data.get("workflows", {})
    for c in data.get("case_types", []):
        out["case_types"][c["code"]] = {
            "service": c.get("service"),
            "agency": case_type_agency(c, data, current),
            "purpose": c["purpose"],
            "name": c["name"],
            "workflow": workflows[c["workflow"]],
            "decision_period_days": c["decision_period_days"],
            "retention_years": c.get("retention_years"),
            "decision_templates": c.get("decision_templates", []),
            "register_fields": c.get("register_fields", {}),
            "teams": c.get("teams", []),
            "objections": c.get("objections", False),
            "documents": c.get("documents", []),
        }
    for f in data.get("forms", []):
        out["forms"][f["code"]] = {
            "service": f["service"],
            "purpose": f["purpose"],
            "title": f["title"],
            "steps": f["steps"],
        }
    rules = data.get("rules", {})
    if "proactive" in rules:
        p = rules["proactive"]
        out["proactive"]["proactive"] = {
            "agency": p["agency"],
            "purpose": p["purpose"],
            "life_events": sorted(p.get("life_events", [])),
        }
    for case_type, mode in rules.get("modes", {}).items():
        out["modes"][case_type] = {"mode": mode}
    return out


def state_current() -> State:
    """The set-up the database holds now, read through the apps' selectors."""

    out: State = {kind: {} for kind in KINDS}
    for a in agency_list():
        out["agencies"][a.code] = {"name": bilingual(a.name, a.name_nl), "kind": a.kind}
    for p in purposes_list():
        out["purposes"][p.code] = {
            "controller": p.controller.code,
            "legal_ground": p.legal_ground,
            "legal_basis": p.legal_basis,
            "confidential": p.confidential,
            "embargo_days": p.embargo_days,
            "name": bilingual(p.name, p.name_nl),
            "description": bilingual(p.description, p.description_nl),
        }
    for g in grants_open_list():
        if g.api_client_id:
            to: dict[str, Any] = {"api_client": g.api_client.name}
        elif g.residents:
            to = {"residents": True}
        elif g.staff_role:
            to = {"staff_role": g.staff_role, "agency": g.agency.code}
        else:
            to = {"job": g.job, "agency": g.agency.code}
        key = grant_key(g.purpose.code, g.register, to)
        # Two open-ended grants for one key (made by hand) read as their union, as the
        # exchange reads them; applying the file leaves one.
        before = out["grants"].get(key, {}).get("attributes", [])
        out["grants"][key] = {
            "purpose": g.purpose.code,
            "register": g.register,
            "to": to,
            "attributes": sorted({*before, *g.attributes}),
        }
    for e in life_events_list():
        out["life_events"][e.code] = {
            "name": e.name,
            "description": e.description,
            "order": e.order,
        }
    for t in topics_list():
        out["topics"][t.code] = {"name": t.name}
    for s in services_list():
        out["services"][s.code] = {
            "agency": s.agency.code,
            "name": s.name,
            **{text: getattr(s, text) for text in SERVICE_TEXTS},
            "legal_basis": s.legal_basis,
            "keywords": s.keywords,
            "life_events": sorted(e.code for e in s.life_events.all()),
            "topics": sorted(t.code for t in s.topics.all()),
            "granted_without_application": s.granted_without_application,
            "urgent": s.urgent,
        }
    for n in navigators_all():
        out["navigators"][n.code] = {
            "title": n.title,
            "start": n.flow.get("start"),
            "nodes": n.flow.get("nodes", {}),
        }
    for c in case_types_list():
        for team in c.teams:
            out["teams"][team_key(c.agency.code, team)] = {}
        out["case_types"][c.code] = {
            "service": c.service.code if c.service else None,
            "agency": c.agency.code,
            "purpose": c.purpose,
            "name": c.name,
            "workflow": c.workflow,
            "decision_period_days": c.decision_period_days,
            "retention_years": c.retention_years,
            "decision_templates": c.decision_templates,
            "register_fields": c.register_fields,
            "teams": c.teams,
            "objections": c.is_objection,
            "documents": c.document_types,
        }
    for form, schema in forms_published():
        out["forms"][form.code] = {
            "service": form.service.code,
            "purpose": form.purpose,
            "title": form.title,
            "steps": (schema or {}).get("steps"),
        }
    proactive = proactive_setup_get()
    if proactive is not None:
        out["proactive"]["proactive"] = proactive
    for case_type, mode in rule_set_modes().items():
        out["modes"][case_type] = {"mode": mode["mode"], "chosen_by": mode["changed_by"]} | (
            {"chosen_at": mode["changed_at"].isoformat()} if mode["changed_at"] else {}
        )
    return out


@dataclass
class Change:
    """What applying a file does to one kind: natural keys by what happens to them."""

    kind: str
    created: list[str] = field(default_factory=list)
    #: key -> the fields that change
    changed: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    #: key -> why the file's value is not applied (a mode a service owner chose)
    kept: dict[str, str] = field(default_factory=dict)

    @property
    def touches(self) -> list[str]:
        return [*self.created, *self.changed]


def plan_make(wanted: State, current: State) -> list[Change]:
    """Per kind, what applying ``wanted`` over ``current`` creates, changes or leaves."""
    changes = []
    for kind in KINDS:
        change = Change(kind)
        for key, value in wanted[kind].items():
            now = current[kind].get(key)
            if now is None:
                change.created.append(key)
                continue
            differs = sorted(name for name in value if value[name] != now.get(name))
            if kind == "modes" and now.get("chosen_at"):
                if differs:
                    change.kept[key] = (
                        f"{now['mode']}, chosen by {now['chosen_by'] or 'a service owner'} "
                        f"on the rules page on {now['chosen_at'][:10]}"
                    )
                else:
                    change.unchanged.append(key)
            elif differs:
                change.changed[key] = differs
            else:
                change.unchanged.append(key)
        if wanted[kind]:
            changes.append(change)
    return changes
