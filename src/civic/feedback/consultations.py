"""Public consultations: an agency's service owner puts a question to the public for a period
(options, or free text); residents answer once each, logged in but not named (a keyed
pseudonym per consultation); free-text answers are blacked out and moderated like comments;
after the period the owner publishes the results with what the agency did with them.
Writes here; the reads are ``consultation_selectors``."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.documents.personal_data import personal_data_blacked_out
from civic.exchange.pseudonyms import pseudonym
from civic.feedback.models import Consultation, ConsultationResponse, Moderation
from civic.identity.selectors import staff_agency_id

TEXT_MAX = 2_000
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _both(value: dict[str, str], what: str) -> dict[str, str]:
    cleaned = {lang: (value.get(lang) or "").strip() for lang in ("en", "nl")}
    if not cleaned["en"] or not cleaned["nl"]:
        raise CivicError(_("Give the %(what)s in English and in Dutch.") % {"what": what})
    return cleaned


def consultation_create(
    *,
    user,
    slug: str,
    title: dict[str, str],
    question: dict[str, str],
    options: list[dict[str, str]],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
) -> Consultation:
    """A consultation of the staff member's agency. ``options``: ``[{en, nl}, ...]`` (two or
    more), or empty for answers in the resident's own words."""
    agency = staff_agency_id(user=user)
    if agency is None:
        raise CivicError(_("Only staff of an agency can start a consultation."))
    if not SLUG.match(slug or ""):
        raise CivicError(_("The address may hold only lower-case letters, digits and hyphens."))
    if closes_at <= opens_at:
        raise CivicError(_("The consultation must close after it opens."))
    labels = [_both(option, _("option")) for option in options]
    if len(labels) == 1:
        raise CivicError(_("Give two options or more, or none for answers in their own words."))
    try:
        with transaction.atomic():
            return Consultation.objects.create(
                slug=slug,
                agency_id=agency,
                title=_both(title, _("title")),
                question=_both(question, _("question")),
                options=[{"value": str(i), "label": label} for i, label in enumerate(labels, 1)],
                opens_at=opens_at,
                closes_at=closes_at,
                created_by=user.get_username()[:150],
            )
    except IntegrityError:
        raise CivicError(_("There is a consultation at that address already.")) from None


def respondent_of(consultation: Consultation, personal_number: str) -> str:
    """The resident's pseudonym in this consultation's own space."""
    return pseudonym(f"consultation-{consultation.pk}", personal_number)


def consultation_respond(
    *, slug: str, personal_number: str, option: str = "", text: str = ""
) -> ConsultationResponse:
    """A resident's answer, while the consultation is open; once per resident."""
    consultation = Consultation.objects.filter(slug=slug).first()
    if consultation is None:
        raise NotFound(_("There is no such consultation."))
    now = clock.now()
    if not consultation.opens_at <= now < consultation.closes_at:
        raise CivicError(_("This consultation is not open for answers."))
    text = text.strip()
    if consultation.options:
        if option not in {o["value"] for o in consultation.options}:
            raise CivicError(_("Choose one of the options."))
    elif not text:
        raise CivicError(_("Write your answer."))
    if len(text) > TEXT_MAX:
        raise CivicError(_("Your answer must be %(max)s characters or fewer.") % {"max": TEXT_MAX})
    text = personal_data_blacked_out(text) if text else ""
    try:
        with transaction.atomic():
            return ConsultationResponse.objects.create(
                consultation=consultation,
                respondent=respondent_of(consultation, personal_number),
                option=option if consultation.options else "",
                text=text,
                moderation=Moderation.PENDING if text else Moderation.NONE,
                language=(get_language() or "en")[:10],
                received_at=now,
            )
    except IntegrityError:
        raise CivicError(_("You have answered this consultation already.")) from None


def _own(user, slug: str, *, lock: bool = False) -> Consultation:
    found = Consultation.objects.filter(slug=slug, agency_id=staff_agency_id(user=user))
    consultation = (found.select_for_update() if lock else found).first()
    if consultation is None:
        raise NotFound(_("There is no such consultation."))
    return consultation


def consultation_moderate(*, user, slug: str, response_id: int, keep: bool) -> None:
    """Keep a written answer for the published results, or remove its text (the answer still
    counts)."""
    consultation = _own(user, slug)
    with transaction.atomic():
        response = (
            ConsultationResponse.objects.select_for_update()
            .filter(pk=response_id, consultation=consultation)
            .first()
        )
        if response is None:
            raise NotFound(_("There is no such answer."))
        if response.moderation != Moderation.PENDING:
            raise CivicError(_("This answer has been moderated already."))
        response.moderation = Moderation.KEPT if keep else Moderation.REMOVED
        if not keep:
            response.text = ""
        response.save(update_fields=["moderation", "text"])


def consultation_publish(*, user, slug: str, outcome: dict[str, str]) -> Consultation:
    """Publish the results of a closed consultation with what the agency did with them."""
    with transaction.atomic():
        consultation = _own(user, slug, lock=True)
        if clock.now() < consultation.closes_at:
            raise CivicError(_("The results can be published once the consultation has closed."))
        if consultation.responses.filter(moderation=Moderation.PENDING).exists():
            raise CivicError(_("Read every written answer before publishing the results."))
        consultation.outcome = _both(outcome, _("what was done"))
        consultation.published_at = clock.now()
        consultation.save(update_fields=["outcome", "published_at"])
    return consultation


def consultation_period_set(*, slug: str, opens_at: dt.datetime, closes_at: dt.datetime) -> None:
    """Move a consultation's period (the demo's history: answered, then closed weeks ago)."""
    if closes_at <= opens_at:
        raise CivicError(_("The consultation must close after it opens."))
    Consultation.objects.filter(slug=slug).update(opens_at=opens_at, closes_at=closes_at)
