"""Branch opening days and the due dates they produce.

A day is open when the branch has an exceptional opening that day, or else when its weekday is an opening
weekday and no closure (the branch's own or an all-branch one) covers it. Loans in days are due at the end
(23:59:59, local time) of an open day, moved forward past closed days. Loans in hours are due within the
day's closing time; a loan made after closing, or on a closed day, is due at the closing time of the next
open day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from kitab.items.models import Branch

from . import cache
from .errors import ConfigurationError
from .models import ALL_WEEKDAYS

DEFAULT_CLOSES_AT = time(20, 0)
END_OF_DAY = time(23, 59, 59)
SEARCH_DAYS = 366  # how far next_open_day looks before declaring the calendar broken


@dataclass(frozen=True, slots=True)
class _Week:
    open_weekdays: frozenset[int]
    closes_at: time


def _week(branch: Branch) -> _Week:
    weekdays, closes_at = cache.current().weeks().get(branch.pk, (ALL_WEEKDAYS, DEFAULT_CLOSES_AT))
    return _Week(frozenset(int(ch) for ch in weekdays if ch.isdigit()), closes_at)


def closes_at(branch: Branch) -> time:
    return _week(branch).closes_at


def _closures(branch: Branch, start: date, end: date) -> set[date]:
    closed: set[date] = set()
    ranges = [(first, last) for branch_id, first, last in cache.current().closures()
              if branch_id in (None, branch.pk) and first <= end and last >= start]
    for first, last in ranges:
        day = max(first, start)
        while day <= min(last, end):
            closed.add(day)
            day += timedelta(days=1)
    return closed


def _openings(branch: Branch, start: date, end: date) -> set[date]:
    return {day for day in cache.current().openings().get(branch.pk, ()) if start <= day <= end}


def _first_open(branch: Branch, day: date, week: _Week) -> date:
    # The answer depends only on the cached settings, so it is memoised with them.
    memo = cache.current().memo
    key = ("first_open", branch.pk, day)
    if key not in memo:
        if len(memo) > 10_000:
            memo.clear()
        memo[key] = _search_first_open(branch, day, week)
    return memo[key]  # type: ignore[no-any-return]


def _search_first_open(branch: Branch, day: date, week: _Week) -> date:
    end = day + timedelta(days=SEARCH_DAYS)
    closed = _closures(branch, day, end)
    opened: set[date] | None = None  # looked up only when some day on the way is closed
    while day <= end:
        if day.isoweekday() in week.open_weekdays and day not in closed:
            return day
        if opened is None:
            opened = _openings(branch, day, end)
        if day in opened:
            return day
        day += timedelta(days=1)
    raise ConfigurationError("no_open_day", _("Branch %(branch)s has no open day in the coming year.")
                             % {"branch": branch.code})


def is_open(branch: Branch, day: date) -> bool:
    return _first_open(branch, day, _week(branch)) == day


def next_open_day(branch: Branch, day: date) -> date:
    """`day` itself when the branch is open then, else the first open day after it.

    Raises ConfigurationError no_open_day when nothing is open within a year."""
    return _first_open(branch, day, _week(branch))


def _aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def due_at(branch: Branch, *, start: datetime, period: int, unit: str) -> datetime:
    """When a loan (or renewal) of `period` `unit`s ("days" or "hours") made at `start` at `branch` is due."""
    week = _week(branch)
    if unit == "hours":
        local = timezone.localtime(start)
        today = local.date()
        if _first_open(branch, today, week) == today:
            closing = _aware(today, week.closes_at)
            if local < closing:
                return min(start + timedelta(hours=period), closing)
        return _aware(_first_open(branch, today + timedelta(days=1), week), week.closes_at)
    day = timezone.localdate(start) + timedelta(days=period)
    return _aware(_first_open(branch, day, week), END_OF_DAY)
