"""What the calculator's results page shows: each rule set's outcome with the automated
decisions' explanation (the data being what the resident entered), and the total-support
chart drawn server-side as SVG coordinates, with its table."""

from __future__ import annotations

import numpy as np
from django.utils.translation import gettext as _

from civic.decisions.calculator import Entered, Outcome
from civic.decisions.rule_sets import rule_sets
from civic.decisions.wording import euros, explanation_view

#: The chart's drawing area inside its viewBox (640 x 280).
LEFT, RIGHT, TOP, BOTTOM = 80, 620, 20, 230
#: Rows of the table alternative: every TABLE_STEP-th point of the curve.
TABLE_STEP = 5


def entered_rows(entered: Entered) -> list[dict]:
    """What the resident entered, as the explanation's "data used" rows."""
    source = _("what you entered")
    last = entered.year - 1
    rows = [
        {"who": _("you"), "text": _("aged %(age)s on 1 January") % {"age": entered.age}},
        {
            "who": _("you"),
            "text": _("income in %(year)s: %(amount)s")
            % {"year": last, "amount": euros(entered.income)},
        },
    ]
    if entered.partner_age is not None:
        rows.append(
            {
                "who": _("your partner"),
                "text": _("aged %(age)s on 1 January") % {"age": entered.partner_age},
            }
        )
        rows.append(
            {
                "who": _("your partner"),
                "text": _("income in %(year)s: %(amount)s")
                % {"year": last, "amount": euros(entered.partner_income)},
            }
        )
    for number, age in enumerate(entered.children, start=1):
        rows.append(
            {
                "who": _("child %(number)s") % {"number": number},
                "text": _("aged %(age)s on 1 January") % {"age": age},
            }
        )
    rows.append(
        {
            "who": _("your household"),
            "text": _("rent: %(amount)s a month") % {"amount": euros(entered.rent_per_month)},
        }
    )
    if entered.property_value:
        rows.append(
            {
                "who": _("your household"),
                "text": _("value of your home: %(amount)s")
                % {"amount": euros(entered.property_value)},
            }
        )
    rows.append({"who": _("you"), "text": _("dogs: %(count)s") % {"count": entered.dogs}})
    if entered.assistance_dog:
        rows.append(
            {"who": _("you"), "text": _("an assistance dog: %(answer)s") % {"answer": _("yes")}}
        )
    rows.append(
        {"who": _("you"), "text": _("cars registered: %(count)s") % {"count": entered.vehicles}}
    )
    return [{**row, "source": source} for row in rows]


def _headline(outcome: Outcome) -> str:
    amount = euros(outcome.amount)
    if outcome.rule_set.kind == "obligation":
        if outcome.eligible and outcome.amount:
            return _("You would pay about %(amount)s a year.") % {"amount": amount}
        return _("Nothing to pay.")
    if outcome.eligible and outcome.amount:
        return _("You may be entitled to about %(amount)s a year.") % {"amount": amount}
    return _("Probably not entitled.")


def outcome_views(found: list[Outcome], entered: Entered) -> dict:
    inputs = entered_rows(entered)
    who = {"you": _("you"), "partner": _("your partner"), "household": ""}
    views = []
    for outcome in found:
        explanations = []
        for about, evaluation in outcome.explanations:
            view = explanation_view(
                evaluation.explanation,
                outcome.rule_set,
                "granted" if evaluation.eligible else "refused",
            )
            view["about"] = who.get(about, "")
            explanations.append(view)
        views.append(
            {
                "key": outcome.rule_set.key,
                "name": outcome.rule_set.label(),
                "kind": outcome.rule_set.kind,
                "eligible": outcome.eligible,
                "amount": outcome.amount,
                "amount_text": euros(outcome.amount),
                "headline": _headline(outcome),
                "explanations": explanations,
                "service": outcome.rule_set.service,
            }
        )
    entitlements = [v for v in views if v["kind"] == "entitlement"]
    obligations = [v for v in views if v["kind"] == "obligation"]
    total = sum(v["amount"] for v in entitlements if v["eligible"])
    return {
        "entitlements": entitlements,
        "obligations": obligations,
        "total": total,
        "total_text": euros(total),
        "inputs": inputs,
    }


def _nice_top(value: float) -> int:
    """A round top for the vertical axis."""
    for step in (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000):
        if value <= step * 4:
            return max(step * 4, 4_000) if value > 0 else 4_000
    return int(value) + 1


def curve_view(curve: dict, entered: Entered) -> dict:
    incomes, totals = curve["incomes"], curve["total"]
    top_income = float(incomes[-1]) or 1.0
    top_support = _nice_top(float(totals.max()))

    def x(income: float) -> float:
        return round(LEFT + min(max(income, 0), top_income) / top_income * (RIGHT - LEFT), 1)

    def y(amount: float) -> float:
        return round(BOTTOM - amount / top_support * (BOTTOM - TOP), 1)

    points = " ".join(f"{x(i)},{y(t)}" for i, t in zip(incomes, totals, strict=True))
    x_ticks = [{"x": x(top_income * k / 4), "label": euros(top_income * k / 4)} for k in range(5)]
    y_ticks = [{"y": y(top_support * k / 4), "label": euros(top_support * k / 4)} for k in range(5)]
    names = {k: r.label() for k, r in rule_sets().items()}
    shown = [k for k, values in curve["by_rule_set"].items() if values.max() > 0]
    rows = [
        {
            "income": euros(incomes[i]),
            "amounts": [euros(curve["by_rule_set"][k][i]) for k in shown],
            "total": euros(totals[i]),
        }
        for i in range(0, len(incomes), TABLE_STEP)
    ]
    current = curve["current"]
    # The support at the household's own income (on the curve, between its points).
    at_current = float(np.interp(min(current, top_income), incomes, totals))
    return {
        "points": points,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "left": LEFT,
        "right": RIGHT,
        "top": TOP,
        "bottom": BOTTOM,
        "you": {"x": x(current), "y": y(at_current), "income": euros(current)},
        "columns": [names[k] for k in shown],
        "rows": rows,
        "top_income": euros(top_income),
    }
