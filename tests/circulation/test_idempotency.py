"""A retried checkout or checkin with the same key returns the first result and creates nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kitab.circulation import services
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import FineEntry, Loan, LoanEvent, Transfer
from tests.circulation.factories import ItemFactory


def counts() -> tuple[int, int, int, int]:
    return Loan.objects.count(), LoanEvent.objects.count(), FineEntry.objects.count(), Transfer.objects.count()


def test_repeated_checkout(patron, item, desk, t0) -> None:
    first = services.checkout(item, patron, actor=desk, at=t0, idempotency_key="sip2-ab12")
    before = counts()
    again = services.checkout(item, patron, actor=desk, at=t0 + timedelta(seconds=5), idempotency_key="sip2-ab12")
    assert again.pk == first.pk and again.due_at == first.due_at
    assert counts() == before


def test_repeated_checkin(patron, item, desk, east_desk, t0) -> None:
    services.checkout(item, patron, actor=desk, at=t0)
    first = services.checkin(item, actor=east_desk, at=t0 + timedelta(days=20), idempotency_key="ret-1")
    before = counts()
    again = services.checkin(item, actor=east_desk, at=t0 + timedelta(days=21), idempotency_key="ret-1")
    assert counts() == before
    assert again.replayed and not first.replayed
    assert (again.loan.pk, again.fine.pk, again.destination, again.transfer.pk) == (
        first.loan.pk, first.fine.pk, "transit", first.transfer.pk)


def test_a_key_reused_for_another_request(patron, main, item, desk, t0) -> None:
    services.checkout(item, patron, actor=desk, at=t0, idempotency_key="k1")
    with pytest.raises(CirculationError) as excinfo:
        services.checkout(ItemFactory(home_branch=main), patron, actor=desk, at=t0, idempotency_key="k1")
    assert excinfo.value.code == "idempotency_key_reused"
    services.checkin(item, actor=desk, at=t0, idempotency_key="r1")
    other = ItemFactory(home_branch=main)
    services.checkout(other, patron, actor=desk, at=t0)
    with pytest.raises(CirculationError) as excinfo:
        services.checkin(other, actor=desk, at=t0, idempotency_key="r1")
    assert excinfo.value.code == "idempotency_key_reused"
