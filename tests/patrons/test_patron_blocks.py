"""Manual blocks (services) and automatic blocks (policy.patron_blocks)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kitab.circulation import fines, policy
from kitab.patrons import services
from kitab.patrons.errors import PatronError
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import PatronFactory


def codes(patron, at):  # type: ignore[no-untyped-def]
    return [reason.code for reason in policy.patron_blocks(patron, at)]


def test_block_and_unblock(main, adult, desk, t0) -> None:
    patron = PatronFactory(category=adult, home_branch=main)
    block = services.block_patron(patron, reason="Lost card reported", actor=desk, at=t0)
    assert block.created_by == "staff:librarian"
    assert codes(patron, t0) == ["patron_blocked"]
    assert "Lost card reported" in policy.patron_blocks(patron, t0)[0].message
    assert services.unblock_patron(patron, actor=desk, at=t0 + timedelta(hours=1)) == 1
    block.refresh_from_db()
    assert block.lifted_at == t0 + timedelta(hours=1)
    assert codes(patron, t0) == []
    with pytest.raises(PatronError) as excinfo:
        services.unblock_patron(patron, actor=desk, at=t0, block=block)
    assert excinfo.value.code == "block_not_found"


def test_a_block_needs_a_reason(main, adult, desk, t0) -> None:
    with pytest.raises(PatronError) as excinfo:
        services.block_patron(PatronFactory(category=adult, home_branch=main), reason=" ", actor=desk, at=t0)
    assert excinfo.value.code == "missing_field"


def test_expired_card_blocks(main, adult, t0) -> None:
    patron = PatronFactory(category=adult, home_branch=main, expires_on=date(2025, 3, 2))
    assert codes(patron, t0) == ["card_expired"]
    patron.expires_on = date(2025, 3, 3)  # valid through its expiry day
    assert codes(patron, t0) == []


def test_overdue_items_block_unless_the_category_says_otherwise(main, adult, desk, t0) -> None:
    from kitab.circulation import services as circulation

    patron = PatronFactory(category=adult, home_branch=main)
    circulation.checkout(ItemFactory(home_branch=main), patron, actor=desk, at=t0)
    later = t0 + timedelta(days=20)
    assert codes(patron, later) == ["overdue_items"]
    adult.overdue_blocks = False
    adult.save()
    patron.refresh_from_db()
    assert codes(patron, later) == []


def test_fines_over_the_category_limit_block(main, adult, desk, t0) -> None:
    adult.fine_limit = Decimal("5.00")
    adult.save()
    patron = PatronFactory(category=adult, home_branch=main)
    fines.charge(patron, Decimal("5.00"), actor=desk, at=t0, note="Torn page")
    assert codes(patron, t0) == []  # at the limit is still fine
    fines.charge(patron, Decimal("0.01"), actor=desk, at=t0, note="Rounding")
    assert codes(patron, t0) == ["fines_over_limit"]
