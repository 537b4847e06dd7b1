"""Daily expiry: holds not filled in time end; holds not collected end and their copy moves on."""

from __future__ import annotations

from datetime import timedelta

from kitab.circulation import services as circulation
from kitab.holds import services
from kitab.holds.models import Hold
from kitab.items.models import Item
from tests.holds.factories import place

DAY = timedelta(days=1)


def test_unfilled_holds_expire(patron, other, item, desk, t0) -> None:
    short = place(patron, item, at=t0, expires_at=t0 + 3 * DAY)
    longer = place(other, item, at=t0)
    assert services.expire_holds(at=t0 + 2 * DAY, actor=desk).expired_unfilled == []
    report = services.expire_holds(at=t0 + 3 * DAY, actor=desk)
    assert report.expired_unfilled == [short.pk]
    short.refresh_from_db()
    longer.refresh_from_db()
    assert (short.status, short.expired_at, short.expired_uncollected) == (Hold.Status.EXPIRED, t0 + 3 * DAY, False)
    assert longer.position == 1


def test_uncollected_hold_passes_the_copy_to_the_next(patron, other, third, item, desk, t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    first, second = place(other, item, at=t0), place(third, item, at=t0)
    circulation.checkin(item, actor=desk, at=t0)
    first.refresh_from_db()
    assert services.expire_holds(at=first.pickup_deadline, actor=desk).expired_uncollected == []
    report = services.expire_holds(at=first.pickup_deadline + timedelta(minutes=1), actor=desk)
    assert (report.expired_uncollected, report.retrapped) == ([first.pk], [second.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.expired_uncollected) == (Hold.Status.EXPIRED, True)
    assert (second.status, second.trapped_item) == (Hold.Status.READY, item)
    assert second.pickup_deadline > first.pickup_deadline


def test_uncollected_hold_without_a_next_is_shelved(patron, other, item, desk, t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    hold = place(other, item, at=t0)
    circulation.checkin(item, actor=desk, at=t0)
    report = services.expire_holds(at=t0 + 30 * DAY, actor=desk)
    assert (report.expired_uncollected, report.retrapped) == ([hold.pk], [])
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE
