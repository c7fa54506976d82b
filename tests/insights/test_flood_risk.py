"""The flood-risk forecast (issue 20, item 4): a model learnt from the stored river and rain
readings beats climatology on hours it did not learn from; a downpour raises a gauge's chance
of high water and drafts a warning for the operators before the river crosses its line, which
is withdrawn when the chance has passed; the public page shows each neighbourhood's chance,
the scores and the reliability table, in both languages; what cannot be judged is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from civic.identity.models import Role
from civic.identity.selectors import agency_get
from civic.insights.flood_risk.services import (
    FloodRiskRefused,
    flood_risk_assess,
    flood_risk_train,
)
from civic.insights.models import FloodRiskAssessment, FloodRiskModel
from civic.insights.tasks import flood_risk_assess_task
from civic.notify.models import Message
from civic.sensors import models as m
from civic.sensors.advisories.issuing import advisory_issue
from civic.sensors.simulation.network import RIVER_RULE, network_ensure
from civic.sensors.simulation.run import simulate
from tests.builders import create_staff

pytestmark = pytest.mark.django_db
DAY = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
HISTORY_DAYS = 300


def _gauges() -> list[m.Rule]:
    streams = network_ensure()
    quiet = {**RIVER_RULE, "advisory": "none"}  # the rule's own events warn nobody here
    return [
        m.Rule.objects.create(
            name=f"High water {key}", datastream_id=streams[(key, "water_level")], **quiet
        )
        for key in ("river-havenbrug", "river-molenkade")
    ]


@pytest.fixture
def trained(settings):
    settings.INSIGHTS_FLOOD_RISK_TRAINING_DAYS = HISTORY_DAYS
    rules = _gauges()
    simulate(
        since=DAY - dt.timedelta(days=HISTORY_DAYS),
        until=DAY,
        step_minutes=60,
        seed=2,
        kinds=("river", "rain"),
    )
    return {"rules": rules, "model": flood_risk_train(until=DAY)}


def _downpour(django_capture_on_commit_callbacks, days=3):
    """A downpour of six hours from 03:00 on DAY, and the days after it."""
    with django_capture_on_commit_callbacks(execute=True):
        simulate(
            since=DAY,
            until=DAY + dt.timedelta(days=days),
            seed=5,
            kinds=("river", "rain"),
            incident=DAY + dt.timedelta(hours=3),
        )


def test_the_model_learnt_from_the_stored_readings_beats_climatology(trained):
    model = trained["model"]
    scored = model.evaluation
    assert model.hours_ahead == 12 and model.until == DAY
    assert set(model.split) == {"learn", "calibrate", "score"}
    assert all(part["events"] > 0 for part in model.split.values())
    # Scored on the last fifth, which it did not learn from, against always saying the base rate.
    assert scored["hours"] == model.split["score"]["hours"] and scored["events"] > 0
    assert scored["brier"] < scored["brier_climatology"] and scored["skill"] > 0.2
    assert len(scored["reliability"]) == 10
    assert sum(row["hours"] for row in scored["reliability"]) == scored["hours"]
    # Where it says "almost surely", high water mostly came; where it says "hardly", rarely.
    top, bottom = scored["reliability"][-1], scored["reliability"][0]
    assert top["observed"] > 0.7 and bottom["observed"] < 0.05


def test_a_downpour_drafts_a_warning_before_the_river_crosses_and_withdraws_it_after(
    trained, django_capture_on_commit_callbacks
):
    _downpour(django_capture_on_commit_callbacks)
    havenbrug = trained["rules"][0].datastream_id
    before = flood_risk_assess(at=DAY + dt.timedelta(hours=2))
    assert all(a.probability < 0.2 and a.advisory is None for a in before)

    during = {a.datastream_id: a for a in flood_risk_assess(at=DAY + dt.timedelta(hours=5))}
    assessment = during[havenbrug]
    assert assessment.probability >= 0.5 and assessment.level < assessment.flood_level
    warning = assessment.advisory
    assert warning.state == "draft" and warning.message_type == "Alert"
    assert (warning.urgency, warning.certainty) == ("Expected", "Likely")
    assert warning.drafted_by == "flood-risk forecast"
    assert warning.neighbourhoods == assessment.neighbourhoods != []
    assert warning.texts["en"]["headline"].startswith("Chance of high water at")
    assert warning.texts["nl"]["event"] != warning.texts["en"]["event"]
    assert not Message.objects.exists()  # a draft reaches nobody

    # The next hours carry the same draft; no second one.
    later = {a.datastream_id: a for a in flood_risk_assess(at=DAY + dt.timedelta(hours=6))}
    assert later[havenbrug].advisory == warning
    assert m.Advisory.objects.filter(drafted_by="flood-risk forecast").count() == 2  # a gauge each

    # Days later the river is back and the chance has passed: the draft is discarded.
    after = {a.datastream_id: a for a in flood_risk_assess(at=DAY + dt.timedelta(hours=70))}
    assert after[havenbrug].probability < 0.25 and after[havenbrug].advisory is None
    warning.refresh_from_db()
    assert warning.state == "discarded"


def test_an_issued_forecast_warning_gets_its_cancellation_drafted_for_the_operator(
    trained, django_capture_on_commit_callbacks
):
    _downpour(django_capture_on_commit_callbacks)
    havenbrug = trained["rules"][0].datastream_id
    assessment = next(
        a for a in flood_risk_assess(at=DAY + dt.timedelta(hours=5)) if a.datastream_id == havenbrug
    )
    operator = create_staff(roles=[Role.CITY_OPERATOR], agency=agency_get(code="havenstad"))
    warning = assessment.advisory
    with django_capture_on_commit_callbacks(execute=True):
        advisory_issue(
            user=operator, advisory_id=warning.pk, texts=warning.texts, severity="Severe"
        )
    flood_risk_assess(at=DAY + dt.timedelta(hours=70))
    cancel = m.Advisory.objects.get(supersedes=warning)
    assert cancel.message_type == "Cancel" and cancel.state == "draft"
    assert cancel.certainty == "Likely" and cancel.drafted_by == "flood-risk forecast"
    assert cancel.texts["en"]["headline"].startswith("Cancelled: chance of high water")


def test_the_public_page_shows_each_neighbourhoods_chance_and_the_scores(
    trained, client, django_capture_on_commit_callbacks
):
    _downpour(django_capture_on_commit_callbacks, days=1)
    [first, *_] = flood_risk_assess(at=DAY + dt.timedelta(hours=5))
    page = client.get("/performance/flood-risk/").content.decode()
    assert first.names[0] in page and "Brier" in page
    assert f"{round(first.probability * 100)} %" in page
    assert "Reliability per band of chance" in page and "<svg" in page
    dutch = client.get("/performance/flood-risk/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert first.names[0] in dutch and "Kans op hoog water" in dutch


def test_the_page_says_when_nothing_has_been_assessed(client):
    page = client.get("/performance/flood-risk/")
    assert page.status_code == 200
    assert "There is no recent assessment" in page.content.decode()
    assert "No model has been trained yet" in page.content.decode()


def test_what_cannot_be_judged_is_refused(settings):
    with pytest.raises(FloodRiskRefused, match="No river gauge"):
        flood_risk_train(until=DAY)
    _gauges()
    with pytest.raises(FloodRiskRefused, match="no flood-risk model"):
        flood_risk_assess(at=DAY)
    assert flood_risk_assess_task() == {}  # the hourly task logs it and goes on
    # A day of dry readings holds no high water to learn from.
    settings.INSIGHTS_FLOOD_RISK_TRAINING_DAYS = 2
    simulate(since=DAY - dt.timedelta(days=2), until=DAY, seed=3, kinds=("river", "rain"))
    with pytest.raises(FloodRiskRefused, match="hours before high water"):
        flood_risk_train(until=DAY)
    assert not FloodRiskModel.objects.exists()


def test_a_gauge_without_the_last_days_readings_is_left_out(trained):
    # Nothing was read after DAY: a week later there is nothing to judge.
    assert flood_risk_assess(at=DAY + dt.timedelta(days=7)) == []
    assert not FloodRiskAssessment.objects.exists()


def test_the_command_trains_and_assesses_and_refuses_a_time_without_offset(trained, capsys):
    call_command("insights", "flood-risk", "train", "--at", DAY.isoformat())
    assert "skill" in capsys.readouterr().out
    assert FloodRiskModel.objects.count() == 2
    call_command(
        "insights", "flood-risk", "assess", "--at", (DAY - dt.timedelta(hours=1)).isoformat()
    )
    assert "within 12 h" in capsys.readouterr().out
    with pytest.raises(CommandError, match="offset"):
        call_command("insights", "flood-risk", "assess", "--at", "2026-11-02T06:00")


def test_only_the_latest_models_and_three_months_of_assessments_are_kept(trained):
    from civic.insights.flood_risk.services import MODELS_KEPT

    for _ in range(MODELS_KEPT):
        flood_risk_train(until=DAY)
    assert FloodRiskModel.objects.count() == MODELS_KEPT
    assert not FloodRiskModel.objects.filter(pk=trained["model"].pk).exists()
    flood_risk_assess(at=DAY - dt.timedelta(days=120))
    assert FloodRiskAssessment.objects.count() == 2  # a gauge each
    flood_risk_assess(at=DAY)
    assert set(FloodRiskAssessment.objects.values_list("at", flat=True)) == {DAY}
