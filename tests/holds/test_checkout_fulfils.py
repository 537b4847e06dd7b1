"""Checking out a copy set aside for a patron fulfils their hold; nobody else may take it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kitab.circulation import services as circulation
from kitab.circulation.errors import CirculationError
from kitab.holds.models import Hold
from kitab.items.models import Item
from tests.circulation.factories import ItemFactory
from tests.holds.factories import place

DAY = timedelta(days=1)


def test_the_patron_collects_their_hold(patron, other, item, desk, t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    hold = place(other, item, at=t0)
    circulation.checkin(item, actor=desk, at=t0 + DAY)
    loan = circulation.checkout(item, other, actor=desk, at=t0 + 2 * DAY)
    hold.refresh_from_db()
    assert (hold.status, hold.fulfilled_at, hold.loan) == (Hold.Status.FULFILLED, t0 + 2 * DAY, loan)
    assert loan.prior_item_status == ""
    circulation.checkin(item, actor=desk, at=t0 + 3 * DAY)
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE  # an ordinary copy again


def test_nobody_else_may_take_it(patron, other, third, item, desk, supervisor, t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    place(other, item, at=t0)
    circulation.checkin(item, actor=desk, at=t0 + DAY)
    for actor, override in ((desk, False), (supervisor, True)):
        with pytest.raises(CirculationError) as excinfo:
            circulation.checkout(item, third, actor=actor, at=t0 + DAY, override=override)
        assert excinfo.value.code == "item_on_hold_shelf"


def test_borrowing_another_copy_fulfils_a_waiting_hold(patron, other, item, desk, t0) -> None:
    second_copy = ItemFactory(record=item.record)
    circulation.checkout(item, patron, actor=desk, at=t0)
    mine = place(other, item, at=t0)
    loan = circulation.checkout(second_copy, other, actor=desk, at=t0 + DAY)
    mine.refresh_from_db()
    assert (mine.status, mine.loan) == (Hold.Status.FULFILLED, loan)


def test_borrowing_another_copy_releases_the_one_on_the_shelf(patron, other, third, item, desk, t0) -> None:
    second_copy = ItemFactory(record=item.record)
    circulation.checkout(item, patron, actor=desk, at=t0)
    hold, next_hold = place(other, item, at=t0), place(third, item, at=t0)
    circulation.checkin(item, actor=desk, at=t0 + DAY)  # `item` waits for `other`
    circulation.checkout(second_copy, other, actor=desk, at=t0 + DAY)
    hold.refresh_from_db()
    next_hold.refresh_from_db()
    assert hold.status == Hold.Status.FULFILLED
    assert (next_hold.status, next_hold.trapped_item) == (Hold.Status.READY, item)
