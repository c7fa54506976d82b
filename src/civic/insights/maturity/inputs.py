"""The live figures the digital-maturity index is scored from: each a share (0 to 1, higher is
better) with its numerator and denominator, read from the apps that own them. Aggregates only,
never a person. ``None`` where nothing has been counted yet: an input without a value is shown
as such and left out of its dimension's score."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from civic.cases.selectors import automated_decision_references, case_type_figures
from civic.catalog.selectors import services_published
from civic.decisions.selectors import decisions_explained, offers_taken_up
from civic.feedback.selectors import feedback_acted_on
from civic.forms.selectors import prefill_coverage, services_with_online_form
from civic.identity.selectors import agency_list
from civic.opendata.datasets.definitions import definitions
from civic.opendata.selectors import datasets_published_of

#: The window of the figures that count events (forms sent, decisions, offers).
WINDOW_DAYS = 365


@dataclass(frozen=True)
class Input:
    key: str
    name: object  # a lazy translation
    method: object  # how it is counted, as the public page says it
    read: Callable[[dt.datetime], tuple[int, int] | None]  # (numerator, denominator)


def _services_digital(since: dt.datetime) -> tuple[int, int]:
    online = services_with_online_form()
    services = list(services_published().values_list("id", "granted_without_application"))
    digital = sum(1 for pk, granted in services if pk in online or granted)
    return digital, len(services)


def _register_answers(since: dt.datetime) -> tuple[int, int]:
    coverage = prefill_coverage(since=since)
    return coverage["answered"], coverage["questions"]


def _agencies_on_platform(since: dt.datetime) -> tuple[int, int]:
    online = services_with_online_form()
    building = {
        agency for pk, agency in services_published().values_list("id", "agency_id") if pk in online
    }
    return len(building), len(agency_list())


def _datasets_published(since: dt.datetime) -> tuple[int, int]:
    names = [d.name for d in definitions()]
    return datasets_published_of(names=names), len(names)


def _decisions_explained(since: dt.datetime) -> tuple[int, int]:
    references = automated_decision_references(since=since)
    return decisions_explained(references=references), references.count()


def _decided_on_time(since: dt.datetime) -> tuple[int, int]:
    rows = case_type_figures(since=since)
    decided = sum(r["decided"] for r in rows)
    return decided - sum(r["decided_late"] for r in rows), decided


def _offers_taken_up(since: dt.datetime) -> tuple[int, int]:
    offers = offers_taken_up(since=since)
    return offers["taken_up"], offers["offered"]


def _feedback_acted_on(since: dt.datetime) -> tuple[int, int]:
    return feedback_acted_on(since=since)


INPUTS: dict[str, Input] = {
    i.key: i
    for i in (
        Input(
            "services_digital",
            _("Services fully digital"),
            _(
                "Published services one can apply for online from start to decision (a form "
                "with a published version), or that are granted without an application, out "
                "of all published services."
            ),
            _services_digital,
        ),
        Input(
            "register_answers",
            _("Questions a register answered"),
            _(
                "Of the questions in the forms sent in the last year that a base register "
                "could answer, the share the register did answer, so the resident was not "
                "asked (once only)."
            ),
            _register_answers,
        ),
        Input(
            "agencies_on_platform",
            _("Agencies building on the platform"),
            _(
                "Agencies with at least one published service on the shared components (an "
                "online form pre-filled through the exchange and handled as a case), out of "
                "all agencies."
            ),
            _agencies_on_platform,
        ),
        Input(
            "datasets_published",
            _("Datasets published"),
            _("Open datasets with a version online, out of the datasets defined."),
            _datasets_published,
        ),
        Input(
            "decisions_explained",
            _("Automated decisions explained"),
            _(
                "Decisions the rules made in the last year with an explanation the resident "
                "can read on their case, out of all decisions the rules made."
            ),
            _decisions_explained,
        ),
        Input(
            "decided_on_time",
            _("Decided on time"),
            _("Decisions of the last year made by their legal deadline, out of all decisions."),
            _decided_on_time,
        ),
        Input(
            "feedback_acted_on",
            _("Feedback acted on"),
            _(
                "Comments residents gave in the last year, kept after moderation, that the "
                "service's team acted on (published as “you said, we did”), out of "
                "all comments kept."
            ),
            _feedback_acted_on,
        ),
        Input(
            "offers_taken_up",
            _("Proactive offers taken up"),
            _(
                "Offers the rules made in the last year without being asked, that the "
                "resident accepted or was granted, out of all offers made."
            ),
            _offers_taken_up,
        ),
    )
}


def input_read(key: str, *, now: dt.datetime) -> dict:
    """One input's figure: numerator, denominator and share (``None`` where nothing counts)."""
    counted = INPUTS[key].read(now - dt.timedelta(days=WINDOW_DAYS))
    if counted is None:
        return {"key": key, "numerator": None, "denominator": None, "value": None}
    numerator, denominator = counted
    value = numerator / denominator if denominator else None
    return {"key": key, "numerator": numerator, "denominator": denominator, "value": value}
