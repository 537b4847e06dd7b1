"""Opening days, holidays, exceptions and the due dates they give."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from kitab.circulation import calendar
from kitab.circulation.errors import ConfigurationError
from kitab.circulation.models import BranchCalendar, Closure, ExceptionalOpening
from tests.patrons.factories import BranchFactory

MON = date(2025, 3, 3)


@pytest.fixture
def weekdays_only(main):  # type: ignore[no-untyped-def]
    BranchCalendar.objects.create(branch=main, open_weekdays="12345", closes_at=time(18, 0))
    return main


def test_without_a_calendar_every_day_is_open(main) -> None:
    assert calendar.next_open_day(main, date(2025, 3, 8)) == date(2025, 3, 8)
    assert calendar.closes_at(main) == time(20, 0)


def test_weekend_moves_to_monday(weekdays_only) -> None:
    assert calendar.next_open_day(weekdays_only, date(2025, 3, 8)) == date(2025, 3, 10)
    assert calendar.is_open(weekdays_only, date(2025, 3, 7))


def test_holiday_ranges_and_single_days(weekdays_only) -> None:
    Closure.objects.create(branch=weekdays_only, name="Novruz", start_date=date(2025, 3, 20), end_date=date(2025, 3, 24))
    Closure.objects.create(branch=None, name="Women's Day", start_date=date(2025, 3, 7), end_date=date(2025, 3, 7))
    assert calendar.next_open_day(weekdays_only, date(2025, 3, 20)) == date(2025, 3, 25)
    assert calendar.next_open_day(weekdays_only, date(2025, 3, 7)) == date(2025, 3, 10)  # all-branch closure
    other = BranchFactory(code="EAST")
    assert calendar.next_open_day(other, date(2025, 3, 20)) == date(2025, 3, 20)  # only MAIN closes for Novruz


def test_exceptional_opening_beats_weekday_and_holiday(weekdays_only) -> None:
    Closure.objects.create(branch=None, name="Holiday", start_date=date(2025, 3, 7), end_date=date(2025, 3, 9))
    ExceptionalOpening.objects.create(branch=weekdays_only, date=date(2025, 3, 8), name="Book fair")
    assert calendar.next_open_day(weekdays_only, date(2025, 3, 7)) == date(2025, 3, 8)


def test_day_loans_are_due_at_the_end_of_an_open_day(weekdays_only) -> None:
    # 14 days after Monday 3 March at 10:00 is Monday 17 March; 12 days lands on Saturday 15 -> Monday 17.
    start = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
    assert calendar.due_at(weekdays_only, start=start, period=14, unit="days") == datetime(2025, 3, 17, 23, 59, 59,
                                                                                           tzinfo=UTC)
    assert calendar.due_at(weekdays_only, start=start, period=12, unit="days").date() == date(2025, 3, 17)


def test_hour_loans_stop_at_closing_time(weekdays_only) -> None:
    morning = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
    assert calendar.due_at(weekdays_only, start=morning, period=3, unit="hours") == morning + timedelta(hours=3)
    late = datetime(2025, 3, 3, 16, 30, tzinfo=UTC)
    assert calendar.due_at(weekdays_only, start=late, period=3, unit="hours") == datetime(2025, 3, 3, 18, 0, tzinfo=UTC)
    after_closing = datetime(2025, 3, 7, 19, 0, tzinfo=UTC)  # Friday evening -> Monday's closing time
    assert calendar.due_at(weekdays_only, start=after_closing, period=3, unit="hours") == datetime(
        2025, 3, 10, 18, 0, tzinfo=UTC)


def test_due_dates_use_the_local_time_zone(main, settings) -> None:
    settings.TIME_ZONE = "Asia/Baku"  # UTC+4
    start = datetime(2025, 3, 3, 22, 0, tzinfo=UTC)  # already Tuesday 02:00 in Baku
    due = calendar.due_at(main, start=start, period=1, unit="days")
    assert due == datetime(2025, 3, 5, 19, 59, 59, tzinfo=UTC)  # Wednesday 23:59:59 Baku


def test_a_branch_that_never_opens(main) -> None:
    BranchCalendar.objects.create(branch=main, open_weekdays="")
    with pytest.raises(ConfigurationError) as excinfo:
        calendar.next_open_day(main, MON)
    assert excinfo.value.code == "no_open_day"
