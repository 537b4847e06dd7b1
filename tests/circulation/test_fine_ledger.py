"""Payments (oldest first), waivers, credits, manual charges, receipts, balance."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from kitab.circulation import fines
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import FineAllocation, FineEntry

D = Decimal


def test_partial_payment_settles_the_oldest_charge_first(patron, desk, t0) -> None:
    old = fines.charge(patron, D("3.00"), actor=desk, at=t0, note="Torn cover")
    new = fines.charge(patron, D("4.00"), actor=desk, at=t0 + timedelta(days=1), note="Lost card")
    receipt = fines.pay(patron, D("5.00"), actor=desk, at=t0 + timedelta(days=2), note="Cash")
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.outstanding, new.outstanding) == (D("0.00"), D("2.00"))
    assert [(line.entry_id, line.paid, line.still_owed) for line in receipt.lines] == [
        (old.pk, D("3.00"), D("0.00")), (new.pk, D("2.00"), D("2.00"))]
    assert receipt.lines[0].description == "Torn cover"
    assert (receipt.amount, receipt.balance_after, receipt.by) == (D("5.00"), D("2.00"), "staff:librarian")
    assert receipt.patron_card == patron.card_number
    assert fines.balance(patron) == D("2.00")
    payment = FineEntry.objects.get(kind="payment")
    assert payment.amount == D("-5.00")  # settlements are negative
    assert FineAllocation.objects.filter(credit=payment).count() == 2


def test_payment_amount_checks(patron, desk, t0) -> None:
    fines.charge(patron, D("1.00"), actor=desk, at=t0, note="x")
    for amount, code in ((D("0"), "invalid_amount"), (D("-1"), "invalid_amount"), (D("1.01"), "amount_exceeds_balance")):
        with pytest.raises(CirculationError) as excinfo:
            fines.pay(patron, amount, actor=desk, at=t0)
        assert excinfo.value.code == code
    assert FineEntry.objects.count() == 1


def test_waive_forgives_what_is_still_owed(patron, desk, t0) -> None:
    entry = fines.charge(patron, D("6.00"), actor=desk, at=t0, note="Damage")
    fines.pay(patron, D("2.00"), actor=desk, at=t0)
    waiver = fines.waive(entry, actor=desk, at=t0, reason="First time")
    assert (waiver.kind, waiver.amount, waiver.note) == ("waiver", D("-4.00"), "First time")
    assert fines.balance(patron) == D("0.00")
    with pytest.raises(CirculationError) as excinfo:
        fines.waive(entry, actor=desk, at=t0, reason="Again")
    assert excinfo.value.code == "not_waivable"
    with pytest.raises(CirculationError) as excinfo:
        fines.waive(waiver, actor=desk, at=t0, reason="A waiver is no charge")
    assert excinfo.value.code == "not_waivable"


def test_waive_needs_a_reason(patron, desk, t0) -> None:
    entry = fines.charge(patron, D("1.00"), actor=desk, at=t0, note="x")
    with pytest.raises(CirculationError) as excinfo:
        fines.waive(entry, actor=desk, at=t0, reason=" ")
    assert excinfo.value.code == "missing_reason"


def test_credit_applies_like_a_payment(patron, desk, t0) -> None:
    fines.charge(patron, D("2.00"), actor=desk, at=t0, note="x")
    receipt = fines.credit(patron, D("0.50"), actor=desk, at=t0, note="Goodwill")
    assert receipt.kind == "credit"
    assert fines.balance(patron) == D("1.50")


def test_outstanding_always_sums_to_the_balance(patron, desk, t0) -> None:
    fines.charge(patron, D("1.25"), actor=desk, at=t0, note="a")
    b = fines.charge(patron, D("2.50"), actor=desk, at=t0, note="b")
    fines.charge(patron, D("0.40"), actor=desk, at=t0, note="c")
    fines.pay(patron, D("1.75"), actor=desk, at=t0)
    fines.waive(b, actor=desk, at=t0, reason="r")

    def outstanding() -> Decimal:
        return sum((e.outstanding for e in FineEntry.objects.filter(kind__in=FineEntry.CHARGES)), D("0"))

    assert outstanding() == fines.balance(patron) == D("0.40")


def test_charges_and_credits_say_what_they_are_for(patron, desk, t0) -> None:
    for call in (lambda: fines.charge(patron, D("1.00"), actor=desk, at=t0, note="  "),
                 lambda: fines.credit(patron, D("1.00"), actor=desk, at=t0, note="")):
        with pytest.raises(CirculationError) as refusal:
            call()
        assert refusal.value.code == "missing_reason"
    assert not FineEntry.objects.filter(patron=patron).exists()
