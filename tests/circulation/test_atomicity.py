"""A failure in the middle of a service leaves nothing half done."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kitab.circulation import fines, services, transitions
from kitab.circulation.models import FineEntry, Loan, LoanEvent, Transfer
from kitab.items.models import Item


def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
    raise RuntimeError("index queue unavailable")


def test_failed_checkout_leaves_no_loan_and_the_item_available(patron, item, desk, t0, monkeypatch) -> None:
    monkeypatch.setattr(transitions, "availability_changed", explode)  # fails after the loan row is written
    with pytest.raises(RuntimeError):
        services.checkout(item, patron, actor=desk, at=t0)
    item.refresh_from_db()
    assert item.status == Item.Status.AVAILABLE
    assert (Loan.objects.count(), LoanEvent.objects.count()) == (0, 0)


def test_failed_checkin_keeps_the_loan_open(patron, item, desk, east_desk, t0, monkeypatch) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    monkeypatch.setattr(transitions, "availability_changed", explode)  # after fine and transfer are written
    with pytest.raises(RuntimeError):
        services.checkin(item, actor=east_desk, at=t0 + timedelta(days=20))
    loan.refresh_from_db()
    item.refresh_from_db()
    assert (loan.status, loan.returned_at) == (Loan.Status.ON_LOAN, None)
    assert item.status == Item.Status.ON_LOAN
    assert (FineEntry.objects.count(), Transfer.objects.count(), LoanEvent.objects.count()) == (0, 0, 1)


def test_failed_mark_lost_charges_nothing(patron, item, desk, t0, monkeypatch) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    monkeypatch.setattr(fines, "charge_lost", explode)
    with pytest.raises(RuntimeError):
        services.mark_lost(loan, actor=desk, at=t0 + timedelta(days=30))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ON_LOAN
    assert FineEntry.objects.count() == 0
