"""Everything wrong with a set-up file, each at its place in the file, before anything is
written: the version, then the JSON Schema, then what the schema cannot see (names that must
exist in the file or the database, register attributes, workflows, forms, and grants that
cover what forms, case pages and the rules' jobs read)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from civic.cases.selectors import workflow_problems
from civic.decisions.selectors import automatable_case_types, rules_grants_needed
from civic.exchange.selectors import register_catalogue
from civic.forms.selectors import form_grants_needed, form_schema_problems
from civic.identity.selectors import api_clients_named
from civic.setup.document import Document, Problem, path_text
from civic.setup.schema import VERSION, setup_schema
from civic.setup.state import State, case_type_agency, grant_key, grantee_key, team_key

SLUG_WORDS = "lower-case letters and digits, joined by - or _"


def _json_type(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "text", bool: "true or false"}
    if value is None:
        return "empty"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _schema_problem(error: ValidationError) -> Problem:
    path = path_text(error.absolute_path)
    kind, value = error.validator, error.validator_value
    if kind == "oneOf" and error.context:
        return _schema_problem(best_match(error.context))
    if kind == "required":
        missing = next((name for name in value if name not in error.instance), value[0])
        return Problem(path, f"needs {missing!r}")
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        pattern = error.schema.get("patternProperties")
        extra = [k for k in error.instance if k not in allowed]
        if pattern:
            import re

            extra = [k for k in extra if not any(re.match(p, k) for p in pattern)]
        where = f"{path}.{extra[0]}" if extra and path != "(top)" else (extra[0] if extra else path)
        known = ", ".join(sorted(allowed))
        return Problem(where, f"unknown key (known here: {known})")
    if kind == "enum":
        return Problem(path, f"{error.instance!r} is not one of: {', '.join(map(str, value))}")
    if kind == "const":
        return Problem(path, f"must be {json.dumps(value)}")
    if kind == "type":
        wanted = " or ".join(
            {
                "object": "a mapping",
                "array": "a list",
                "string": "text",
                "boolean": "true or false",
                "integer": "a whole number",
                "null": "empty",
            }.get(t, t)
            for t in ([value] if isinstance(value, str) else value)
        )
        return Problem(path, f"must be {wanted}, not {_json_type(error.instance)}")
    if kind == "pattern":
        return Problem(path, f"{error.instance!r} must be {SLUG_WORDS}")
    if kind == "minItems":
        return Problem(path, f"needs at least {value}")
    if kind == "uniqueItems":
        counts = Counter(map(repr, error.instance))
        twice = [k for k, n in counts.items() if n > 1]
        return Problem(path, f"lists {', '.join(twice)} more than once")
    if kind in ("minLength", "maxLength"):
        if kind == "minLength":
            return Problem(path, "may not be empty")
        return Problem(path, f"is longer than {value} characters")
    if kind == "minimum":
        return Problem(path, f"must be at least {value}")
    return Problem(path, error.message)


def _sort_key(error: ValidationError) -> list:
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]


def schema_problems(data: Any) -> list[Problem]:
    if not isinstance(data, dict):
        return [Problem("(top)", "a set-up file is a mapping that starts with version: 1")]
    if "version" not in data:
        return [Problem("version", f"missing: a set-up file starts with version: {VERSION}")]
    if data["version"] != VERSION:
        return [
            Problem(
                "version",
                f"this Civic reads set-up version {VERSION}; the file says {data['version']!r}",
            )
        ]
    validator = Draft202012Validator(setup_schema())
    return [_schema_problem(e) for e in sorted(validator.iter_errors(data), key=_sort_key)]


class _Checker:
    """Reference checks over a file whose shape is right; ``current`` is the database's."""

    def __init__(self, data: dict[str, Any], current: State):

        self.data, self.current = data, current
        self.problems: list[Problem] = []
        self.registers = register_catalogue()
        catalogue = data.get("catalogue", {})
        self.known = {
            "agency": self._codes(data.get("agencies", []), "agencies"),
            "purpose": self._codes(data.get("purposes", []), "purposes"),
            "life event": self._codes(catalogue.get("life_events", []), "life_events"),
            "topic": self._codes(catalogue.get("topics", []), "topics"),
            "service": self._codes(catalogue.get("services", []), "services"),
            "case type": self._codes(data.get("case_types", []), "case_types"),
        }
        self.teams = set(current["teams"]) | {
            team_key(t["agency"], t["name"]) for t in data.get("teams", [])
        }
        # Grants in force after applying: the database's, with the file's for the same key.
        self.granted = {k: set(v["attributes"]) for k, v in current["grants"].items()}
        for g in data.get("grants", []):
            self.granted[grant_key(g["purpose"], g["register"], g["to"])] = set(g["attributes"])

    def _codes(self, items: list[dict], kind: str) -> set[str]:
        return {i["code"] for i in items} | set(self.current[kind])

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def name(self, path: str, kind: str, code: str | None) -> bool:
        if code is not None and code not in self.known[kind]:
            self.add(path, f"there is no {kind} {code!r} in this file or the database")
            return False
        return True

    def duplicates(self, path: str, items: list[dict], key) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            k = key(item)
            if k in seen:
                self.add(f"{path}[{i}]", f"{k} is given twice (also {path}[{seen[k]}])")
            else:
                seen[k] = i

    def attributes(
        self, path: str, register: str, attributes: list[str], register_path: str
    ) -> None:
        if register not in self.registers:
            self.add(
                register_path,
                f"there is no register {register!r} (registers: {', '.join(sorted(self.registers))})",
            )
            return
        known = set(self.registers[register]["attributes"])
        for i, attribute in enumerate(attributes):
            if attribute not in known:
                self.add(f"{path}[{i}]", f"register {register} has no attribute {attribute!r}")

    def covered(self, path: str, purpose: str, register: str, to: dict, needed, why: str) -> None:
        missing = sorted(set(needed) - self.granted.get(grant_key(purpose, register, to), set()))
        if missing:
            self.add(
                path,
                f"{why} needs a grant to {grantee_key(to)} under purpose {purpose} for "
                f"{register}: {', '.join(missing)}",
            )


