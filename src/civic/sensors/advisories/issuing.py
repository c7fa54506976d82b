"""Every write of advisories: drafted by a rule's event (and its all-clear when the event
clears), issued at once or after an operator's review, updated and cancelled by an operator,
discarded. An issued message is never changed; an update or a cancellation is a new message
that supersedes it. Delivery to subscribed residents starts once the issue commits
(delivery.py: a Celery task in production, in this process in the embedded default)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.exchange.selectors import purpose_controller_get
from civic.identity.models import Role
from civic.identity.selectors import agency_scoped, staff_has_role
from civic.sensors import models as m
from civic.sensors.advisories.area import advisory_area
from civic.sensors.advisories.dispatch import advisory_dispatch
from civic.sensors.advisories.texts import TEXT_FIELDS, alert_texts, all_clear_texts

SEVERITIES = ("Minor", "Moderate", "Severe", "Extreme")


class AdvisoryRefused(CivicError):
    """What the operator asked cannot be done; ``problems`` maps each field to what is wrong."""

    code = "advisory-refused"

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()))


def _issuer() -> str:
    """The agency that issues advisories: the controller of the advisories' purpose."""
    return purpose_controller_get(code=settings.SENSORS_ADVISORY_PURPOSE) or ""


def _new(*, kind: str, texts: dict, effective, **fields) -> m.Advisory:
    now = clock.now()
    advisory = m.Advisory.objects.create(
        identifier=f"pending-{uuid.uuid4().hex}",
        agency=fields.pop("agency", None) or _issuer(),
        message_type=kind,
        texts=texts,
        created_at=now,
        effective=effective or now,
        **fields,
    )
    # Readable and unique: the issuer, the day it was drafted and its number.
    advisory.identifier = f"{advisory.agency or 'civic'}-{now:%Y%m%d}-{advisory.pk:06d}"
    advisory.save(update_fields=["identifier"])
    return advisory


def _after(head: m.Advisory, *, kind: str, texts: dict, effective, **changed) -> m.Advisory:
    """A message that supersedes ``head`` (an update or a cancellation): the issuer, the
    event or forecast it came from, the kind of alert and the area carry over; ``changed`` on
    top."""
    carried = {
        "agency": head.agency,
        "event": head.event,
        "drafted_by": head.drafted_by,
        "supersedes": head,
        "category": head.category,
        "severity": head.severity,
        "certainty": head.certainty,
        "urgency": head.urgency,
        "neighbourhoods": head.neighbourhoods,
        "circle": head.circle,
    }
    return _new(kind=kind, texts=texts, effective=effective, **{**carried, **changed})


def _head(advisory: m.Advisory) -> m.Advisory:
    """The last issued message of the alert ``advisory`` belongs to."""
    head = advisory
    while True:
        after = head.successors.filter(state=m.Advisory.State.ISSUED).first()
        if after is None:
            return head
        head = after


def _issue(advisory: m.Advisory, by: str) -> m.Advisory:
    before = advisory.supersedes
    if before is not None and _head(before) != before:
        raise AdvisoryRefused(
            {"advisory": _("The advisory was updated or cancelled meanwhile; start again.")}
        )
    if before is not None and before.message_type == m.Advisory.MessageType.CANCEL:
        raise AdvisoryRefused({"advisory": _("The advisory was cancelled already.")})
    advisory.state = m.Advisory.State.ISSUED
    advisory.sent = clock.now()
    advisory.issued_by = by[:150]
    advisory.save(update_fields=["state", "sent", "issued_by"])
    # The drafts that would have superseded the same message are moot now.
    if before is not None:
        before.successors.filter(state=m.Advisory.State.DRAFT).exclude(pk=advisory.pk).update(
            state=m.Advisory.State.DISCARDED
        )
    advisory_id = advisory.pk
    transaction.on_commit(lambda: advisory_dispatch(advisory_id), robust=True)
    return advisory


# Drafted by the rules (sensors.rules calls these in the transaction that raises or clears).


