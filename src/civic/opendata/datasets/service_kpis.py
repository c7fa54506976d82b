"""The service KPIs as open data (issue 20): per kind of case or service and month, the
decisions and the shares the rules took and taken late, the cases open at the month's end,
the answers a register pre-filled, drop-off per form step, satisfaction and proactive offers
taken up.

Each count of people's cases, forms, ratings or offers goes through disclosure control as a
table of its own (rows × months, with every margin). A share is given only where the count it
is a share of is published (not withheld, not 0), and where neither the part nor the rest is
a count disclosure control would withhold: 15.0 % of 20 would give away a count of 3.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from civic.cases.selectors import case_type_months
from civic.decisions.selectors import offer_take_up_months
from civic.feedback.selectors import satisfaction_months
from civic.forms.selectors import form_drop_off_months, prefill_coverage_months
from civic.opendata.datasets.base import Column, Context, Definition, Table, protected_rows
from civic.opendata.disclosure import TOTAL


def _protected_cells(
    counts: dict[tuple[str, str], int], *, rows: list[str], months: list[str], threshold: int
) -> dict[tuple[str, str], int | None]:
    """``counts`` per (row, month) protected as a two-way table: each published cell, margins
    under ``"total"``, -> its count, None where withheld. In the table's order."""
    published, _withheld = protected_rows(
        row_labels=rows, column_labels=[(m,) for m in months], counts=counts, threshold=threshold
    )
    return {(row, month): count for row, month, count in published}


def _with_margins(
    figures: dict[tuple[str, str], dict[str, int]],
) -> dict[tuple[str, str], Counter]:
    """``figures`` per (row, month), and summed over rows, over months and over both."""
    out: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for (row, month), values in figures.items():
        for key in ((row, month), (row, TOTAL), (TOTAL, month), (TOTAL, TOTAL)):
            out[key].update(values)
    return out


def _percent(part: int, whole: int, published: int | None, threshold: int) -> float | None:
    """``part`` of ``whole`` in per cent, to a tenth; None unless ``published`` (the count the
    share is of, as published) is there and not 0, and unless the part and the rest are each 0
    or at least ``threshold``: a share and its published whole give the part away."""
    if not published or not whole:
        return None
    if any(0 < count < threshold for count in (part, whole - part)):
        return None
    return round(100 * part / whole, 1)


def _withheld(rows: list[list], *columns: int) -> int:
    return sum(1 for row in rows for c in columns if row[c] is None)


def _share_table(
    context: Context,
    found: dict[tuple[str, str], dict],
    columns: list[Column],
    *,
    count: str,
    part: str,
    whole: str,
) -> Table:
    """Per (service, month) of ``found`` and their margins: the protected ``count``, and
    ``part`` of ``whole`` as a share (``_percent``)."""
    if not found:
        return Table(columns=columns, rows=[])
    counts = _protected_cells(
        {key: row[count] for key, row in found.items()},
        rows=sorted({service for service, _month in found}),
        months=sorted({month for _service, month in found}),
        threshold=context.threshold,
    )
    sums = _with_margins({key: {part: row[part], whole: row[whole]} for key, row in found.items()})
    rows = [
        [service, month, n, _percent(sums[key][part], sums[key][whole], n, context.threshold)]
        for key, n in counts.items()
        for service, month in [key]
    ]
    return Table(columns=columns, rows=rows, withheld=_withheld(rows, 2))


def service_kpis(context: Context) -> Table:
    """Per case type and month: decisions taken, the share the rules took and the share taken
    after the deadline, and the cases open at the month's end."""
    found = {(r["case_type"], r["month"]): r for r in case_type_months()}
    columns = [
        Column("case_type", "string", "Case type", "The service's case type; total: all"),
        Column("month", "string", "Month", "YYYY-MM; total: all months"),
        Column("decisions", "integer", "Decisions", "Decisions taken; empty where withheld"),
        Column(
            "automated_percent",
            "number",
            "Automated (%)",
            "Share of the decisions taken by the rules; empty where the decisions are withheld "
            "or where the share would give away a count under 10",
        ),
        Column(
            "late_percent",
            "number",
            "Decided late (%)",
            "Share of the decisions taken after the case's deadline; empty where the decisions "
            "are withheld or where the share would give away a count under 10",
        ),
        Column(
            "open_at_month_end",
            "integer",
            "Open at month end",
            "Cases not yet closed at the month's end (this month: today); empty where withheld "
            "and in the all-months rows (a backlog does not add up over months)",
        ),
    ]
    if not found:
        return Table(columns=columns, rows=[])
    case_types = sorted({code for code, _month in found})
    months = sorted({month for _code, month in found})
    protect = {"rows": case_types, "months": months, "threshold": context.threshold}
    decided = _protected_cells({k: r["decided"] for k, r in found.items()}, **protect)
    backlog = _protected_cells({k: r["open_at_end"] for k, r in found.items()}, **protect)
    sums = _with_margins(
        {
            key: {"decided": r["decided"], "automated": r["automated"], "late": r["decided_late"]}
            for key, r in found.items()
        }
    )
    rows = []
    for (code, month), count in decided.items():
        figures = sums[(code, month)]
        rows.append(
            [
                code,
                month,
                count,
                _percent(figures["automated"], figures["decided"], count, context.threshold),
                _percent(figures["late"], figures["decided"], count, context.threshold),
                backlog[(code, month)] if month != TOTAL else None,
            ]
        )
    withheld = _withheld(rows, 2) + sum(
        1 for (_c, month), count in backlog.items() if month != TOTAL and count is None
    )
    return Table(columns=columns, rows=rows, withheld=withheld)


