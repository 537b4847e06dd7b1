"""Returned at another branch: in transit home, received there."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kitab.circulation import selectors, services
from kitab.circulation.errors import CirculationError
from kitab.items.models import Item


def test_return_elsewhere_sends_the_item_home(patron, item, desk, east_desk, east, main, t0) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    result = services.checkin(item, actor=east_desk, at=t0 + timedelta(days=2))
    assert result.destination == "transit"
    transfer = result.transfer
    assert (transfer.from_branch, transfer.to_branch, transfer.sent_at, transfer.loan_id) == (
        east, main, t0 + timedelta(days=2), loan.pk)
    item.refresh_from_db()
    assert (item.status, item.holding_branch) == (Item.Status.IN_TRANSIT, east)
    assert list(selectors.transit_list(main)) == [transfer]
    assert list(selectors.transit_list(east, outgoing=True)) == [transfer]
    assert list(selectors.transit_list(east)) == []

    received = services.receive_transfer(item, actor=desk, at=t0 + timedelta(days=3))
    assert received.received_at == t0 + timedelta(days=3)
    assert received.received_by == "staff:librarian"
    item.refresh_from_db()
    assert (item.status, item.holding_branch) == (Item.Status.AVAILABLE, main)
    assert list(selectors.transit_list(main)) == []


def test_receiving_an_item_not_in_transit(item, desk, t0) -> None:
    with pytest.raises(CirculationError) as excinfo:
        services.receive_transfer(item, actor=desk, at=t0)
    assert excinfo.value.code == "not_in_transit"


def test_unknown_desk_branch(patron, item, desk, t0) -> None:
    from kitab.core.actor import Actor

    services.checkout(item, patron, actor=desk, at=t0)
    with pytest.raises(CirculationError) as excinfo:
        services.checkin(item, actor=Actor(channel="sip2", username="sc1", branch_code="NOWHERE"), at=t0)
    assert excinfo.value.code == "unknown_branch"
