"""The words of a flood-risk advisory in every language Civic speaks: the alert a high chance
drafts, and the cancellation once the chance has passed. The gauge's rule may give its own
instruction per language (Rule.advisory_texts), which the alert borrows."""

from __future__ import annotations

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from civic.core.formats import number_text


def _number(value: float) -> str:
    return formats.number_format(round(value, 2), use_l10n=True)


def _percent(probability: float) -> str:
    return f"{number_text(round(probability * 100))} %"


def _instruction(rule, language: str) -> str:
    own = ((rule.advisory_texts or {}).get(language) or {}).get("instruction")
    return str(own or "").strip()


def alert_texts(*, gauge, probability: float, level: float, hours: int, area: list[str]):
    out = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            values = {
                "place": gauge.place,
                "percent": _percent(probability),
                "hours": hours,
                "level": _number(level),
                "line": _number(gauge.flood_level),
            }
            out[language] = {
                "event": _("Chance of high water"),
                "headline": _(
                    "Chance of high water at %(place)s within %(hours)s hours: %(percent)s"
                )
                % values,
                "description": _(
                    "The river at %(place)s is at %(level)s m; its high-water line is "
                    "%(line)s m. With the rain of the last day, the chance that it goes above "
                    "the line within %(hours)s hours is %(percent)s. This is a forecast, not a "
                    "measurement."
                )
                % values,
                "instruction": _instruction(gauge.rule, language)
                or _(
                    "Keep an eye on the river and on this page, and move what you keep by the "
                    "water to higher ground."
                ),
                "area": ", ".join(area),
            }
    return out


def withdrawn_texts(*, gauge, probability: float, area: list[str]):
    out = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            values = {"place": gauge.place, "percent": _percent(probability)}
            out[language] = {
                "event": _("Chance of high water"),
                "headline": _("Cancelled: chance of high water at %(place)s") % values,
                "description": _("The chance of high water at %(place)s has fallen to %(percent)s.")
                % values,
                "instruction": _("No action is needed any more."),
                "area": ", ".join(area),
            }
    return out