def advisory_for_event_raised(*, event: m.Event) -> m.Advisory | None:
    """An alert for a rule's event, drafted or issued as the rule says; none for a fault."""
    rule = event.rule
    if rule.advisory == m.Rule.AdvisoryMode.NONE or event.kind == m.Event.Kind.FAULT:
        return None
    codes, names, circle = advisory_area(rule)
    advisory = _new(
        kind=m.Advisory.MessageType.ALERT,
        texts=alert_texts(event, names),
        effective=event.started_at,
        event=event,
        category=rule.advisory_category,
        severity=rule.severity if rule.severity in SEVERITIES else "Moderate",
        neighbourhoods=codes,
        circle=circle,
    )
    if rule.advisory == m.Rule.AdvisoryMode.AUTO:
        _issue(advisory, f"rule: {rule.name}")
    return advisory


def advisory_for_event_cleared(*, event: m.Event) -> m.Advisory | None:
    """When an event clears: a draft not yet issued is discarded; an issued alert gets its
    cancellation, issued at once or drafted as the rule says."""
    drafts = m.Advisory.objects.filter(event=event, state=m.Advisory.State.DRAFT)
    drafts.filter(supersedes__isnull=True).update(state=m.Advisory.State.DISCARDED)
    first = (
        m.Advisory.objects.filter(event=event, supersedes__isnull=True)
        .exclude(state=m.Advisory.State.DISCARDED)
        .first()
    )
    if first is None:
        return None
    head = _head(first)
    if head.message_type == m.Advisory.MessageType.CANCEL:
        return None
    advisory = _after(
        head,
        kind=m.Advisory.MessageType.CANCEL,
        texts=all_clear_texts(event, head),
        effective=event.cleared_at,
        event=event,
    )
    if event.rule.advisory == m.Rule.AdvisoryMode.AUTO:
        _issue(advisory, f"rule: {event.rule.name}")
    return advisory


# Drafted by a forecast (insights/flood_risk): always for an operator to review, never issued
# by the forecast itself, since a chance is not an observation.


def advisory_forecast_draft(
    *,
    drafted_by: str,
    texts: dict,
    neighbourhoods: list[str],
    circle: str,
    severity: str,
    certainty: str,
    effective,
    expires,
    category: str = "Met",
) -> m.Advisory:
    """A draft alert of something expected (CAP urgency Expected), with the forecast's
    certainty (Likely, Possible)."""
    return _new(
        kind=m.Advisory.MessageType.ALERT,
        texts=texts,
        effective=effective,
        expires=expires,
        drafted_by=drafted_by[:100],
        category=category,
        urgency="Expected",
        severity=severity if severity in SEVERITIES else "Moderate",
        certainty=certainty,
        neighbourhoods=neighbourhoods,
        circle=circle,
    )


def advisory_forecast_withdraw(*, advisory: m.Advisory, texts: dict) -> m.Advisory | None:
    """The forecast no longer holds: its draft is discarded; once an operator issued it, its
    cancellation (``texts``) is drafted for them, unless it was cancelled or a draft after it
    waits already."""
    if advisory.state == m.Advisory.State.DRAFT:
        advisory.state = m.Advisory.State.DISCARDED
        advisory.save(update_fields=["state"])
        return None
    if advisory.state != m.Advisory.State.ISSUED:
        return None
    head = _head(advisory)
    waiting = head.successors.filter(state=m.Advisory.State.DRAFT).exists()
    if head.message_type == m.Advisory.MessageType.CANCEL or waiting:
        return None
    return _after(head, kind=m.Advisory.MessageType.CANCEL, texts=texts, effective=clock.now())


# The operator's writes (staff pages), scoped to the operator's agency.


def _for(user, advisory_id: int) -> m.Advisory:
    if not staff_has_role(user=user, role=Role.CITY_OPERATOR):
        raise CivicError(_("Only a city operator can issue, update or cancel advisories."))
    found = (
        agency_scoped(m.Advisory.objects.select_for_update(), user=user, by_code=True)
        .filter(pk=advisory_id)
        .first()
    )
    if found is None:
        raise NotFound(_("There is no such advisory."))
    return found