def reference_problems(data: dict[str, Any], current: State) -> list[Problem]:
    check = _Checker(data, current)
    catalogue = data.get("catalogue", {})
    for section, items in [
        ("agencies", data.get("agencies", [])),
        ("purposes", data.get("purposes", [])),
        ("case_types", data.get("case_types", [])),
        ("forms", data.get("forms", [])),
        *[(f"catalogue.{k}", v) for k, v in catalogue.items()],
    ]:
        check.duplicates(section, items, lambda item: f"code {item['code']!r}")
    check.duplicates(
        "grants",
        data.get("grants", []),
        lambda g: f"the grant {grant_key(g['purpose'], g['register'], g['to'])}",
    )
    check.duplicates(
        "teams", data.get("teams", []), lambda t: f"team {team_key(t['agency'], t['name'])}"
    )
    check.duplicates(
        "forms", data.get("forms", []), lambda f: f"a form of service {f['service']!r}"
    )

    for i, p in enumerate(data.get("purposes", [])):
        check.name(f"purposes[{i}].controller", "agency", p["controller"])
    for i, g in enumerate(data.get("grants", [])):
        check.name(f"grants[{i}].purpose", "purpose", g["purpose"])
        check.attributes(
            f"grants[{i}].attributes", g["register"], g["attributes"], f"grants[{i}].register"
        )
        if "agency" in g["to"]:
            check.name(f"grants[{i}].to.agency", "agency", g["to"]["agency"])
        if "api_client" in g["to"]:
            _api_client(check, f"grants[{i}].to.api_client", g["to"]["api_client"])
    for i, t in enumerate(data.get("teams", [])):
        check.name(f"teams[{i}].agency", "agency", t["agency"])
    _catalogue(check, catalogue)
    _case_types(check, data)
    _forms(check, data.get("forms", []))
    _rules(check, data)
    return check.problems


def _api_client(check: _Checker, path: str, name: str) -> None:

    found = len(api_clients_named(name=name))
    if found == 0:
        check.add(
            path, f"no API client in use is called {name!r} (make it with `civic apiclient create`)"
        )
    elif found > 1:
        check.add(
            path, f"{found} API clients in use are called {name!r}; give them different names"
        )


def _catalogue(check: _Checker, catalogue: dict[str, Any]) -> None:
    for i, s in enumerate(catalogue.get("services", [])):
        check.name(f"catalogue.services[{i}].agency", "agency", s["agency"])
        for j, code in enumerate(s.get("life_events", [])):
            check.name(f"catalogue.services[{i}].life_events[{j}]", "life event", code)
        for j, code in enumerate(s.get("topics", [])):
            check.name(f"catalogue.services[{i}].topics[{j}]", "topic", code)
    for i, n in enumerate(catalogue.get("navigators", [])):
        here = f"catalogue.navigators[{i}]"
        if n["start"] not in n["nodes"]:
            check.add(f"{here}.start", f"there is no node {n['start']!r}")
        for key, node in n["nodes"].items():
            for j, option in enumerate(node.get("options", [])):
                if option.get("next") not in n["nodes"]:
                    check.add(
                        f"{here}.nodes.{key}.options[{j}].next",
                        f"there is no node {option.get('next')!r}",
                    )
            for j, code in enumerate(node.get("services", [])):
                check.name(f"{here}.nodes.{key}.services[{j}]", "service", code)


