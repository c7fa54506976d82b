"""A notification reaches the resident's inbox always, and by email and SMS when they chose so."""

from __future__ import annotations

import pytest

from civic.core.errors import NotFound
from civic.identity import services as identity
from civic.notify.models import Delivery, Message
from civic.notify.selectors import deliveries_for_message
from civic.notify.services import preference_set
from tests.html import h1
from tests.notify.builders import PDF, send, two_residents


def test_the_receipt_is_in_the_inbox_with_its_pdf_and_opening_it_marks_it_read(client, db):
    resident, _ = two_residents()
    message = send(resident, attachment=("answers.pdf", PDF, "application/pdf"))
    client.force_login(identity.resident_account_ensure(personal_number=resident))

    inbox = client.get("/my/inbox/").content.decode()
    assert h1(inbox) == "Your inbox"
    assert "You have 1 unread message." in inbox and "Unread" in inbox
    assert "We received your application CASE-2026-000123" in inbox
    assert "with an attachment" in inbox

    page = client.get(f"/my/inbox/{message.pk}/").content.decode()
    assert h1(page) == "We received your application CASE-2026-000123"
    assert "We received your application for Child benefit on 14 March 2026" in page
    assert "Your reference number is CASE-2026-000123." in page
    assert "A copy of your answers is attached to this message." in page
    assert "Download answers.pdf" in page

    download = client.get(f"/my/inbox/{message.pk}/attachment/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="answers.pdf"' in download["Content-Disposition"]

    inbox = client.get("/my/inbox/").content.decode()
    assert "You have no unread messages." in inbox and "Unread" not in inbox


def test_without_preferences_a_resident_gets_the_inbox_only(db, mailoutbox, settings):
    resident, _ = two_residents()
    message = send(resident)
    assert mailoutbox == []
    assert "attached" not in message.body  # no attachment, so the receipt does not mention one
    assert not (settings.OUTBOX_DIR / "sms.log").exists()
    assert [(d.channel, d.status) for d in deliveries_for_message(message_id=message.pk)] == [
        ("inbox", "sent")
    ]


def test_email_is_written_to_the_outbox_folder_with_the_pdf_in_the_embedded_default(
    db, settings, tmp_path
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    resident, _ = two_residents()
    preference_set(personal_number=resident, email="jan@example.org", by_email=True)

    message = send(resident, attachment=("answers.pdf", PDF, "application/pdf"))

    [written] = list((tmp_path / "mail").iterdir())
    mail = written.read_text()
    assert "To: jan@example.org" in mail
    assert "Subject: We received your application CASE-2026-000123" in mail
    assert 'filename="answers.pdf"' in mail
    [email] = [d for d in deliveries_for_message(message_id=message.pk) if d.channel == "email"]
    assert (email.status, email.attempts, email.address) == ("sent", 1, "jan@example.org")


def test_the_email_carries_the_whole_message_and_the_pdf(db, mailoutbox):
    resident, _ = two_residents()
    preference_set(personal_number=resident, email="jan@example.org", by_email=True)
    send(resident, attachment=("answers.pdf", PDF, "application/pdf"))
    [mail] = mailoutbox
    assert mail.to == ["jan@example.org"]
    assert "Your reference number is CASE-2026-000123." in mail.body
    assert "You can also read this message in your Civic inbox." in mail.body
    assert mail.attachments == [("answers.pdf", PDF, "application/pdf")]


def test_a_text_message_goes_through_the_outbox_provider_and_says_only_that_there_is_mail(
    db, settings
):
    resident, _ = two_residents()
    preference_set(personal_number=resident, phone="06 1234 5678", by_sms=True)
    message = send(resident)
    [line] = (settings.OUTBOX_DIR / "sms.log").read_text().splitlines()
    assert "\t+31612345678\t" in line
    assert line.endswith(
        "New message in your Civic inbox: We received your application CASE-2026-000123"
    )
    assert "Child benefit" not in line  # the text of the message stays in the inbox
    [sms] = [d for d in deliveries_for_message(message_id=message.pk) if d.channel == "sms"]
    assert sms.status == Delivery.Status.SENT


def test_a_provider_plugin_named_in_the_settings_is_used(db, settings):
    from tests.notify import providers

    settings.SMS_PROVIDER = "tests.notify.providers.ListProvider"
    resident, _ = two_residents()
    preference_set(personal_number=resident, phone="+31 6 12345678", by_sms=True)
    send(resident)
    assert providers.SENT[-1]["to"] == "+31612345678"
    assert providers.SENT[-1]["text"].startswith("New message in your Civic inbox:")


def test_a_dutch_resident_gets_the_message_in_dutch(client, db):
    resident, _ = two_residents()
    preference_set(personal_number=resident, language="nl")
    message = send(resident)
    assert message.language == "nl"
    assert message.subject == "We hebben uw aanvraag CASE-2026-000123 ontvangen"
    assert "voor Kinderbijslag ontvangen op 14 maart 2026" in message.body

    client.force_login(identity.resident_account_ensure(personal_number=resident))
    client.cookies["django_language"] = "nl"
    page = client.get(f"/my/inbox/{message.pk}/").content.decode()
    assert '<h1 class="govuk-heading-l">We hebben uw aanvraag' in page
    # The message is kept in every language: the reader who switches the page to English
    # reads it in English.
    client.cookies["django_language"] = "en"
    page = client.get(f"/my/inbox/{message.pk}/").content.decode()
    assert '<h1 class="govuk-heading-l">We received your application CASE-2026-000123' in page
    # A message written before messages were kept in every language: shown as it was sent,
    # and on an English page the Dutch text says it is Dutch, for screen readers.
    type(message).objects.filter(pk=message.pk).update(texts={})
    page = client.get(f"/my/inbox/{message.pk}/").content.decode()
    assert '<h1 class="govuk-heading-l" lang="nl">We hebben uw aanvraag' in page


def test_a_language_given_by_the_sender_wins_over_the_default(db):
    resident, _ = two_residents()
    message = send(
        resident,
        template="information-requested",
        language="nl",
        context={
            "reference": "CASE-1",
            "service": "Kinderbijslag",
            "question": "Stuur uw huurcontract.",
        },
    )
    assert message.subject == "We hebben meer informatie nodig voor CASE-1"
    assert "Stuur uw huurcontract." in message.body


def test_an_unknown_template_is_refused_and_nothing_is_stored(db):
    resident, _ = two_residents()
    with pytest.raises(NotFound, match="no-such-template"):
        send(resident, template="no-such-template")
    assert not Message.objects.filter(recipient=resident).exists()


def test_with_celery_the_worker_task_sends_the_email(db, settings, mailoutbox):
    """CIVIC_NOTIFY_DELIVERY=celery hands the message to the task; run eagerly, as a worker would."""
    from civic.celery import app

    settings.NOTIFY_DELIVERY = "celery"
    resident, _ = two_residents()
    preference_set(personal_number=resident, email="jan@example.org", by_email=True)
    app.conf.task_always_eager = True
    try:
        message = send(resident)
    finally:
        app.conf.task_always_eager = False
    assert mailoutbox[0].to == ["jan@example.org"]
    assert Delivery.objects.get(message=message, channel="email").status == "sent"


def test_a_message_is_kept_in_every_language_and_its_email_goes_in_the_language_chosen_when_it_leaves(
    db, settings, mailoutbox
):
    """Written while the resident had English chosen; they switch their messages to Dutch
    before the e-mail leaves (a retry, or `civic notify retry`): the e-mail is Dutch, with no
    English in it, and the stored message holds both languages."""
    from civic.notify.sending import message_deliver

    settings.NOTIFY_DELIVERY = "off"
    resident, _ = two_residents()
    preference_set(personal_number=resident, email="jan@example.org", by_email=True, language="en")
    message = send(resident)
    assert message.language == "en" and set(message.texts) == {"en", "nl"}
    assert message.texts["nl"]["subject"] == "We hebben uw aanvraag CASE-2026-000123 ontvangen"
    preference_set(personal_number=resident, email="jan@example.org", by_email=True, language="nl")
    assert message_deliver(message_id=message.pk) == ["sent"]
    [mail] = mailoutbox
    assert mail.subject == "We hebben uw aanvraag CASE-2026-000123 ontvangen"
    assert "Uw kenmerk is CASE-2026-000123." in mail.body
    for english in ("We received", "reference number", "You can also read", "application"):
        assert english not in mail.body and english not in mail.subject