def _checked(texts: dict, severity: str, expires) -> dict[str, dict[str, str]]:
    problems: dict[str, str] = {}
    clean: dict[str, dict[str, str]] = {}
    for language, name in settings.LANGUAGES:
        given = texts.get(language) or {}
        clean[language] = {key: str(given.get(key) or "").strip() for key in TEXT_FIELDS}
        if not clean[language]["headline"]:
            problems[f"headline_{language}"] = _("Enter the headline in %(language)s.") % {
                "language": name
            }
        if not clean[language]["description"]:
            problems[f"description_{language}"] = _("Say what is happening in %(language)s.") % {
                "language": name
            }
        if len(clean[language]["headline"]) > 160:
            problems[f"headline_{language}"] = _("Keep the headline under 160 characters.")
    if severity not in SEVERITIES:
        problems["severity"] = _("Choose a severity.")
    if expires is not None and expires <= clock.now():
        problems["expires"] = _("The end must be in the future.")
    if problems:
        raise AdvisoryRefused(problems)
    return clean


@transaction.atomic
def advisory_issue(*, user, advisory_id: int, texts: dict, severity: str, expires=None):
    """Issue a draft after review, with the operator's edits."""
    advisory = _for(user, advisory_id)
    if advisory.state != m.Advisory.State.DRAFT:
        raise AdvisoryRefused({"advisory": _("Only a draft can be issued.")})
    advisory.texts = _checked(texts, severity, expires)
    advisory.severity, advisory.expires = severity, expires
    advisory.save(update_fields=["texts", "severity", "expires"])
    return _issue(advisory, user.get_username())


@transaction.atomic
def advisory_discard(*, user, advisory_id: int) -> m.Advisory:
    advisory = _for(user, advisory_id)
    if advisory.state != m.Advisory.State.DRAFT:
        raise AdvisoryRefused({"advisory": _("Only a draft can be discarded.")})
    advisory.state = m.Advisory.State.DISCARDED
    advisory.issued_by = user.get_username()[:150]
    advisory.save(update_fields=["state", "issued_by"])
    return advisory


def _active(advisory: m.Advisory) -> m.Advisory:
    if advisory.state != m.Advisory.State.ISSUED or advisory.message_type == "Cancel":
        raise AdvisoryRefused({"advisory": _("Only an advisory in force can be changed.")})
    if _head(advisory) != advisory:
        raise AdvisoryRefused(
            {"advisory": _("The advisory was updated or cancelled meanwhile; start again.")}
        )
    return advisory


@transaction.atomic
def advisory_update(*, user, advisory_id: int, texts: dict, severity: str, expires=None):
    """Issue an update of an advisory in force: new words, severity or end."""
    head = _active(_for(user, advisory_id))
    update = _after(
        head,
        kind=m.Advisory.MessageType.UPDATE,
        texts=_checked(texts, severity, expires),
        effective=clock.now(),
        severity=severity,
        expires=expires,
    )
    return _issue(update, user.get_username())


def _cancel_texts(before: dict, note: str | None) -> dict[str, str]:
    headline = _("Cancelled: %(headline)s") % {"headline": before.get("headline", "")}
    return {
        "event": before.get("event", ""),
        "headline": headline[:160],
        "description": str(note or "").strip() or _("The advisory is no longer in force."),
        "instruction": _("No action is needed any more."),
        "area": before.get("area", ""),
    }


@transaction.atomic
def advisory_cancel(*, user, advisory_id: int, note: dict[str, str]) -> m.Advisory:
    """Cancel an advisory in force; ``note`` (per language) says why, for the residents."""
    head = _active(_for(user, advisory_id))
    texts = {}
    for language, _name in settings.LANGUAGES:
        before = (head.texts or {}).get(language) or {}
        with translation.override(language):
            texts[language] = _cancel_texts(before, note.get(language))
    cancel = _after(head, kind=m.Advisory.MessageType.CANCEL, texts=texts, effective=clock.now())
    return _issue(cancel, user.get_username())
