"""The demo's residents' feedback: half a year of ratings that reach the service owner, a few
comments moderated and one acted on, made once."""

from __future__ import annotations

import datetime as dt

import pytest

from civic.core import clock
from civic.feedback.demo import feedback_demo_ensure
from civic.feedback.models import Feedback, Kind, Moderation
from civic.feedback.selectors import feedback_overview, satisfaction_months
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import create_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))


def test_the_demo_feedback_reaches_the_service_owner_over_half_a_year(owner):
    made = feedback_demo_ensure(owner=owner)

    assert made == Feedback.objects.count() > 100
    oldest = Feedback.objects.order_by("received_at").first().received_at
    assert clock.now() - oldest > dt.timedelta(days=150)
    assert len({row["month"] for row in satisfaction_months()}) >= 6
    parking = next(
        s for s in feedback_overview(user=owner) if s["service"].code == "parking-permit"
    )
    assert parking["pending"] and parking["kept"]
    assert Feedback.objects.filter(kind=Kind.PAGE_USEFUL, step="check").exists()
    acted = Feedback.objects.exclude(acted_on="").get()
    assert acted.moderation == Moderation.KEPT and "vehicle register" in acted.acted_on
    # what a resident typed of their phone number is blacked out, as in any comment
    assert "06-12345678" not in " ".join(Feedback.objects.values_list("comment", flat=True))


def test_the_demo_feedback_is_made_once(owner):
    feedback_demo_ensure(owner=owner)
    count = Feedback.objects.count()

    assert feedback_demo_ensure(owner=owner) == 0
    assert Feedback.objects.count() == count
