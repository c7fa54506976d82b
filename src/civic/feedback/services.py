"""Writes of residents' feedback: receiving it (personal data blacked out of the comment),
moderating a comment, and recording what was done about it ("you said, we did")."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from civic.catalog.selectors import service_get
from civic.core import clock
from civic.core.errors import CivicError, NotFound
from civic.documents.personal_data import personal_data_blacked_out
from civic.feedback.models import Feedback, Kind, Moderation
from civic.feedback.selectors import feedback_for_staff

COMMENT_MAX = 1_200


def feedback_give(
    *, kind: str, service_code: str, rating: int, comment: str = "", step: str = ""
) -> Feedback:
    """Keep a resident's rating (and comment, blacked out and queued for moderation). Nothing
    identifies the resident; a comment that would hold their personal data loses it here."""
    service = service_get(code=service_code)
    if service is None:
        raise NotFound(_("There is no such service."))
    if kind == Kind.SATISFACTION and rating not in range(1, 6):
        raise CivicError(_("Choose how satisfied you are."))
    if kind == Kind.PAGE_USEFUL and rating not in (0, 1):
        raise CivicError(_("Choose yes or no."))
    if kind not in Kind.values:
        raise CivicError(_("This is not a kind of feedback we ask for."))
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise CivicError(
            _("Your comment must be %(max)s characters or fewer.") % {"max": COMMENT_MAX}
        )
    comment = personal_data_blacked_out(comment) if comment else ""
    return Feedback.objects.create(
        kind=kind,
        service=service,
        step=step[:60] if kind == Kind.PAGE_USEFUL else "",
        rating=rating,
        comment=comment,
        language=(get_language() or "en")[:10],
        received_at=clock.now(),
        moderation=Moderation.PENDING if comment else Moderation.NONE,
    )


def feedback_moderate(*, user, feedback_id: int, keep: bool) -> Feedback:
    """Keep a comment for the service owner, or remove it (abuse, or personal data the
    blacking-out missed: the comment's text is dropped, the rating stays)."""
    with transaction.atomic():
        item = feedback_for_staff(user=user, feedback_id=feedback_id, lock=True)
        if item is None:
            raise NotFound(_("There is no such feedback."))
        if item.moderation != Moderation.PENDING:
            raise CivicError(_("This comment has been moderated already."))
        item.moderation = Moderation.KEPT if keep else Moderation.REMOVED
        if not keep:
            item.comment = ""
        item.moderated_by, item.moderated_at = user.get_username()[:150], clock.now()
        item.save(update_fields=["moderation", "comment", "moderated_by", "moderated_at"])
    return item


def feedback_act_on(*, user, feedback_id: int, what_we_did: str) -> Feedback:
    """Record what the service changed because of a kept comment ("you said, we did")."""
    what_we_did = what_we_did.strip()
    if not what_we_did:
        raise CivicError(_("Say what was done about it."))
    with transaction.atomic():
        item = feedback_for_staff(user=user, feedback_id=feedback_id, lock=True)
        if item is None:
            raise NotFound(_("There is no such feedback."))
        if item.moderation != Moderation.KEPT:
            raise CivicError(_("Only a comment kept after moderation can be acted on."))
        item.acted_on, item.acted_at = what_we_did[:2000], clock.now()
        item.save(update_fields=["acted_on", "acted_at"])
    return item
