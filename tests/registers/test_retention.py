"""The registers' retention rules as the catalogue implies them: a record type whose every
attribute expires loses whole rows; one with attributes kept for good has the others blanked."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Q

from civic.registers import retention
from civic.registers.catalogue import REGISTERS
from civic.registers.models import BusinessRole, Income

TODAY = dt.date(2026, 11, 30)


def test_the_catalogue_gives_whole_row_rules_for_income_ownerships_and_business_roles():
    rules = {rule.key: rule for rule in retention.rules_list()}
    assert set(rules) == {
        "income.income:delete:7y",
        "vehicles.ownership:delete:5y",
        "businesses.role:delete:10y",
    }
    assert rules["income.income:delete:7y"].authority == "tax-administration"
    assert "amount" in rules["income.income:delete:7y"].attributes


def test_an_attribute_kept_shorter_than_its_record_is_blanked_not_deleted(db, monkeypatch):
    businesses = REGISTERS["businesses"]
    role = next(r for r in businesses.records if r.key == "role")
    kept = [
        a if a.name == "role" else dataclasses.replace(a, retention_years=None)
        for a in role.attributes
    ]
    changed = dataclasses.replace(businesses, records=[dataclasses.replace(role, attributes=kept)])
    monkeypatch.setitem(REGISTERS, "businesses", changed)
    [rule] = [r for r in retention.rules_list() if r.register == "businesses"]
    assert (rule.action, rule.attributes, rule.years) == ("anonymise", ("role",), 10)
    later = dt.date(2036, 11, 30)  # ten years on: every role closed by now has expired
    closed = Q(valid_to__lt=TODAY) | Q(recorded_to__lt=dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    expired = BusinessRole.objects.filter(closed)
    count, rows = expired.count(), BusinessRole.objects.count()
    assert count > 0, "the test jurisdiction has business roles that ended"
    assert retention.rule_apply(rule, today=later, dry_run=True, chunk=100) == count
    assert retention.rule_apply(rule, today=later, dry_run=False, chunk=100) == count
    assert set(expired.values_list("role", flat=True)) == {""}
    assert BusinessRole.objects.exclude(closed).exclude(role="").count() == rows - count
    assert BusinessRole.objects.count() == rows  # the rows and their people stay
    assert retention.rule_apply(rule, today=later, dry_run=False, chunk=100) == 0


def test_a_record_is_closed_by_its_end_or_by_being_superseded_whichever_came_first(db):
    rule = next(r for r in retention.rules_list() if r.key == "income.income:delete:7y")
    cutoff = dt.datetime(2019, 11, 30, tzinfo=dt.UTC)
    superseded = Income.objects.filter(recorded_to__lt=cutoff).count()
    ended = Income.objects.filter(valid_to__lt=cutoff.date()).count()
    both = Income.objects.filter(valid_to__lt=cutoff.date(), recorded_to__lt=cutoff).count()
    assert retention.rule_apply(rule, today=TODAY, dry_run=True) == superseded + ended - both
