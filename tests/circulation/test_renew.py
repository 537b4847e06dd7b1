from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from kitab.circulation import services
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import FineEntry
from kitab.patrons import services as patrons


def test_renewal_extends_from_now_and_counts(patron, item, desk, t0) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    renewed = services.renew(loan, actor=desk, at=t0 + timedelta(days=10))
    assert renewed.renewals == 1
    assert renewed.due_at == datetime(2025, 3, 27, 23, 59, 59, tzinfo=UTC)
    assert [e.trigger for e in renewed.events.all()] == ["checkout", "renew"]


def test_renewal_never_shortens_the_loan(patron, item, desk, t0, rule) -> None:
    rule.renewal_period = 3
    rule.save()
    loan = services.checkout(item, patron, actor=desk, at=t0)
    renewed = services.renew(loan, actor=desk, at=t0 + timedelta(days=1))
    assert renewed.due_at == loan.due_at
    assert renewed.renewals == 1


def test_no_renewals_left(patron, item, desk, t0) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    for day in (1, 2):
        loan = services.renew(loan, actor=desk, at=t0 + timedelta(days=day))
    with pytest.raises(CirculationError) as excinfo:
        services.renew(loan, actor=desk, at=t0 + timedelta(days=3))
    assert excinfo.value.code == "no_renewals_left"
    assert "2 of 2" in excinfo.value.message


def test_blocked_and_expired_patrons_cannot_renew(patron, item, desk, supervisor, t0) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    patrons.block_patron(patron, reason="Noise", actor=desk, at=t0)
    with pytest.raises(CirculationError) as excinfo:
        services.renew(loan, actor=desk, at=t0)
    assert excinfo.value.code == "patron_blocked"
    assert services.renew(loan, actor=supervisor, at=t0, override=True).override_code == "patron_blocked"
    patrons.unblock_patron(patron, actor=desk, at=t0)
    patron.expires_on = date(2025, 3, 4)
    patron.save()
    with pytest.raises(CirculationError) as excinfo:
        services.renew(loan, actor=desk, at=t0 + timedelta(days=2))
    assert excinfo.value.code == "card_expired"


def test_an_overdue_loan_renews_and_keeps_its_fine(patron, item, desk, t0) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    at = t0 + timedelta(days=16)  # 2 days late
    renewed = services.renew(loan, actor=desk, at=at)
    fine = FineEntry.objects.get(loan=loan)
    assert (fine.amount, fine.is_running) == (Decimal("1.00"), False)
    assert renewed.due_at.date() == date(2025, 4, 2)
    services.checkin(item, actor=desk, at=t0 + timedelta(days=20))  # on time for the new due date
    assert FineEntry.objects.filter(loan=loan).count() == 1


def test_a_returned_loan_cannot_be_renewed(patron, item, desk, t0) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    services.checkin(item, actor=desk, at=t0)
    with pytest.raises(CirculationError) as excinfo:
        services.renew(loan, actor=desk, at=t0)
    assert excinfo.value.code == "loan_not_open"
