from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kitab.circulation import fines
from kitab.circulation import services as circulation
from kitab.circulation.models import Loan
from kitab.patrons import selectors, services
from kitab.patrons.errors import PatronError
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import PatronFactory


def test_anonymise_keeps_statistics_and_removes_identity(main, adult, desk, t0) -> None:
    patron = PatronFactory(category=adult, home_branch=main, first_name="Leyla", last_name="Həsənova",
                           email="leyla@example.org", phone="0501234567", address="Baku",
                           date_of_birth=date(1990, 6, 15))
    item = ItemFactory(home_branch=main)
    circulation.checkout(item, patron, actor=desk, at=t0)
    circulation.checkin(item, actor=desk, at=t0 + timedelta(days=1))

    services.anonymise_patron(patron, actor=desk, at=t0 + timedelta(days=2))

    patron.refresh_from_db()
    assert patron.is_anonymised
    assert (patron.first_name, patron.email, patron.phone, patron.address) == ("", "", "", "")
    assert "leyla" not in patron.name_folded and "hesenova" not in patron.name_folded
    assert patron.date_of_birth == date(1990, 1, 1)
    assert patron.category == adult and patron.home_branch == main
    assert Loan.objects.filter(patron=patron).count() == 1  # loan history stays for statistics
    assert list(selectors.search_patrons("Leyla")) == []


def test_anonymise_is_refused_with_open_loans_or_fines(main, adult, desk, t0) -> None:
    patron = PatronFactory(category=adult, home_branch=main)
    item = ItemFactory(home_branch=main)
    circulation.checkout(item, patron, actor=desk, at=t0)
    with pytest.raises(PatronError) as excinfo:
        services.anonymise_patron(patron, actor=desk, at=t0)
    assert excinfo.value.code == "has_open_loans"
    circulation.checkin(item, actor=desk, at=t0)
    fines.charge(patron, Decimal("1.00"), actor=desk, at=t0, note="Lost card")
    with pytest.raises(PatronError) as excinfo:
        services.anonymise_patron(patron, actor=desk, at=t0)
    assert excinfo.value.code == "has_outstanding_fines"
