"""An explanation in plain words, in the reader's language: what was decided, from which
data (and which register holds it), under which rules and figures (with their legal
references), and what would have changed the outcome."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from civic.core.formats import date_text, money_text, number_text
from civic.core.i18n import tr
from civic.decisions.engine import package_labels
from civic.decisions.rule_sets import RuleSet


def euros(value) -> str:
    """Whole euros in the reader's language ("€10,350", "€ 10.350")."""
    return money_text(value, cents=False)


def _who(who: str) -> str:
    return {
        "you": _("you"),
        "adult": _("another adult in your household"),
        "child": _("a child in your household"),
    }.get(who, who)


def _source(register: str) -> str:
    return {
        "persons": _("persons register"),
        "income": _("income register"),
        "vehicles": _("vehicle register"),
        "application": _("your application"),
    }.get(register, register)


def _input_text(row: dict) -> str:
    variable, value = row["variable"], row["value"]
    if variable == "birth_date":
        return _("born on %(date)s") % {"date": date_text(value)}
    if variable == "income":
        return _("income in %(year)s: %(amount)s") % {
            "year": row.get("period", ""),
            "amount": euros(value),
        }
    if variable == "vehicles_owned":
        return _("vehicles registered: %(count)s") % {"count": value}
    if variable == "dogs_kept":
        return _("dogs: %(count)s") % {"count": value}
    if variable == "assistance_dog":
        return _("an assistance dog: %(answer)s") % {"answer": _("yes") if value else _("no")}
    return f"{variable}: {value}"


def _parameter_value(parameter: dict) -> str:
    value, unit = parameter["value"], parameter.get("unit") or ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if unit.startswith("currency") or unit in {"EUR", "euro", "euros"}:
        return euros(value)
    if unit in {"/1", "percent", "rate"} and isinstance(value, (int, float)) and value <= 1:
        return f"{round(value * 100, 2):g} %"
    return str(value)


def _rule_value(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_rule_value(v) for v in value)
    if isinstance(value, float):
        return number_text(round(value, 2)) if value % 1 else number_text(int(value))
    return str(value)


def euros_exact(value) -> str:
    """Euros, with cents when there are any (a threshold is exact to the cent)."""
    return money_text(round(float(value), 2))


def counterfactual_text(explanation: dict) -> str:
    change = explanation.get("counterfactual")
    if not change:
        return ""
    words = {"limit": euros_exact(change["threshold"]), "current": euros_exact(change["current"])}
    own = change.get("variable") == "income"
    if change["other_outcome_when"] == "above":
        if own:
            return (
                _(
                    "If your income had been %(limit)s a year or more, the outcome would have been different (it was %(current)s)."
                )
                % words
            )
        return (
            _(
                "If your household's income had been %(limit)s a year or more, the outcome would have been different (it was %(current)s)."
            )
            % words
        )
    if own:
        return (
            _(
                "If your income had been below %(limit)s a year, the outcome would have been different (it was %(current)s)."
            )
            % words
        )
    return (
        _(
            "If your household's income had been below %(limit)s a year, the outcome would have been different (it was %(current)s)."
        )
        % words
    )


def explanation_view(explanation: dict, rule_set: RuleSet | None, outcome: str) -> dict:
    """What the resident's and the caseworker's case pages show."""
    name = rule_set.label() if rule_set else explanation.get("rule_set", "")
    labels = package_labels(translation.get_language() or "en")
    english = {r["variable"]: r["label"] for r in explanation.get("rules", [])}
    amount = explanation.get("amount") or 0
    if outcome == "granted":
        headline = (
            _("%(name)s: granted, about %(amount)s a year.")
            % {"name": name, "amount": euros(amount)}
            if amount and rule_set and not rule_set.amount_is_fee and rule_set.kind == "entitlement"
            else _("%(name)s: granted.") % {"name": name}
        )
        if rule_set and rule_set.kind == "obligation" and amount:
            headline = _("%(name)s: assessed at %(amount)s a year.") % {
                "name": name,
                "amount": euros(amount),
            }
    else:
        headline = _("%(name)s: refused.") % {"name": name}
    return {
        "headline": headline,
        "inputs": [
            {"who": _who(r["who"]), "text": _input_text(r), "source": _source(r["register"])}
            for r in explanation.get("inputs", [])
        ],
        "rules": [
            {
                "label": labels["variables"].get(r["variable"], r["label"]),
                "references": r["references"],
                "value": _rule_value(r["value"]),
            }
            for r in explanation.get("rules", [])
            if r.get("references")
        ],
        "parameters": [
            {
                "description": labels["parameters"].get(p["name"], p["description"]),
                "value": _parameter_value(p),
                "references": p["references"],
                "links": p.get("links", []),
            }
            for p in explanation.get("parameters", [])
        ],
        "unmet": [
            labels["variables"].get(u, english.get(u, u)) for u in explanation.get("unmet", [])
        ],
        "counterfactual": counterfactual_text(explanation),
        "gaps": [tr(gap) for gap in explanation.get("gaps", [])],
        "year": explanation.get("year"),
    }


def decision_summary(explanation: dict, rule_set: RuleSet) -> str:
    """The decision's reasons as stored on the case (the page shows the full explanation)."""
    view = explanation_view(
        explanation, rule_set, "granted" if explanation.get("eligible") else "refused"
    )
    lines = [view["headline"]]
    # The rule set's own articles; the full list (ages, incomes, norms) is on the case page.
    references = sorted(
        {
            ref
            for rule in explanation.get("rules", [])
            if rule["variable"].startswith(rule_set.key)
            for ref in rule["references"]
        }
    )
    if references:
        lines.append(_("Rules applied: %(references)s.") % {"references": "; ".join(references)})
    if view["counterfactual"]:
        lines.append(view["counterfactual"])
    lines.append(
        _(
            "This decision was taken automatically. You can ask a person to review it on your case page."
        )
    )
    return "\n".join(lines)