def _case_types(check: _Checker, data: dict[str, Any]) -> None:

    for name, workflow in data.get("workflows", {}).items():
        for message in workflow_problems(workflow=workflow):
            check.add(f"workflows.{name}", message)
    for t in data.get("teams", []):
        if team_key(t["agency"], t["name"]) not in check.current["teams"] and not any(
            t["name"] in c.get("teams", [])
            and case_type_agency(c, data, check.current) == t["agency"]
            for c in data.get("case_types", [])
        ):
            check.add(
                f"teams[{data['teams'].index(t)}]",
                f"no case type of {t['agency']} names team {t['name']!r}",
            )
    for i, c in enumerate(data.get("case_types", [])):
        here = f"case_types[{i}]"
        check.name(f"{here}.service", "service", c.get("service"))
        check.name(f"{here}.purpose", "purpose", c["purpose"])
        agency = case_type_agency(c, data, check.current)
        if agency is None:
            check.add(f"{here}.agency", "name the agency (a case type without a service)")
            continue
        check.name(f"{here}.agency", "agency", agency)
        if c["workflow"] not in data.get("workflows", {}):
            check.add(f"{here}.workflow", f"there is no workflow {c['workflow']!r} in workflows")
        for j, team in enumerate(c.get("teams", [])):
            if team_key(agency, team) not in check.teams:
                check.add(f"{here}.teams[{j}]", f"{agency} has no team {team!r} in teams")
        check.duplicates(
            f"{here}.decision_templates",
            c.get("decision_templates", []),
            lambda d: f"code {d['code']!r}",
        )
        caseworkers = {"staff_role": "caseworker", "agency": agency}
        for register, attributes in c.get("register_fields", {}).items():
            path = f"{here}.register_fields.{register}"
            check.attributes(path, register, attributes, path)
            check.covered(path, c["purpose"], register, caseworkers, attributes, "The case page")
        for need in rules_grants_needed(
            proactive=None, case_types={c["code"]: (c["purpose"], agency)}
        ):
            to = {"job": need["job"], "agency": need["agency"]}
            why = need["for"].capitalize()
            check.covered(here, need["purpose"], need["register"], to, need["attributes"], why)


def _forms(check: _Checker, forms: list[dict]) -> None:

    for i, f in enumerate(forms):
        here = f"forms[{i}]"
        check.name(f"{here}.service", "service", f["service"])
        check.name(f"{here}.purpose", "purpose", f["purpose"])
        other = next(
            (
                code
                for code, form in check.current["forms"].items()
                if form["service"] == f["service"] and code != f["code"]
            ),
            None,
        )
        if other and other not in {g["code"] for g in forms}:
            check.add(f"{here}.service", f"service {f['service']!r} already has form {other!r}")
        schema = {"steps": f["steps"]}
        problems = form_schema_problems(schema=schema)
        for message in problems:
            check.add(f"{here}.steps", message)
        if problems:
            continue
        for register, attributes in form_grants_needed(schema=schema).items():
            check.covered(
                f"{here}.steps", f["purpose"], register, {"residents": True}, attributes, "Prefill"
            )


def _rules(check: _Checker, data: dict[str, Any]) -> None:

    rules = data.get("rules", {})
    proactive = rules.get("proactive")
    if proactive:
        ok = check.name("rules.proactive.agency", "agency", proactive["agency"])
        ok = check.name("rules.proactive.purpose", "purpose", proactive["purpose"]) and ok
        if ok:
            for need in rules_grants_needed(proactive=proactive, case_types={}):
                to = {"job": need["job"], "agency": need["agency"]}
                check.covered(
                    "rules.proactive",
                    need["purpose"],
                    need["register"],
                    to,
                    need["attributes"],
                    "Proactive checks",
                )
    automatable = automatable_case_types()
    for case_type in rules.get("modes", {}):
        here = f"rules.modes.{case_type}"
        if check.name(here, "case type", case_type) and case_type not in automatable:
            check.add(
                here,
                f"no rule set decides case type {case_type!r} (rule sets decide: {', '.join(automatable)})",
            )


def problems_find(document: Document, current: State) -> list[Problem]:
    """Every problem of the file, each path naming the included file it lies in."""
    problems = schema_problems(document.data)
    if not problems:
        problems = reference_problems(document.data, current)
    return [Problem(document.where(p.path), p.message) for p in problems]
