"""policy.overdue_fine (pure) and fines.accrue_overdue_fines (idempotent running rows)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kitab.circulation import fines, policy, services
from kitab.circulation.models import CirculationRule, FineEntry, Loan
from kitab.core.actor import Actor

DUE = datetime(2025, 3, 17, 23, 59, 59, tzinfo=UTC)


def rule(**values) -> CirculationRule:  # type: ignore[no-untyped-def]
    return CirculationRule(**{"fine_per_day": Decimal("0.50"), "fine_cap": Decimal("10.00"), **values})


@pytest.mark.parametrize(("returned", "grace", "expected"), [
    (datetime(2025, 3, 17, 23, 0, tzinfo=UTC), 0, "0.00"),  # on time
    (datetime(2025, 3, 18, 9, 0, tzinfo=UTC), 0, "0.50"),  # the next morning is one day late
    (datetime(2025, 3, 20, 9, 0, tzinfo=UTC), 0, "1.50"),
    (datetime(2025, 3, 20, 9, 0, tzinfo=UTC), 2, "0.50"),  # grace days are not charged
    (datetime(2025, 3, 19, 9, 0, tzinfo=UTC), 2, "0.00"),
    (datetime(2025, 6, 1, 9, 0, tzinfo=UTC), 0, "10.00"),  # capped
])
def test_fine_per_day_after_grace_capped(returned, grace, expected) -> None:
    loan = Loan(due_at=DUE)
    assert policy.overdue_fine(loan, rule(grace_days=grace), until=returned) == Decimal(expected)


def test_hour_loans_count_started_days() -> None:
    loan = Loan(due_at=datetime(2025, 3, 3, 12, 0, tzinfo=UTC))
    hourly = rule(loan_unit="hours")
    assert policy.overdue_fine(loan, hourly, until=datetime(2025, 3, 3, 13, 0, tzinfo=UTC)) == Decimal("0.50")
    assert policy.overdue_fine(loan, hourly, until=datetime(2025, 3, 4, 13, 0, tzinfo=UTC)) == Decimal("1.00")


def test_no_cap_and_no_fine() -> None:
    loan = Loan(due_at=DUE)
    late = datetime(2025, 7, 1, tzinfo=UTC)
    assert policy.overdue_fine(loan, rule(fine_cap=None), until=late) > Decimal("10.00")
    assert policy.overdue_fine(loan, rule(fine_per_day=Decimal(0)), until=late) == Decimal("0.00")


def test_accrual_keeps_one_running_row_per_loan(patron, item, desk, t0) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    cron = Actor.system()
    assert fines.accrue_overdue_fines(at=t0 + timedelta(days=10), actor=cron).created == 0  # not overdue yet
    report = fines.accrue_overdue_fines(at=t0 + timedelta(days=16), actor=cron)
    assert (report.created, report.updated) == (1, 0)
    again = fines.accrue_overdue_fines(at=t0 + timedelta(days=16), actor=cron)
    assert (again.created, again.updated) == (0, 0)
    fines.accrue_overdue_fines(at=t0 + timedelta(days=18), actor=cron)
    entry = FineEntry.objects.get(loan=loan)
    assert (entry.amount, entry.outstanding, entry.is_running) == (Decimal("2.00"), Decimal("2.00"), True)
    assert entry.actor_channel == "system"

    result = services.checkin(item, actor=desk, at=t0 + timedelta(days=19))
    assert result.fine.pk == entry.pk
    entry.refresh_from_db()
    assert (entry.amount, entry.is_running) == (Decimal("2.50"), False)
    assert FineEntry.objects.filter(loan=loan).count() == 1
    assert fines.accrue_overdue_fines(at=t0 + timedelta(days=30), actor=cron).created == 0


def test_a_partly_paid_running_fine_keeps_growing(patron, item, desk, t0) -> None:
    services.checkout(item, patron, actor=desk, at=t0)
    fines.accrue_overdue_fines(at=t0 + timedelta(days=16), actor=desk)  # 1.00
    fines.pay(patron, Decimal("1.00"), actor=desk, at=t0 + timedelta(days=16))
    fines.accrue_overdue_fines(at=t0 + timedelta(days=18), actor=desk)  # 2.00
    entry = FineEntry.objects.get(kind="overdue")
    assert (entry.amount, entry.outstanding) == (Decimal("2.00"), Decimal("1.00"))
    assert fines.balance(patron) == Decimal("1.00")
