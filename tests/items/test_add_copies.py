"""Adding copies: one, a count without barcodes, an explicit range, barcodes from a pattern; refusals."""

from __future__ import annotations

import pytest

from kitab.items import services
from kitab.items.barcodes import mod10
from kitab.items.errors import ItemError
from kitab.items.models import Item
from kitab.search.services import SearchRequest, search
from tests.circulation.factories import ItemFactory


def details(branch, **values):  # type: ignore[no-untyped-def]
    return services.CopyDetails(home_branch=branch, **values)


def test_one_copy_with_everything(record, main, book, cataloguer, t0):
    [item] = services.add_copies(record, details=details(main, location="Reading room", call_number="PL 314 .K5",
                                                         item_type=book, price="12.50",
                                                         acquisition_source="Gift of the author"),
                                 barcodes=["31000001"], actor=cataloguer, at=t0)
    item.refresh_from_db()
    assert (item.barcode, item.home_branch, item.holding_branch, item.status) == ("31000001", main, main, "available")
    assert (item.location, item.call_number, item.price, item.acquisition_source) == (
        "Reading room", "PL 314 .K5", "12.50", "Gift of the author")
    assert item.status_changed_by == "staff:cataloguer"


def test_a_count_of_copies_without_barcodes(record, main, cataloguer):
    items = services.add_copies(record, details=details(main, loanable=False), count=3, actor=cataloguer)
    assert [i.barcode for i in items] == [None, None, None]
    assert set(Item.objects.filter(record=record).values_list("status", flat=True)) == {"not_for_loan"}


def test_a_barcode_range(record, main, cataloguer):
    barcodes = services.barcodes_in_range("A0098-A0102")
    items = services.add_copies(record, details=details(main), barcodes=barcodes, actor=cataloguer)
    assert sorted(i.barcode for i in items) == ["A0098", "A0099", "A0100", "A0101", "A0102"]


def test_pattern_barcodes_follow_on_and_skip_ones_in_use(record, main, east, pattern, cataloguer):
    ItemFactory(barcode="KTMAIN00002" + mod10("00002"), home_branch=main)  # typed in by hand earlier
    first = services.add_copies(record, details=details(main), count=3, pattern=pattern, actor=cataloguer)
    second = services.add_copies(record, details=details(east), count=1, pattern=pattern, actor=cataloguer)
    assert [i.barcode for i in first] == ["KTMAIN00001" + mod10("00001"), "KTMAIN00003" + mod10("00003"),
                                         "KTMAIN00004" + mod10("00004")]
    assert [i.barcode for i in second] == ["KTEAST00005" + mod10("00005")]
    pattern.refresh_from_db()
    assert pattern.next_number == 6


def test_a_refused_addition_gives_the_numbers_back(record, main, pattern, cataloguer):
    with pytest.raises(ItemError) as excinfo:
        services.add_copies(record, details=details(main, call_number="x" * 201), count=2, pattern=pattern,
                            actor=cataloguer)
    assert excinfo.value.code == "field_too_long"
    pattern.refresh_from_db()
    assert pattern.next_number == 1
    assert not Item.objects.exists()


def test_a_pattern_that_runs_out_says_so(record, main, cataloguer):
    from kitab.items.models import BarcodePattern

    tiny = BarcodePattern.objects.create(code="tiny", name="Tiny", prefix="T", width=1, next_number=8)
    with pytest.raises(ItemError) as excinfo:
        services.add_copies(record, details=details(main), count=3, pattern=tiny, actor=cataloguer)
    assert excinfo.value.code == "barcodes_exhausted"
    assert not Item.objects.exists()


@pytest.mark.parametrize(("barcodes", "code"), [
    (["31000001", "31000001"], "barcode_repeated"),
    (["bad barcode!"], "barcode_invalid"),
    (["39000001"], "barcode_taken"),
])
def test_bad_barcodes_are_refused_and_nothing_is_added(record, main, cataloguer, barcodes, code):
    ItemFactory(barcode="39000001", home_branch=main)
    with pytest.raises(ItemError) as excinfo:
        services.add_copies(record, details=details(main), barcodes=barcodes, actor=cataloguer)
    assert excinfo.value.code == code
    assert Item.objects.filter(record=record).count() == 0


@pytest.mark.parametrize(("count", "code"), [(0, "invalid_count"), (501, "too_many_copies")])
def test_counts_out_of_bounds(record, main, cataloguer, count, code):
    with pytest.raises(ItemError) as excinfo:
        services.add_copies(record, details=details(main), count=count, actor=cataloguer)
    assert excinfo.value.code == code


def test_no_branch(record, cataloguer):
    with pytest.raises(ItemError) as excinfo:
        services.add_copies(record, details=details(None), actor=cataloguer)
    assert excinfo.value.code == "no_branch"


def test_new_copies_show_in_the_opac_facets_at_once(record, main, east, cataloguer,
                                                    django_capture_on_commit_callbacks):
    def found(**filters: list[str]) -> int:
        return search(SearchRequest(query="Qorqud", filters=filters)).total

    assert found(branch=["EAST"]) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.add_copies(record, details=details(east), count=1, actor=cataloguer)
    assert found(branch=["EAST"]) == 1
    assert found(available=["true"]) == 1
