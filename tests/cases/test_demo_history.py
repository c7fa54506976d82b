"""The demo's twelve weeks of applications: made through the real services, spread over time,
so the workbench and the backlog show something on a new demo."""

from __future__ import annotations

from civic.cases.demo import demo_history_ensure
from civic.cases.models import Case
from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import create_staff


def test_the_demo_history_fills_the_queue_and_the_backlog(client, db, settings):
    from tests.exchange.builders import create_purpose

    create_purpose(code=settings.OWN_DATA_PURPOSE)
    caseworker = create_staff(
        roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"), username="caseworker"
    )
    assert demo_history_ensure(count=30, seed=3) == 30
    assert demo_history_ensure(count=30, seed=3) == 0  # once
    cases = Case.objects.all()
    assert (
        cases.filter(closed_at__isnull=False).exists()
        and cases.filter(closed_at__isnull=True).exists()
    )
    assert all(c.submission.prefilled["given_names"]["confirmed"] for c in cases)
    client.force_login(caseworker)
    figures = client.get("/staff/cases/backlog/?format=json").json()
    assert figures["open"] == cases.filter(closed_at__isnull=True).count()
    assert (
        sum(w["in"] for w in figures["weekly"]) > 0 and sum(w["out"] for w in figures["weekly"]) > 0
    )
    page = client.get("/staff/cases/").content.decode()
    assert cases.filter(closed_at__isnull=True).first().reference in page or "open case" in page
