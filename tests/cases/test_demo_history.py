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
    assert demo_history_ensure(count=30, seed=3, history=0) == 30
    assert demo_history_ensure(count=30, seed=3, history=0) == 0  # once
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


def test_a_year_of_history_looks_like_a_real_municipalitys(client, db, settings):
    from collections import Counter

    from civic.cases.models import CaseEvent, Decision
    from civic.cases.selectors import expected_decision
    from civic.core import clock
    from tests.exchange.builders import create_purpose

    create_purpose(code=settings.OWN_DATA_PURPOSE)
    caseworker = create_staff(
        roles=[Role.CASEWORKER], agency=agency_get(code="havenstad"), username="caseworker"
    )
    made = demo_history_ensure(count=10, seed=2, history=1200)
    assert made >= 1150  # a clash of references skips one now and then
    cases = Case.objects.all()
    states = Counter(cases.values_list("state", flat=True))
    # Every state of the workflow, most of the year decided.
    assert set(states) == {"received", "in_review", "waiting", "decided", "withdrawn"}
    assert states["decided"] > 0.6 * made and states["withdrawn"] < 0.1 * made
    # A decided case took days to weeks, its events in order, its decision in the timeline.
    durations = sorted((c.closed_at - c.opened_at).days for c in cases.filter(state="decided"))
    median = durations[len(durations) // 2]
    assert 10 <= median <= 30 and durations[-1] <= 3 * 56
    for case in cases.filter(state="decided"):  # every one: the plan is drawn from the date
        kinds = list(case.events.order_by("at", "pk").values_list("kind", flat=True))
        assert kinds[0] == CaseEvent.Kind.OPENED and kinds[-1] == CaseEvent.Kind.DECIDED
        assert Decision.objects.get(case=case).decided_at == case.closed_at
    # Some are past their legal deadline, as in any municipality; none waits without a start.
    assert cases.filter(closed_at__isnull=True, deadline__lt=clock.today()).exists()
    assert not cases.filter(state="waiting", suspended_since__isnull=True).exists()
    # Inflow every week of the year, and an expected decision range from the history.
    client.force_login(caseworker)
    weekly = client.get("/staff/cases/backlog/?format=json").json()["weekly"]
    assert all(week["in"] > 0 for week in weekly)
    expected = expected_decision(case=cases.filter(closed_at__isnull=True).first())
    assert expected["from_history"] and expected["sample"] == 200
