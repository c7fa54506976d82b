"""Public advisories: a simulated river rising past its level issues a CAP 1.2 alert (valid
against the OASIS schema, by WMO's capvalidator) that reaches the residents who live in its
area or chose it, and only them, with each home look-up logged for the resident to see; the
all-clear cancels it; a faulty gauge warns nobody; the Atom feed lists what is in force."""

from __future__ import annotations

import datetime as dt

import capvalidator
import pytest
from lxml import etree

from civic.identity import services as identity
from civic.notify.models import Message
from civic.sensors import models as m
from civic.sensors import services
from civic.sensors.advisories.cap import CAP_NS, cap_xml
from civic.sensors.simulation.run import simulate
from tests.sensors.test_rules import DAY, send

pytestmark = pytest.mark.django_db
CAP = {"cap": CAP_NS}
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def _downpour(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        simulate(
            since=DAY,
            until=DAY + dt.timedelta(days=1),
            kinds=("river",),
            incident=DAY + dt.timedelta(hours=3),
        )


def test_a_river_past_its_level_warns_the_residents_of_its_area_and_gives_the_all_clear(
    gauge, django_capture_on_commit_callbacks
):
    _downpour(django_capture_on_commit_callbacks)

    issued = m.Advisory.objects.filter(state="issued").order_by("pk")
    assert [a.message_type for a in issued] == ["Alert", "Cancel"]
    alert, cancel = issued
    assert alert.neighbourhoods == [gauge["code"]] and alert.severity == "Severe"
    assert cancel.supersedes == alert
    assert alert.texts["en"]["event"] == "High water" and alert.texts["nl"]["event"] == "Hoog water"
    assert "Havenbrug" in alert.texts["en"]["headline"]

    # Both reach the resident who lives there and the one who chose the area; not the other.
    def inbox(number):
        return list(Message.objects.filter(recipient=number).order_by("pk"))

    for number in (gauge["inside"], gauge["chooser"]):
        got = inbox(number)
        assert [msg.reference for msg in got] == [alert.identifier, cancel.identifier]
        assert got[0].subject == alert.texts["en"]["headline"]
        assert got[1].texts["nl"]["subject"].startswith("Alles veilig")
    assert inbox(gauge["far"]) == []
    assert (alert.recipients, cancel.recipients) == (2, 2)


def test_each_message_is_valid_cap_1_2_and_the_cancellation_references_the_alert(
    gauge, django_capture_on_commit_callbacks, client
):
    _downpour(django_capture_on_commit_callbacks)
    alert, cancel = m.Advisory.objects.filter(state="issued").order_by("pk")
    for advisory in (alert, cancel):
        response = client.get(f"/advisories/{advisory.identifier}.cap")
        assert response["Content-Type"].startswith("application/cap+xml")
        checked = capvalidator.check_schema(response.content)
        assert checked.passed, checked.message
    document = etree.fromstring(client.get(f"/advisories/{cancel.identifier}.cap").content)
    assert document.findtext("cap:msgType", namespaces=CAP) == "Cancel"
    references = document.findtext("cap:references", namespaces=CAP).split(",")
    assert references[1] == alert.identifier
    infos = document.findall("cap:info", namespaces=CAP)
    assert [i.findtext("cap:language", namespaces=CAP) for i in infos] == ["en", "nl"]
    assert infos[0].findtext("cap:responseType", namespaces=CAP) == "AllClear"
    alert_doc = etree.fromstring(cap_xml(alert))
    area = alert_doc.find("cap:info/cap:area", namespaces=CAP)
    assert area.findtext("cap:circle", namespaces=CAP).endswith(
        f" {gauge['rule'].advisory_radius_m / 1000:g}"
    )


def test_the_home_look_up_is_logged_and_shown_to_the_resident(
    gauge, django_capture_on_commit_callbacks, client
):
    _downpour(django_capture_on_commit_callbacks)
    client.force_login(identity.resident_account_ensure(personal_number=gauge["far"]))
    page = client.get("/my/data-use/").content.decode()
    # Even the resident who got nothing sees that we looked up where they live, and why.
    assert "Warn you about your area" in page


def test_the_feed_lists_the_alert_while_in_force_and_nothing_after_the_all_clear(
    gauge, django_capture_on_commit_callbacks, client
):
    rule = gauge["rule"]
    with django_capture_on_commit_callbacks(execute=True):
        send(rule, [2.0, 2.6, 2.7, 2.8, 2.9])  # above 2.5 m for half an hour
    [alert] = m.Advisory.objects.filter(state="issued")
    feed = etree.fromstring(client.get("/advisories/feed.atom").content)
    [entry] = feed.findall("atom:entry", namespaces=ATOM)
    assert entry.findtext("atom:title", namespaces=ATOM) == alert.texts["en"]["headline"]
    link = entry.find("atom:link", namespaces=ATOM).get("href")
    assert link.endswith(f"/advisories/{alert.identifier}.cap")
    assert "Havenbrug" in client.get("/advisories/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        send(rule, [2.2], start=DAY + dt.timedelta(minutes=50))
    feed = etree.fromstring(client.get("/advisories/feed.atom").content)
    assert feed.findall("atom:entry", namespaces=ATOM) == []
    page = client.get(f"/advisories/{alert.identifier}/").content.decode()
    assert "This message is not the latest on this advisory." in page


def test_a_stuck_gauge_warns_nobody(gauge, django_capture_on_commit_callbacks):
    rule = gauge["rule"]
    with django_capture_on_commit_callbacks(execute=True):
        send(rule, [2.4] + [3.1] * 30)
    assert rule.events.filter(kind="fault").exists()
    # At most the level event before the fault was seen may warn; the fault itself never.
    assert not m.Advisory.objects.filter(event__kind="fault").exists()


def test_an_unknown_neighbourhood_is_refused_and_nothing_chosen_ends_the_subscription(gauge):
    with pytest.raises(services.SubscriptionRefused):
        services.advisory_subscription_set(
            personal_number=gauge["chooser"], home=False, neighbourhoods=["no-such-place"]
        )
    kept = m.AdvisorySubscription.objects.get(personal_number=gauge["chooser"])
    assert kept.neighbourhoods == [gauge["code"]]  # the refusal lost nothing
    services.advisory_subscription_set(
        personal_number=gauge["chooser"], home=False, neighbourhoods=[]
    )
    assert not m.AdvisorySubscription.objects.filter(personal_number=gauge["chooser"]).exists()
