from __future__ import annotations

from decimal import Decimal

import pytest

from kitab.circulation import fines
from kitab.circulation import services as circulation
from kitab.circulation.models import FineEntry, Loan
from kitab.patrons import services
from kitab.patrons.errors import PatronError
from kitab.patrons.models import Patron, PatronBlock
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import PatronFactory


def test_merge_moves_loans_fines_blocks_and_guarantees(main, adult, desk, t0) -> None:
    keep = PatronFactory(category=adult, home_branch=main, card_number="KEEP-1")
    remove = PatronFactory(category=adult, home_branch=main, card_number="DUP-1", first_name="Ali",
                           last_name="Aliyev")
    loan = circulation.checkout(ItemFactory(home_branch=main), remove, actor=desk, at=t0)
    fines.charge(remove, Decimal("2.00"), actor=desk, at=t0, note="Card")
    services.block_patron(remove, reason="Rude", actor=desk, at=t0)
    kid = PatronFactory(category=adult, home_branch=main, guarantor=remove)

    merged = services.merge_patrons(keep=keep, remove=remove, actor=desk, at=t0)

    assert not Patron.objects.filter(pk=remove.pk).exists()
    assert Loan.objects.get(pk=loan.pk).patron_id == keep.pk
    assert FineEntry.objects.get().patron_id == keep.pk
    assert PatronBlock.objects.get().patron_id == keep.pk
    kid.refresh_from_db()
    assert kid.guarantor_id == keep.pk
    assert "DUP-1" in merged.notes and "Ali Aliyev" in merged.notes
    assert fines.balance(keep) == Decimal("2.00")


def test_merge_with_itself_is_refused(main, adult, desk, t0) -> None:
    patron = PatronFactory(category=adult, home_branch=main)
    with pytest.raises(PatronError) as excinfo:
        services.merge_patrons(keep=patron, remove=patron, actor=desk, at=t0)
    assert excinfo.value.code == "merge_same_patron"


def test_merge_is_all_or_nothing(main, adult, desk, t0, monkeypatch) -> None:
    keep = PatronFactory(category=adult, home_branch=main)
    remove = PatronFactory(category=adult, home_branch=main)
    loan = circulation.checkout(ItemFactory(home_branch=main), remove, actor=desk, at=t0)

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(Patron, "delete", fail)
    with pytest.raises(RuntimeError):
        services.merge_patrons(keep=keep, remove=remove, actor=desk, at=t0)
    assert Loan.objects.get(pk=loan.pk).patron_id == remove.pk
    assert Patron.objects.filter(pk=remove.pk).exists()
