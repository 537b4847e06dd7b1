from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from kitab.circulation import fines, services
from kitab.circulation.models import FineEntry, Loan
from kitab.items.models import Item


def test_mark_lost_charges_and_closes_the_fine(patron, item, desk, t0) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    lost = services.mark_lost(loan, actor=desk, at=t0 + timedelta(days=24))  # 10 days late
    assert (lost.status, lost.lost_at) == (Loan.Status.LOST, t0 + timedelta(days=24))
    item.refresh_from_db()
    assert item.status == Item.Status.LOST
    kinds = dict(FineEntry.objects.filter(loan=loan).values_list("kind", "amount"))
    assert kinds == {"overdue": Decimal("5.00"), "lost": Decimal("25.00")}
    assert fines.balance(patron) == Decimal("30.00")


def test_a_lost_item_found_cancels_the_unpaid_lost_charge(patron, item, desk, t0) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    services.mark_lost(loan, actor=desk, at=t0 + timedelta(days=1))
    fines.pay(patron, Decimal("10.00"), actor=desk, at=t0 + timedelta(days=2))
    result = services.checkin(item, actor=desk, at=t0 + timedelta(days=3))
    assert result.loan.status == Loan.Status.RETURNED
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE
    credit = FineEntry.objects.get(kind="credit")
    assert credit.amount == Decimal("-15.00")
    assert fines.balance(patron) == Decimal("0.00")  # the 10.00 paid stays paid
