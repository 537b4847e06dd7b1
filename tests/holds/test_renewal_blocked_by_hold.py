"""A loan is not renewed while another patron waits for the title (staff may override)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kitab.circulation import services as circulation
from kitab.circulation.errors import CirculationError
from kitab.holds import services
from tests.holds.factories import place

DAY = timedelta(days=1)


def test_refused_when_another_patron_waits(patron, other, item, desk, supervisor, t0) -> None:
    loan = circulation.checkout(item, patron, actor=desk, at=t0)
    place(other, item, at=t0)
    with pytest.raises(CirculationError) as excinfo:
        circulation.renew(loan, actor=desk, at=t0 + DAY)
    assert excinfo.value.code == "renewal_blocked_by_hold"
    renewed = circulation.renew(loan, actor=supervisor, at=t0 + DAY, override=True)
    assert renewed.override_code == "renewal_blocked_by_hold"


def test_renew_all_reports_the_code(patron, other, item, desk, t0) -> None:
    circulation.checkout(item, patron, actor=desk, at=t0)
    place(other, item, at=t0)
    [result] = circulation.renew_all(patron, actor=desk, at=t0 + DAY)
    assert (result.renewed, result.code) == (False, "renewal_blocked_by_hold")


def test_suspended_holds_do_not_block(patron, other, item, desk, t0) -> None:
    loan = circulation.checkout(item, patron, actor=desk, at=t0)
    hold = place(other, item, at=t0)
    services.suspend_hold(hold, until=date(2025, 4, 1), actor=desk, at=t0)
    assert circulation.renew(loan, actor=desk, at=t0 + DAY).renewals == 1


def test_a_hold_on_another_copy_does_not_block(patron, other, item, desk, t0) -> None:
    from tests.circulation.factories import ItemFactory

    loan = circulation.checkout(item, patron, actor=desk, at=t0)
    place(other, ItemFactory(record=item.record), at=t0, level="item")
    assert circulation.renew(loan, actor=desk, at=t0 + DAY).renewals == 1
