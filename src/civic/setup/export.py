"""The set-up a database holds, written back as a set-up file (`civic setup export`): one
file, every part inline, that `civic setup apply` reads as "no change"."""

from __future__ import annotations

from typing import Any

import yaml

from civic.setup.schema import VERSION
from civic.setup.state import State, state_current


def _workflows(state: State) -> tuple[dict[str, dict], dict[str, str]]:
    """Each distinct workflow once, named ``standard`` when there is one, otherwise after
    the first case type that uses it; and case type -> its workflow's name."""
    distinct: list[tuple[str, dict]] = []
    for code, case_type in sorted(state["case_types"].items()):
        if not any(w == case_type["workflow"] for _name, w in distinct):
            distinct.append((code, case_type["workflow"]))
    names = {code: ("standard" if len(distinct) == 1 else code) for code, _w in distinct}
    by_type = {
        code: names[next(c for c, w in distinct if w == case_type["workflow"])]
        for code, case_type in state["case_types"].items()
    }
    return {names[code]: workflow for code, workflow in distinct}, by_type


def setup_document(state: State) -> dict[str, Any]:
    """``state`` in the file's shape, defaults left out."""
    workflows, workflow_of = _workflows(state)
    document: dict[str, Any] = {
        "version": VERSION,
        "agencies": [{"code": k, **v} for k, v in sorted(state["agencies"].items())],
        "purposes": [{"code": k, **v} for k, v in sorted(state["purposes"].items())],
        "grants": [
            {k: g[k] for k in ("purpose", "register", "attributes", "to")}
            for _key, g in sorted(state["grants"].items())
        ],
        "teams": [
            dict(zip(("agency", "name"), key.split(" / ", 1), strict=True))
            for key in sorted(state["teams"])
        ],
        "workflows": workflows,
        "case_types": [
            {
                "code": code,
                **{
                    k: v for k, v in c.items() if k != "workflow" and v not in (None, [], {}, False)
                },
                "workflow": workflow_of[code],
            }
            for code, c in sorted(state["case_types"].items())
        ],
        "catalogue": {
            "life_events": [
                {"code": k, "name": v["name"], "description": v["description"]}
                for k, v in sorted(state["life_events"].items(), key=lambda i: i[1]["order"])
            ],
            "topics": [{"code": k, **v} for k, v in sorted(state["topics"].items())],
            "services": [
                {"code": k, **{n: x for n, x in v.items() if x not in ("", [], {}, False)}}
                for k, v in sorted(state["services"].items())
            ],
            "navigators": [{"code": k, **v} for k, v in sorted(state["navigators"].items())],
        },
        "forms": [
            {"code": k, **v} for k, v in sorted(state["forms"].items()) if v["steps"] is not None
        ],
    }
    rules: dict[str, Any] = {}
    if "proactive" in state["proactive"]:
        proactive = state["proactive"]["proactive"]
        rules["proactive"] = {k: v for k, v in proactive.items() if v != []}
    if state["modes"]:
        rules["modes"] = {k: v["mode"] for k, v in sorted(state["modes"].items())}
    if rules:
        document["rules"] = rules
    return document


def setup_export() -> str:
    """The database's set-up as YAML."""
    return yaml.dump(
        setup_document(state_current()),
        Dumper=yaml.SafeDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
