"""Suspending keeps the place in the queue; the hold is passed over until its date, or until resumed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kitab.circulation import services as circulation
from kitab.holds import services
from kitab.holds.errors import HoldError
from kitab.holds.models import Hold
from tests.holds.factories import place


def test_suspend_and_resume(patron, item, desk, t0) -> None:
    hold = place(patron, item, at=t0)
    services.suspend_hold(hold, until=date(2025, 3, 20), actor=desk, at=t0)
    hold.refresh_from_db()
    assert (hold.status, hold.suspended_until, hold.position) == (Hold.Status.SUSPENDED, date(2025, 3, 20), 1)
    services.resume_hold(hold, actor=desk, at=t0)
    hold.refresh_from_db()
    assert (hold.status, hold.suspended_until) == (Hold.Status.WAITING, None)
    assert [e.action for e in hold.events.all()] == ["place", "suspend", "resume"]


def test_suspension_ends_on_its_date(patron, other, item, desk, t0) -> None:
    circulation.checkout(item, other, actor=desk, at=t0)
    hold = place(patron, item, at=t0)
    services.suspend_hold(hold, until=date(2025, 3, 5), actor=desk, at=t0)
    assert circulation.checkin(item, actor=desk, at=t0 + timedelta(days=1)).hold is None  # 4 March: still suspended
    circulation.checkout(item, other, actor=desk, at=t0 + timedelta(days=1))
    assert circulation.checkin(item, actor=desk, at=t0 + timedelta(days=2)).hold == hold  # 5 March: active again


def test_expire_holds_resumes_suspensions_that_ended(patron, item, desk, t0) -> None:
    hold = place(patron, item, at=t0)
    services.suspend_hold(hold, until=date(2025, 3, 5), actor=desk, at=t0)
    report = services.expire_holds(at=t0 + timedelta(days=2), actor=desk)
    assert report.resumed == [hold.pk]
    hold.refresh_from_db()
    assert hold.status == Hold.Status.WAITING


def test_suspension_must_end_after_today(patron, item, desk, t0) -> None:
    hold = place(patron, item, at=t0)
    with pytest.raises(HoldError) as excinfo:
        services.suspend_hold(hold, until=date(2025, 3, 3), actor=desk, at=t0)
    assert excinfo.value.code == "invalid_date"


def test_only_queued_holds(patron, other, item, desk, t0) -> None:
    hold = place(patron, item, at=t0)
    with pytest.raises(HoldError) as excinfo:
        services.resume_hold(hold, actor=desk, at=t0)
    assert excinfo.value.code == "hold_not_suspended"
    circulation.checkout(item, other, actor=desk, at=t0)
    circulation.checkin(item, actor=desk, at=t0)
    with pytest.raises(HoldError) as excinfo:
        services.suspend_hold(hold, until=None, actor=desk, at=t0)
    assert excinfo.value.code == "hold_not_queued"
