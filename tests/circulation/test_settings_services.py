"""settings_services: rules, a branch's week and closures are validated, saved and audited."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from django.utils import timezone

from kitab.circulation import calendar, policy, settings_services
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import (
    BranchCalendar,
    CirculationRule,
    Closure,
    ExceptionalOpening,
    SettingsChange,
)
from tests.circulation.factories import ItemTypeFactory


def test_save_rule_creates_audits_and_is_seen_by_policy_at_once(rule, main, desk, t0):
    dvd = ItemTypeFactory(code="DVD")
    assert policy.rule_for(main, None, dvd).rule == rule
    created = settings_services.save_rule(rule=None, values={"branch": main, "item_type": dvd, "loan_period": 3,
                                                             "fine_per_day": Decimal("1.00")}, actor=desk, at=t0)
    assert policy.rule_for(main, None, dvd).rule == created  # the cache token changed with the save
    change = SettingsChange.objects.get()
    assert change.action == "rule_saved" and change.at == t0
    assert (change.actor_name, change.actor_branch, change.actor_channel) == ("staff:librarian", "MAIN", "staff")
    assert change.values["loan_period"] == 3 and change.values["fine_per_day"] == "1.00"
    assert "branch MAIN" in change.subject and "item type DVD" in change.subject


def test_changing_a_rule_keeps_fields_not_given(rule, desk, t0):
    settings_services.save_rule(rule=rule, values={"max_loans": 8}, actor=desk, at=t0)
    rule.refresh_from_db()
    assert (rule.max_loans, rule.loan_period) == (8, 14)


@pytest.mark.parametrize(("values", "code"), [
    ({"loan_period": -1}, "invalid_rule"),
    ({"fine_per_day": Decimal("-0.10")}, "invalid_rule"),
    ({"fine_per_day": Decimal("1.00"), "fine_cap": Decimal("0.50")}, "invalid_rule"),
    ({"loan_unit": "weeks"}, "invalid_rule"),
    ({"colour": "red"}, "unknown_field"),
])
def test_bad_values_are_refused_and_nothing_changes(rule, desk, t0, values, code):
    with pytest.raises(CirculationError) as refusal:
        settings_services.save_rule(rule=rule, values=values, actor=desk, at=t0)
    assert refusal.value.code == code and refusal.value.message
    rule.refresh_from_db()
    assert rule.loan_period == 14 and rule.loan_unit == "days"
    assert not SettingsChange.objects.exists()


def test_one_rule_per_scope_and_the_default_keeps_its_scope(rule, main, desk, t0):
    settings_services.save_rule(rule=None, values={"branch": main}, actor=desk, at=t0)
    with pytest.raises(CirculationError) as clash:
        settings_services.save_rule(rule=None, values={"branch": main, "loan_period": 3}, actor=desk, at=t0)
    assert clash.value.code == "rule_exists"
    with pytest.raises(CirculationError) as scope:
        settings_services.save_rule(rule=rule, values={"branch": main}, actor=desk, at=t0)
    assert scope.value.code == "default_rule_scope"
    assert CirculationRule.objects.count() == 2


def test_delete_rule_audits_and_the_default_rule_stays(rule, main, desk, t0):
    branch_rule = settings_services.save_rule(rule=None, values={"branch": main, "loan_period": 7}, actor=desk,
                                              at=t0)
    settings_services.delete_rule(branch_rule, actor=desk, at=t0)
    assert policy.rule_for(main, None, None).rule == rule
    deleted = SettingsChange.objects.get(action="rule_deleted")
    assert deleted.values["loan_period"] == 7
    with pytest.raises(CirculationError) as refusal:
        settings_services.delete_rule(rule, actor=desk, at=t0)
    assert refusal.value.code == "default_rule_required"
    assert CirculationRule.objects.filter(pk=rule.pk).exists()


def test_save_week_moves_due_dates_and_audits(rule, main, desk, t0):
    week = settings_services.save_week(main, open_weekdays="51234", closes_at=time(18, 0), actor=desk, at=t0)
    assert week.open_weekdays == "12345" and BranchCalendar.objects.get(branch=main).closes_at == time(18, 0)
    # 3 March 2025 is a Monday: 5 days later is Saturday, closed now, so the loan is due on Monday
    due = calendar.due_at(main, start=t0, period=5, unit="days")
    assert timezone.localdate(due) == date(2025, 3, 10)
    assert SettingsChange.objects.get().values == {"branch": "MAIN", "open_weekdays": "12345", "closes_at": "18:00"}
    for bad in ("", "1238", "Mon"):
        with pytest.raises(CirculationError) as refusal:
            settings_services.save_week(main, open_weekdays=bad, closes_at=time(18, 0), actor=desk, at=t0)
        assert refusal.value.code == "invalid_calendar"


def test_closures_are_added_checked_and_removed(rule, main, desk, t0):
    closure = settings_services.add_closure(branch=None, name=" Novruz ", start_date=date(2025, 3, 20),
                                            end_date=date(2025, 3, 24), actor=desk, at=t0)
    assert closure.name == "Novruz" and Closure.objects.count() == 1
    for name, start, end in (("", date(2025, 1, 1), date(2025, 1, 1)), ("Back to front", date(2025, 1, 2),
                                                                         date(2025, 1, 1))):
        with pytest.raises(CirculationError) as refusal:
            settings_services.add_closure(branch=main, name=name, start_date=start, end_date=end, actor=desk, at=t0)
        assert refusal.value.code == "invalid_closure"
    settings_services.remove_closure(closure, actor=desk, at=t0)
    assert not Closure.objects.exists()
    assert list(SettingsChange.objects.order_by("pk").values_list("action", flat=True)) == [
        "closure_added", "closure_removed"]


def test_exceptional_openings_open_a_closed_day(rule, main, desk, t0):
    settings_services.save_week(main, open_weekdays="12345", closes_at=time(18, 0), actor=desk, at=t0)
    saturday = date(2025, 3, 8)
    settings_services.add_opening(main, day=saturday, name="Exam Saturday", actor=desk, at=t0)
    due = calendar.due_at(main, start=t0, period=5, unit="days")
    assert timezone.localdate(due) == saturday  # open that day, so not pushed to Monday
    with pytest.raises(CirculationError) as twice:
        settings_services.add_opening(main, day=saturday, name="", actor=desk, at=t0)
    assert twice.value.code == "invalid_opening"
    settings_services.remove_opening(main_opening := ExceptionalOpening.objects.get(), actor=desk, at=t0)
    assert not ExceptionalOpening.objects.filter(pk=main_opening.pk).exists()
    assert timezone.localdate(calendar.due_at(main, start=t0, period=5, unit="days")) == date(2025, 3, 10)
