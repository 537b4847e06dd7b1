"""Hold read queries: the queue, the pull list (and scanning a pulled copy), the hold shelf, a patron's holds."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kitab.circulation import services as circulation
from kitab.holds import selectors, services
from kitab.holds.errors import HoldError
from kitab.holds.models import Hold
from kitab.items.models import Item
from tests.circulation.factories import ItemFactory
from tests.holds.factories import place

DAY = timedelta(days=1)


def test_queue_for_puts_set_aside_holds_first(patron, other, third, item, desk, t0) -> None:
    circulation.checkout(item, third, actor=desk, at=t0)
    first, second = place(patron, item, at=t0), place(other, item, at=t0 + DAY)
    assert [(h.pk, h.position) for h in selectors.queue_for(item.record)] == [(first.pk, 1), (second.pk, 2)]
    circulation.checkin(item, actor=desk, at=t0 + DAY)
    assert [(h.pk, h.position) for h in selectors.queue_for(item.record)] == [(first.pk, 0), (second.pk, 1)]


def test_holds_to_pull_and_scanning_the_copy(patron, other, third, item, desk, main, east, t0) -> None:
    on_loan = ItemFactory()
    circulation.checkout(on_loan, third, actor=desk, at=t0)
    elsewhere = ItemFactory(home_branch=east)
    wanted = place(patron, item, at=t0 + DAY)  # a copy is on the shelf at MAIN
    older = place(other, item, at=t0, level="item")
    place(patron, on_loan, at=t0)  # no copy on the shelf
    place(patron, elsewhere, at=t0)  # on the shelf at EAST
    suspended = place(third, ItemFactory(), at=t0)
    services.suspend_hold(suspended, until=date(2025, 4, 1), actor=desk, at=t0)
    assert list(selectors.holds_to_pull(main, at=t0 + DAY)) == [older, wanted]

    trap = services.trap_item(item, actor=desk, at=t0 + DAY)
    assert (trap.hold, trap.destination) == (older, "hold_shelf")
    assert list(selectors.holds_to_pull(main, at=t0 + DAY)) == []
    with pytest.raises(HoldError) as excinfo:
        services.trap_item(item, actor=desk, at=t0 + DAY)
    assert excinfo.value.code == "item_not_available"


def test_hold_shelf_and_patron_holds(patron, other, item, desk, main, t0) -> None:
    circulation.checkout(item, other, actor=desk, at=t0)
    hold = place(patron, item, at=t0)
    another = place(patron, ItemFactory(), at=t0 + DAY)
    assert list(selectors.hold_shelf(main)) == []
    circulation.checkin(item, actor=desk, at=t0 + DAY)
    assert list(selectors.hold_shelf(main)) == [hold]
    assert list(selectors.patron_holds(patron)) == [hold, another]
    services.cancel_hold(another, actor=desk, at=t0 + DAY, reason="test")
    assert list(selectors.patron_holds(patron)) == [hold]
    assert Hold.objects.get(pk=hold.pk).trapped_item.status == Item.Status.ON_HOLD_SHELF
