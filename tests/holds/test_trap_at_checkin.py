"""Check-in sets a returned copy aside for the first hold it may fill: on the hold shelf here, or in transit to
the pickup branch, where receiving it puts it on the hold shelf."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from kitab.circulation import services as circulation
from kitab.circulation.models import BranchCalendar, Transfer
from kitab.holds import services
from kitab.holds.models import Hold, HoldSettings
from kitab.items.models import Item
from tests.holds.factories import place

DAY = timedelta(days=1)


def _ready(hold: Hold) -> Hold:
    hold.refresh_from_db()
    return hold


def test_returned_at_the_pickup_branch_goes_on_the_hold_shelf(patron, other, item, desk, t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    hold = place(other, item, at=t0 + DAY)
    result = circulation.checkin(item, actor=desk, at=t0 + 2 * DAY)
    assert (result.destination, result.transfer, result.hold) == ("hold_shelf", None, hold)
    hold = _ready(hold)
    assert (hold.status, hold.trapped_item, hold.position, hold.ready_at) == (
        Hold.Status.READY, item, 0, t0 + 2 * DAY)
    # 7 shelf days from Wednesday 5 March: Wednesday 12 March, at closing time (20:00 without a calendar)
    assert hold.pickup_deadline == datetime(2025, 3, 12, 20, 0, tzinfo=UTC)
    item.refresh_from_db()
    assert item.status == Item.Status.ON_HOLD_SHELF
    assert Transfer.objects.count() == 0


def test_deadline_moves_to_the_next_open_day(patron, other, item, desk, main, t0) -> None:
    BranchCalendar.objects.create(branch=main, open_weekdays="12345", closes_at="18:00")
    HoldSettings.objects.create(branch=None, shelf_days=5)
    circulation.checkout(item, patron, actor=desk, at=t0)
    hold = place(other, item, at=t0)
    circulation.checkin(item, actor=desk, at=t0)
    # Monday + 5 days = Saturday (closed): Monday 10 March, 18:00
    assert _ready(hold).pickup_deadline == datetime(2025, 3, 10, 18, 0, tzinfo=UTC)


def test_returned_elsewhere_travels_to_the_pickup_branch(patron, other, item, desk, east_desk, east, main,
                                                         t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    hold = place(other, item, at=t0, pickup=east)
    result = circulation.checkin(item, actor=desk, at=t0 + DAY)  # returned at MAIN, collected at EAST
    assert result.destination == "transit" and result.hold == hold
    assert (result.transfer.from_branch, result.transfer.to_branch) == (main, east)
    assert result.transfer.arrival_status == Item.Status.ON_HOLD_SHELF
    assert _ready(hold).status == Hold.Status.IN_TRANSIT
    item.refresh_from_db()
    assert item.status == Item.Status.IN_TRANSIT

    circulation.receive_transfer(item, actor=east_desk, at=t0 + 2 * DAY)
    hold = _ready(hold)
    assert (hold.status, hold.ready_at) == (Hold.Status.READY, t0 + 2 * DAY)
    item.refresh_from_db()
    assert (item.status, item.holding_branch) == (Item.Status.ON_HOLD_SHELF, east)


def test_returned_elsewhere_for_a_hold_there_stays(patron, other, item, desk, east_desk, east, t0) -> None:
    """The transfer home the return would make is dropped: the copy stays at EAST on the hold shelf."""
    circulation.checkout(item, patron, actor=desk, at=t0)
    hold = place(other, item, at=t0, pickup=east)
    result = circulation.checkin(item, actor=east_desk, at=t0 + DAY)
    assert (result.destination, result.transfer) == ("hold_shelf", None)
    assert Transfer.objects.count() == 0
    assert _ready(hold).status == Hold.Status.READY


def test_copy_level_holds_come_first(patron, other, third, item, desk, t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    record_hold = place(other, item, at=t0)
    copy_hold = place(third, item, at=t0 + DAY, level="item")
    circulation.checkin(item, actor=desk, at=t0 + 2 * DAY)
    assert _ready(copy_hold).status == Hold.Status.READY
    assert _ready(record_hold).status == Hold.Status.WAITING


def test_suspended_and_expired_holds_are_passed_over(patron, other, third, item, desk, t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    suspended = place(other, item, at=t0)
    services.suspend_hold(suspended, until=date(2025, 4, 1), actor=desk, at=t0)
    expired = place(third, item, at=t0, expires_at=t0 + DAY)
    result = circulation.checkin(item, actor=desk, at=t0 + 2 * DAY)
    assert result.destination == "shelve" and result.hold is None
    assert _ready(suspended).status == Hold.Status.SUSPENDED
    assert _ready(expired).status == Hold.Status.WAITING  # expire_holds ends it


def test_pickup_branch_taking_no_transfers(patron, other, third, item, desk, east, t0) -> None:
    HoldSettings.objects.create(branch=east, accepts_transfers=False)
    circulation.checkout(item, patron, actor=desk, at=t0)
    far = place(other, item, at=t0, pickup=east)
    near = place(third, item, at=t0 + DAY)
    circulation.checkin(item, actor=desk, at=t0 + 2 * DAY)
    assert _ready(far).status == Hold.Status.WAITING
    assert _ready(near).status == Hold.Status.READY


def test_replayed_checkin_reports_the_hold_shelf(patron, other, item, desk, t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    hold = place(other, item, at=t0)
    circulation.checkin(item, actor=desk, at=t0 + DAY, idempotency_key="ret-1")
    again = circulation.checkin(item, actor=desk, at=t0 + DAY, idempotency_key="ret-1")
    assert (again.replayed, again.destination, again.hold) == (True, "hold_shelf", hold)


def test_not_for_loan_copy_is_not_trapped(patron, other, item, supervisor, desk, t0) -> None:
    """A reference copy lent by override goes back to not-for-loan, never to the hold shelf."""
    hold = place(other, item, at=t0)
    item.status = Item.Status.NOT_FOR_LOAN
    item.save()
    circulation.checkout(item, patron, actor=supervisor, at=t0, override=True)
    result = circulation.checkin(item, actor=desk, at=t0 + DAY)
    assert result.hold is None
    assert _ready(hold).status == Hold.Status.WAITING