def prefilled_answers(context: Context) -> Table:
    """Per service and month: forms sent, and the share of the questions a register could
    answer that it did answer (the resident only checked them)."""
    found = {(r["service"], r["month"]): r for r in prefill_coverage_months()}
    columns = [
        Column("service", "string", "Service", "The service's code; total: all"),
        Column("month", "string", "Month sent", "YYYY-MM; total: all months"),
        Column("forms_sent", "integer", "Forms sent", "Empty where withheld (under 10)"),
        Column(
            "prefilled_percent",
            "number",
            "Pre-filled (%)",
            "Of the questions a base register could answer, the share it did answer (pre-filled "
            "for the resident to check); empty where the forms sent are withheld or where the "
            "share would give away a count under 10",
        ),
    ]
    return _share_table(context, found, columns, count="sent", part="answered", whole="questions")


def form_drop_off(context: Context) -> Table:
    """Per form step and month the drafts were started: drafts that reached the step, and the
    share left there. The steps of all forms are the rows of one protected table; its totals
    over steps (a draft reaches several) are not published."""
    found = {
        (f"{r['service']}|{r['step']:03d}|{r['step_key']}", r["month"]): r
        for r in form_drop_off_months()
    }
    columns = [
        Column("service", "string", "Service", "The service whose form it is"),
        Column("step_number", "integer", "Step", "The step's place in the form, from 1"),
        Column("step", "string", "Step key", "The step's key in the published form"),
        Column("month", "string", "Month started", "YYYY-MM; total: all months"),
        Column(
            "drafts_reached",
            "integer",
            "Drafts reaching the step",
            "Forms started that month that got to this step (at step 1: every form started); "
            "empty where withheld (under 10)",
        ),
        Column(
            "left_percent",
            "number",
            "Left at the step (%)",
            "Share of those drafts left at this step: not sent and not touched for a day; "
            "empty where the drafts are withheld or where the share would give away a count "
            "under 10",
        ),
    ]
    if not found:
        return Table(columns=columns, rows=[])
    reached = _protected_cells(
        {k: r["reached"] for k, r in found.items()},
        rows=sorted({step for step, _month in found}),
        months=sorted({month for _step, month in found}),
        threshold=context.threshold,
    )
    sums = _with_margins(
        {k: {"reached": r["reached"], "left": r["left"]} for k, r in found.items()}
    )
    rows = []
    for (step, month), count in reached.items():
        if step == TOTAL:
            continue  # drafts summed over steps: counted once per step they reached
        service, number, key = step.split("|", 2)
        figures = sums[(step, month)]
        rows.append(
            [
                service,
                int(number),
                key,
                month,
                count,
                _percent(figures["left"], figures["reached"], count, context.threshold),
            ]
        )
    return Table(columns=columns, rows=rows, withheld=_withheld(rows, 4))


def satisfaction(context: Context) -> Table:
    """Per service and month: satisfaction ratings given, and the share satisfied."""
    found = {(r["service"], r["month"]): r for r in satisfaction_months()}
    columns = [
        Column("service", "string", "Service", "The service's code; total: all"),
        Column("month", "string", "Month", "YYYY-MM; total: all months"),
        Column("ratings", "integer", "Ratings", "Empty where withheld (under 10)"),
        Column(
            "satisfied_percent",
            "number",
            "Satisfied (%)",
            "Share of the ratings that were satisfied or very satisfied (4 or 5 of 5); empty "
            "where the ratings are withheld or where the share would give away a count under 10",
        ),
    ]
    return _share_table(
        context, found, columns, count="answered", part="satisfied", whole="answered"
    )


def offers_taken_up(context: Context) -> Table:
    """Per service and month: proactive offers made, and the share residents took up."""
    found = {(r["service"], r["month"]): r for r in offer_take_up_months()}
    columns = [
        Column("service", "string", "Service", "The service offered; total: all"),
        Column("month", "string", "Month offered", "YYYY-MM; total: all months"),
        Column("offers", "integer", "Offers made", "Empty where withheld (under 10)"),
        Column(
            "taken_up_percent",
            "number",
            "Taken up (%)",
            "Share of the offers the resident took up (applied, or was granted without "
            "applying); empty where the offers are withheld or where the share would give away "
            "a count under 10",
        ),
    ]
    return _share_table(context, found, columns, count="offered", part="taken_up", whole="offered")


