"""The words of an advisory, in every language Civic speaks: what a rule's event drafts for
an alert and for its all-clear. The rule may give its own event name and instruction per
language (Rule.advisory_texts); the rest is said from the datastream and the readings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from civic.sensors import models as m

TEXT_FIELDS = ("event", "headline", "description", "instruction", "area")


def _number(value: float | None) -> str:
    return "" if value is None else formats.number_format(round(value, 2), use_l10n=True)


def _time(at: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(at), "j F Y, H:i")


def _facts(rule: m.Rule) -> dict[str, Any]:
    stream = rule.datastream
    return {
        "property": stream.observed_property.name.lower(),
        "place": stream.thing.name,
        "unit": (stream.unit_of_measurement or {}).get("symbol", ""),
    }


def _own(rule: m.Rule, language: str, key: str) -> str:
    return str(((rule.advisory_texts or {}).get(language) or {}).get(key) or "").strip()


def alert_texts(event: m.Event, area: list[str]) -> dict[str, dict[str, str]]:
    """An alert for ``event``: per language, the CAP event, headline, description,
    instruction and area description."""
    rule, facts = event.rule, _facts(event.rule)
    out = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            kind = _own(rule, language, "event") or _("High %(property)s") % facts
            values = {
                **facts,
                "event": kind,
                "peak": _number(event.peak),
                "level": _number(rule.level),
                "rise": _number(rule.rise_per_hour),
                "since": _time(event.started_at),
            }
            if event.kind == m.Event.Kind.RISE:
                said = _(
                    "The %(property)s at %(place)s rose more than %(rise)s %(unit)s within an "
                    "hour, from %(since)s. The latest reading is %(peak)s %(unit)s."
                )
            elif event.kind == m.Event.Kind.ANOMALY:
                said = _(
                    "The %(property)s at %(place)s is far from what is usual at this hour: "
                    "%(peak)s %(unit)s at %(since)s."
                )
            else:
                said = _(
                    "The %(property)s at %(place)s has been above %(level)s %(unit)s since "
                    "%(since)s. The highest reading so far is %(peak)s %(unit)s."
                )
            out[language] = {
                "event": kind,
                "headline": _("%(event)s at %(place)s: %(peak)s %(unit)s") % values,
                "description": said % values,
                "instruction": _own(rule, language, "instruction")
                or _("Follow the advice of the emergency services and check this page again."),
                "area": ", ".join(area),
            }
    return out


def all_clear_texts(event: m.Event, alert: m.Advisory) -> dict[str, dict[str, str]]:
    """The cancellation of ``alert`` when its event cleared."""
    rule, facts = event.rule, _facts(event.rule)
    out = {}
    for language, _name in settings.LANGUAGES:
        before = (alert.texts or {}).get(language) or {}
        with translation.override(language):
            kind = before.get("event") or _("High %(property)s") % facts
            clear = rule.clear_level if rule.clear_level is not None else rule.level
            values = {**facts, "event": kind, "clear": _number(clear)}
            values["at"] = _time(event.cleared_at) if event.cleared_at else ""
            if event.kind == m.Event.Kind.LEVEL and clear is not None:
                said = _("The %(property)s at %(place)s fell below %(clear)s %(unit)s at %(at)s.")
            else:
                said = _("The %(property)s at %(place)s is back to usual since %(at)s.")
            out[language] = {
                "event": kind,
                "headline": _("All clear: %(event)s at %(place)s") % values,
                "description": said % values,
                "instruction": _("No action is needed any more."),
                "area": before.get("area", ""),
            }
    return out
