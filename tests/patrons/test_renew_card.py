from __future__ import annotations

from datetime import date

from kitab.patrons import services
from tests.patrons.factories import PatronFactory


def test_early_renewal_extends_from_the_current_expiry(main, adult, desk, t0) -> None:
    patron = PatronFactory(category=adult, home_branch=main, expires_on=date(2025, 4, 1))
    services.renew_card(patron, actor=desk, at=t0)
    patron.refresh_from_db()
    assert patron.expires_on == date(2026, 4, 1)


def test_late_renewal_extends_from_today(main, adult, desk, t0) -> None:
    patron = PatronFactory(category=adult, home_branch=main, expires_on=date(2024, 1, 1))
    services.renew_card(patron, actor=desk, at=t0)
    patron.refresh_from_db()
    assert patron.expires_on == date(2026, 3, 3)
