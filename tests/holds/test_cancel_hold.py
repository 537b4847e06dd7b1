"""Cancelling: the queue closes up; a copy on the hold shelf goes to the next hold or back to the shelf."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kitab.circulation import services as circulation
from kitab.circulation.models import Transfer
from kitab.holds import services
from kitab.holds.errors import HoldError
from kitab.holds.models import Hold
from kitab.items.models import Item
from tests.holds.factories import place

DAY = timedelta(days=1)


def test_cancel_a_waiting_hold(patron, other, third, item, desk, t0) -> None:
    first, second, last = (place(p, item, at=t0) for p in (patron, other, third))
    services.cancel_hold(second, actor=desk, at=t0 + DAY, reason="Patron asked by phone")
    second.refresh_from_db()
    assert (second.status, second.position, second.cancelled_at, second.cancelled_by, second.cancellation_reason) == (
        Hold.Status.CANCELLED, 0, t0 + DAY, "staff:librarian", "Patron asked by phone")
    assert [h.pk for h in Hold.objects.queued().order_by("position")] == [first.pk, last.pk]
    assert list(Hold.objects.queued().order_by("position").values_list("position", flat=True)) == [1, 2]


def test_reason_required_and_only_once(patron, item, desk, t0) -> None:
    hold = place(patron, item, at=t0)
    with pytest.raises(HoldError) as excinfo:
        services.cancel_hold(hold, actor=desk, at=t0, reason="  ")
    assert excinfo.value.code == "missing_reason"
    services.cancel_hold(hold, actor=desk, at=t0, reason="duplicate")
    with pytest.raises(HoldError) as excinfo:
        services.cancel_hold(hold, actor=desk, at=t0, reason="duplicate")
    assert excinfo.value.code == "hold_not_active"


def test_cancel_on_the_shelf_passes_the_copy_on(patron, other, third, item, desk, t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    first, second = place(other, item, at=t0), place(third, item, at=t0)
    circulation.checkin(item, actor=desk, at=t0 + DAY)
    services.cancel_hold(first, actor=desk, at=t0 + 2 * DAY, reason="No longer needed")
    second.refresh_from_db()
    assert (second.status, second.trapped_item) == (Hold.Status.READY, item)
    item.refresh_from_db()
    assert item.status == Item.Status.ON_HOLD_SHELF


def test_cancel_on_the_shelf_away_from_home_sends_it_home(patron, other, item, desk, east_desk, east, main,
                                                           t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    hold = place(other, item, at=t0, pickup=east)
    circulation.checkin(item, actor=east_desk, at=t0 + DAY)
    services.cancel_hold(hold, actor=east_desk, at=t0 + 2 * DAY, reason="Moved away")
    item.refresh_from_db()
    assert item.status == Item.Status.IN_TRANSIT
    transfer = Transfer.objects.get(received_at__isnull=True)
    assert (transfer.from_branch, transfer.to_branch, transfer.arrival_status) == (east, main, "available")


def test_cancel_in_transit_releases_the_copy_on_arrival(patron, other, item, desk, east_desk, east, t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    hold = place(other, item, at=t0, pickup=east)
    circulation.checkin(item, actor=desk, at=t0 + DAY)  # in transit MAIN -> EAST
    services.cancel_hold(hold, actor=desk, at=t0 + DAY, reason="Bought it")
    circulation.receive_transfer(item, actor=east_desk, at=t0 + 2 * DAY)
    item.refresh_from_db()
    assert item.status == Item.Status.IN_TRANSIT  # on its way home again
    assert Transfer.objects.filter(received_at__isnull=True, to_branch=item.home_branch).exists()
