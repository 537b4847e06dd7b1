"""The staff copy search: barcode (exact or prefix*), call number prefix, branch, status, date added."""

from __future__ import annotations

from datetime import date, timedelta

from kitab.items.models import Item
from kitab.items.selectors import CopyQuery, copies_by_barcodes, search_copies
from tests.circulation.factories import ItemFactory


def test_every_criterion(record, main, east, t0):
    a = ItemFactory(record=record, home_branch=main, barcode="A001", call_number="PL 314")
    b = ItemFactory(record=record, home_branch=east, barcode="A002", call_number="QA 76", status="lost")
    c = ItemFactory(record=record, home_branch=main, holding_branch=east, barcode="B001", call_number="pl 400")
    Item.objects.filter(pk=a.pk).update(created_at=t0 - timedelta(days=10))
    Item.objects.filter(pk=b.pk).update(created_at=t0)
    Item.objects.filter(pk=c.pk).update(created_at=t0 + timedelta(days=1))

    def found(**criteria) -> list[str]:  # type: ignore[no-untyped-def]
        return [i.barcode for i in search_copies(CopyQuery(**criteria))]

    assert found(barcode="A001") == ["A001"]
    assert found(barcode="A*") == ["A002", "A001"]
    assert found(call_number="pl") == ["B001", "A001"]
    assert found(branch=east) == ["B001", "A002"]  # home or current branch
    assert found(status="lost") == ["A002"]
    assert found(added_from=t0.date(), added_to=t0.date()) == ["A002"]
    assert found(added_to=date(2025, 3, 1)) == ["A001"]
    assert CopyQuery().is_empty() and not CopyQuery(status="lost").is_empty()
    items, missing = copies_by_barcodes(["B001", "nope", "A001"])
    assert ([i.barcode for i in items], missing) == (["B001", "A001"], ["nope"])
