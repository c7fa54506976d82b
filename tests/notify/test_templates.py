"""The message templates: shipped in both languages, loaded without losing staff edits, and
checked when staff edit them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from civic.notify.models import Template
from civic.notify.services import DATA_DIR, templates_load
from tests.notify.builders import send, two_residents

CONTEXT = {
    "reference": "CASE-7",
    "service": {"en": "Child benefit", "nl": "Kinderbijslag"},
    "submitted_at": dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC),
    "status": "in progress",
    "note": "We are checking your income.",
    "deadline": "2026-05-09",
    "question": "Send your rental contract.",
    "due": dt.date(2026, 4, 1),
    "outcome": "granted",
    "reasons": "Your child lives with you.",
    "objection_deadline": dt.date(2026, 5, 1),
    "message": "We called you.",
    "decided_case": "CASE-6",
    "count": 1,
    "offers_en": ["Child benefit: about €1,100 a year"],
    "offers_nl": ["Kinderbijslag: ongeveer € 1.100 per jaar"],
    "amount": "1,100",
}
CODES = [item["code"] for item in json.loads((DATA_DIR / "templates.json").read_text())]
#: A public advisory's message (sensors.advisories.delivery) has a context of its own.
ADVISORY = {
    "identifier": "havenstad-20261205-000007",
    "message_type": "Alert",
    "link": "/advisories/havenstad-20261205-000007/",
    **{
        f"{key}_{language}": f"{key} {language}"
        for key in ("event", "headline", "description", "instruction", "area")
        for language in ("en", "nl")
    },
}


def test_the_issue_asks_for_these_templates_and_every_database_has_them(db):
    assert {
        "case-received",
        "case-status-changed",
        "information-requested",
        "decision-made",
        "message-from-caseworker",
        "objection-received",
    } <= set(Template.objects.values_list("code", flat=True))


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_template_renders_in_both_languages(db, code, language):
    resident, _ = two_residents()
    if code == "advisory":
        message = send(resident, template=code, context=ADVISORY, language=language)
        assert message.subject == f"headline {language}"
        assert f"description {language}" in message.body and ADVISORY["link"] in message.body
        assert "{{" not in message.body and "{%" not in message.body
        return
    message = send(resident, template=code, context=CONTEXT, reference="CASE-7", language=language)
    assert "CASE-7" in message.subject
    assert "{{" not in message.body and "{%" not in message.body
    assert ("Kinderbijslag" if language == "nl" else "Child benefit") in message.body


def test_dates_that_went_through_json_are_shown_as_dates_in_the_residents_language(db):
    resident, _ = two_residents()
    message = send(resident, context=CONTEXT, language="nl")
    assert "We beslissen uiterlijk op 9 mei 2026." in message.body
    message = send(resident, template="information-requested", context=CONTEXT)
    assert "Please answer by 1 April 2026." in message.body


def test_loading_again_keeps_what_staff_changed_unless_asked_to_overwrite(db):
    Template.objects.filter(code="case-received").update(subject={"en": "Thanks", "nl": "Dank"})
    assert templates_load() == 0
    assert Template.objects.get(code="case-received").subject["en"] == "Thanks"
    templates_load(overwrite=True)
    assert Template.objects.get(code="case-received").subject["en"].startswith("We received")


def test_staff_cannot_save_a_broken_template(admin_client, db):
    template = Template.objects.get(code="case-received")
    response = admin_client.post(
        f"/admin/notify/template/{template.pk}/change/",
        {
            "code": "case-received",
            "description": "",
            "subject_en": "Received {{ reference",
            "body_en": "Text",
            "subject_nl": "Ontvangen",
            "body_nl": "{% if %}",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "is not a valid template" in page
    assert Template.objects.get(pk=template.pk).subject["en"].startswith("We received")


def test_a_resident_who_chose_dutch_on_their_account_gets_messages_in_dutch(db):
    from civic.identity import services as identity
    from civic.notify.services import notification_send

    number, _other = two_residents()
    user = identity.resident_account_ensure(personal_number=number)
    identity.user_language_set(user=user, language="nl")
    message = notification_send(
        personal_number=number, template="case-received", context=CONTEXT, reference="CASE-7"
    )
    assert message.language == "nl" and "Kinderbijslag" in message.body


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("{% debug %}", "debug"),
        ('{% include "base.html" %}', "include"),
        ('{% extends "base.html" %}', "extends"),
        ("{% load i18n %}{% translate 'x' %}", "load"),
        ('{% ssi "/etc/passwd" %}', "ssi"),
        ("{% url 'home' %}", "url"),
        ("{% csrf_token %}", "csrf_token"),
        ("{% now 'Y' %}{% lorem %}", "now"),
        ("{% templatetag openblock %}", "templatetag"),
        ("{% filter upper %}x{% endfilter %}", "filter"),
        ("{% widthratio 1 2 3 %}", "widthratio"),
        ("{{ reference|pprint }}", "pprint"),
        ("{{ reference|safe }}", "safe"),
        ("{% if x %}{{ reference|json_script:'id' }}{% endif %}", "json_script"),
    ],
)
def test_a_template_may_use_only_the_allowed_tags_and_filters_and_the_check_names_the_other(
    source, named
):
    from django.template import TemplateSyntaxError

    from civic.core.errors import CivicError
    from civic.notify.rendering import render, template_check

    with pytest.raises(CivicError, match=f"“{named}”"):
        template_check(source=f"Case {{{{ reference }}}}: {source}", language="en")
    # A template stored some other way is refused when it is rendered, too.
    with pytest.raises(TemplateSyntaxError):
        render(f"Case {{{{ reference }}}}: {source}", {"reference": "A-1"}, "en")


def test_the_allowed_tags_and_filters_still_work():
    from civic.notify.rendering import render, template_check

    source = (
        "{% if due %}Answer by {{ due|date:'j F Y' }}.{% else %}No date.{% endif %} "
        "{% for offer in offers %}{{ forloop.counter }}. {{ offer|upper }} {% empty %}none{% endfor %}"
        "{% with n=count %}{{ n }} message{{ n|pluralize }}{% endwith %}{# a note #}"
        "{{ missing|default:'–' }}"
    )
    template_check(source=source, language="en")
    text = render(source, {"due": dt.date(2026, 4, 1), "offers": ["a", "b"], "count": 2}, "en")
    assert text == "Answer by 1 April 2026. 1. A 2. B 2 messages–"


def test_staff_cannot_save_a_template_with_a_forbidden_tag_and_are_told_which(admin_client, db):
    template = Template.objects.get(code="case-received")
    response = admin_client.post(
        f"/admin/notify/template/{template.pk}/change/",
        {
            "code": "case-received",
            "description": "",
            "subject_en": "Received {{ reference }}",
            "body_en": "{% debug %}",
            "subject_nl": "Ontvangen",
            "body_nl": "Tekst",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "“debug”" in page
    assert "{% debug %}" not in Template.objects.get(pk=template.pk).body["en"]
