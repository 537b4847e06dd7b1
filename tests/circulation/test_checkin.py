from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from kitab.circulation import services
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import Loan
from kitab.items.models import Item
from tests.circulation.factories import ItemFactory


def test_checkin_on_time_shelves_the_item(patron, item, desk, t0) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    result = services.checkin(item, actor=desk, at=t0 + timedelta(days=3))
    assert result.loan.pk == loan.pk
    assert result.destination == "shelve"
    assert result.fine is None and result.transfer is None
    loan.refresh_from_db()
    item.refresh_from_db()
    assert (loan.status, loan.returned_at, loan.returned_branch.code) == (
        Loan.Status.RETURNED, t0 + timedelta(days=3), "MAIN")
    assert item.status == Item.Status.AVAILABLE
    assert [e.trigger for e in loan.events.all()] == ["checkout", "checkin"]


def test_late_checkin_creates_the_overdue_fine(patron, item, desk, t0) -> None:
    services.checkout(item, patron, actor=desk, at=t0)  # due 17 March, end of day
    result = services.checkin(item, actor=desk, at=t0 + timedelta(days=17))  # 20 March: 3 days late
    assert result.fine is not None
    assert (result.fine.kind, result.fine.amount, result.fine.outstanding) == ("overdue", Decimal("1.50"),
                                                                               Decimal("1.50"))
    assert result.fine.actor_name == "staff:librarian"


def test_checkin_of_an_item_not_on_loan(item, desk, t0) -> None:
    with pytest.raises(CirculationError) as excinfo:
        services.checkin(item, actor=desk, at=t0)
    assert excinfo.value.code == "not_on_loan"


def test_an_overridden_reference_copy_goes_back_to_not_for_loan(patron, main, supervisor, desk, t0) -> None:
    item = ItemFactory(home_branch=main, status=Item.Status.NOT_FOR_LOAN)
    services.checkout(item, patron, actor=supervisor, at=t0, override=True)
    services.checkin(item, actor=desk, at=t0)
    item.refresh_from_db()
    assert item.status == Item.Status.NOT_FOR_LOAN
