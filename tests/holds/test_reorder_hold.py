"""Staff move a hold within its record's queue; the others keep their order."""

from __future__ import annotations

import pytest

from kitab.circulation import services as circulation
from kitab.holds import selectors, services
from kitab.holds.errors import HoldError
from tests.holds.factories import place
from tests.patrons.factories import PatronFactory


def test_move_to_the_front(patron, other, third, item, desk, t0) -> None:
    first, second, last = (place(p, item, at=t0) for p in (patron, other, third))
    services.reorder_hold(last, new_position=1, actor=desk, at=t0)
    assert [h.pk for h in selectors.queue_for(item.record)] == [last.pk, first.pk, second.pk]
    assert last.events.last().note == "3->1"
    services.reorder_hold(last, new_position=3, actor=desk, at=t0)
    assert [h.pk for h in selectors.queue_for(item.record)] == [first.pk, second.pk, last.pk]


def test_the_new_order_decides_who_gets_the_copy(patron, other, item, desk, t0) -> None:
    borrower = PatronFactory()
    circulation.checkout(item, borrower, actor=desk, at=t0)
    place(patron, item, at=t0)
    second = place(other, item, at=t0)
    services.reorder_hold(second, new_position=1, actor=desk, at=t0)
    assert circulation.checkin(item, actor=desk, at=t0).hold == second


def test_position_out_of_range(patron, other, item, desk, t0) -> None:
    hold = place(patron, item, at=t0)
    place(other, item, at=t0)
    for position in (0, 3):
        with pytest.raises(HoldError) as excinfo:
            services.reorder_hold(hold, new_position=position, actor=desk, at=t0)
        assert excinfo.value.code == "invalid_position"
