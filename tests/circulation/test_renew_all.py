from __future__ import annotations

from datetime import timedelta

from kitab.circulation import services
from tests.circulation.factories import ItemFactory


def test_renew_all_reports_each_loan(patron, main, desk, t0) -> None:
    first = services.checkout(ItemFactory(home_branch=main), patron, actor=desk, at=t0)
    second = services.checkout(ItemFactory(home_branch=main), patron, actor=desk, at=t0 + timedelta(hours=1))
    for _ in range(2):
        services.renew(second, actor=desk, at=t0 + timedelta(days=1))
    results = services.renew_all(patron, actor=desk, at=t0 + timedelta(days=5))
    by_loan = {r.loan.pk: r for r in results}
    assert by_loan[first.pk].renewed and by_loan[first.pk].code == "ok"
    assert by_loan[first.pk].due_at.date().isoformat() == "2025-03-22"
    assert not by_loan[second.pk].renewed
    assert by_loan[second.pk].code == "no_renewals_left"
    assert by_loan[second.pk].message