#: The datasets, in the catalogue's order (definitions.py places them after the service volumes
#: and processing times).
DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        name="service-kpis",
        title={"en": "Service KPIs", "nl": "Prestaties per dienst"},
        notes={
            "en": "Decisions per service (case type) and month, with the share taken by the "
            "rules (automated) and the share taken after the deadline, and the cases still "
            "open at the month's end (the backlog). Counts under 10 are withheld, with enough "
            "others that none can be worked out from the totals; a share is given only where "
            "its count is published and would give away no count under 10 (its part or the "
            "rest).",
            "nl": "Besluiten per dienst (zaaktype) en maand, met het deel dat de regels namen "
            "(geautomatiseerd) en het deel dat na de termijn kwam, en de zaken die aan het eind "
            "van de maand nog openstonden (de werkvoorraad). Aantallen onder 10 zijn "
            "weggelaten, met zoveel andere dat geen ervan uit de totalen is af te leiden; een "
            "aandeel staat er alleen waar zijn aantal gepubliceerd is en het geen aantal onder "
            "10 verraadt (het deel of de rest).",
        },
        theme="GOVE",
        frequency="DAILY",
        build=service_kpis,
        tags=("services", "cases", "decisions", "automation", "backlog"),
    ),
    Definition(
        name="service-prefilled-answers",
        title={
            "en": "Pre-filled answers per service",
            "nl": "Vooraf ingevulde antwoorden per dienst",
        },
        notes={
            "en": "Forms sent per service and month, with the share of the questions a base "
            "register could answer that it did answer, so the resident only checked them. "
            "Counts under 10 are withheld, and so is a share that would give one away (its "
            "part or the rest under 10).",
            "nl": "Verstuurde formulieren per dienst en maand, met het deel van de vragen dat "
            "een basisregistratie kon beantwoorden dat zij ook beantwoordde, zodat de inwoner "
            "ze alleen hoefde te controleren. Aantallen onder 10 zijn weggelaten, en ook een "
            "aandeel dat er een zou verraden (het deel of de rest onder 10).",
        },
        theme="GOVE",
        frequency="DAILY",
        build=prefilled_answers,
        tags=("services", "forms", "once only"),
    ),
    Definition(
        name="form-step-drop-off",
        title={"en": "Form drop-off per step", "nl": "Uitval per formulierstap"},
        notes={
            "en": "For each step of each online form, per month the forms were started: how "
            "many reached the step, and the share left there (not sent, not touched for a "
            "day). Counts under 10 are withheld, and so is a share that would give one away "
            "(its part or the rest under 10).",
            "nl": "Voor elke stap van elk online formulier, per maand waarin het formulier werd "
            "begonnen: hoeveel de stap bereikten, en het deel dat daar bleef steken (niet "
            "verstuurd, een dag niet aangeraakt). Aantallen onder 10 zijn weggelaten, en ook "
            "een aandeel dat er een zou verraden (het deel of de rest onder 10).",
        },
        theme="GOVE",
        frequency="DAILY",
        build=form_drop_off,
        tags=("services", "forms", "drop-off"),
    ),
    Definition(
        name="service-satisfaction",
        title={"en": "Satisfaction per service", "nl": "Tevredenheid per dienst"},
        notes={
            "en": "Satisfaction ratings residents gave per service and month, anonymously, and "
            "the share satisfied or very satisfied. Counts under 10 are withheld, and so is a "
            "share that would give one away (its part or the rest under 10).",
            "nl": "Tevredenheidsoordelen die inwoners per dienst en maand anoniem gaven, en het "
            "deel dat tevreden of zeer tevreden was. Aantallen onder 10 zijn weggelaten, en ook "
            "een aandeel dat er een zou verraden (het deel of de rest onder 10).",
        },
        theme="GOVE",
        frequency="DAILY",
        build=satisfaction,
        tags=("services", "feedback", "satisfaction"),
    ),
    Definition(
        name="proactive-offers-taken-up",
        title={
            "en": "Proactive offers taken up",
            "nl": "Benutting van proactieve aanbiedingen",
        },
        notes={
            "en": "Offers Civic made to residents without their asking, per service and month, "
            "and the share the residents took up (applied, or were granted without applying). "
            "Counts under 10 are withheld, and so is a share that would give one away (its "
            "part or the rest under 10).",
            "nl": "Aanbiedingen die Civic inwoners deed zonder dat zij erom vroegen, per dienst "
            "en maand, en het deel dat de inwoners benutten (aangevraagd, of toegekend zonder "
            "aanvraag). Aantallen onder 10 zijn weggelaten, en ook een aandeel dat er een zou "
            "verraden (het deel of de rest onder 10).",
        },
        theme="GOVE",
        frequency="DAILY",
        build=offers_taken_up,
        tags=("services", "proactive", "take-up"),
    ),
)
