"""Telling the data protection officers of an agency about an access alert, by e-mail, each in
their own language. The mail holds what the page holds: no personal data in clear."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from civic.compliance.models import AccessAlert
from civic.compliance.wording import counts_shown, kind_said
from civic.core import clock
from civic.identity.models import Role
from civic.identity.selectors import staff_of_agency_with_role

log = logging.getLogger("civic.compliance")


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _message(alert: AccessAlert) -> tuple[str, str]:
    client = alert.api_client
    subject = _("Access alert: %(what)s (%(client)s)") % {
        "what": kind_said(alert),
        "client": client.name,
    }
    lines = [
        _("The exchange saw something unusual in how a partner system of %(agency)s used it.")
        % {"agency": alert.agency.name},
        "",
        f"{_('What')}: {kind_said(alert)}",
        f"{_('API client')}: {client.name} ({client.client_id})",
        f"{_('Window')}: {_moment(alert.window_start)} – {_moment(alert.window_end)}",
        *(f"{what}: {count}" for what, count in counts_shown(alert)),
    ]
    if alert.examples:
        lines += ["", _("Examples:"), *(f"  {example}" for example in alert.examples)]
    if alert.trace_ids:
        lines += ["", _("Trace ids (find the requests in the access log):")]
        lines += [f"  {trace}" for trace in alert.trace_ids]
    lines += [
        "",
        _("Review and acknowledge it, or revoke the client, on Civic's staff pages: %(path)s")
        % {"path": reverse("compliance:alert", args=[alert.pk])},
        _(
            "Personal numbers appear as pseudonyms, as in the access log; address identifiers "
            "and ranges of birth days name no one."
        ),
    ]
    return subject, "\n".join(lines)


def alert_mail_send(*, alert: AccessAlert) -> int:
    """One e-mail to each data protection officer of the alert's agency with an address; how
    many were sent. A mail server that is down loses the mail, not the alert: the page has it."""
    sent = 0
    for officer in staff_of_agency_with_role(
        agency_id=alert.agency_id, role=Role.DATA_PROTECTION_OFFICER
    ):
        if not officer.email:
            continue
        with translation.override(officer.preferred_language or settings.LANGUAGE_CODE):
            subject, body = _message(alert)
        try:
            send_mail(
                subject=subject, message=body, from_email=None, recipient_list=[officer.email]
            )
        except Exception:
            log.exception("could not e-mail access alert %s to user %s", alert.pk, officer.pk)
            continue
        sent += 1
    log.info("access alert %s told to %s data protection officer(s)", alert.pk, sent)
    return sent


def access_alert_tell(*, alert_id: int) -> int:
    """E-mail the alert to the data protection officers of its agency; how many were sent. Once
    it has gone, asking again sends nothing (a retried task tells nobody twice)."""
    alert = AccessAlert.objects.select_related("api_client", "agency").filter(pk=alert_id).first()
    if alert is None or alert.told_at is not None:
        return 0
    sent = alert_mail_send(alert=alert)
    if sent:
        AccessAlert.objects.filter(pk=alert.pk).update(told_at=clock.now())
    return sent
