"""Batch edit, withdraw, lost, damaged, restore and delete, each refused where circulation has the copy."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kitab.circulation import fines
from kitab.circulation import services as circulation
from kitab.circulation.models import Loan
from kitab.core.actor import Actor
from kitab.items import services
from kitab.items.errors import ItemError
from kitab.items.models import Item
from kitab.search.services import SearchRequest, search
from tests.circulation.factories import ItemFactory, ItemTypeFactory
from tests.patrons.factories import PatronFactory


@pytest.fixture
def copies(record, main, rule):  # type: ignore[no-untyped-def]
    return [ItemFactory(record=record, home_branch=main, barcode=f"5500000{n}") for n in range(1, 4)]


@pytest.fixture
def on_loan(copies, main, t0):  # type: ignore[no-untyped-def]
    patron = PatronFactory(home_branch=main)
    circulation.checkout(copies[0], patron, actor=Actor(channel="staff", username="desk", branch_code="MAIN"), at=t0)
    copies[0].refresh_from_db()
    return copies[0]


def statuses(items):  # type: ignore[no-untyped-def]
    return [Item.objects.get(pk=i.pk).status for i in items]


def test_batch_edit_changes_only_the_given_fields(copies, east, cataloguer, t0):
    copies[0].call_number = "PL 314"
    copies[0].save()
    dvd = ItemTypeFactory(code="DVD", name="DVD")
    changed = services.update_copies(copies, changes={"location": "Stacks", "item_type": dvd, "home_branch": east},
                                     actor=cataloguer, at=t0)
    assert changed == 3
    rows = list(Item.objects.filter(pk__in=[c.pk for c in copies]).values_list(
        "location", "item_type__code", "home_branch__code", "holding_branch__code", "call_number").order_by("pk"))
    assert rows[0] == ("Stacks", "DVD", "EAST", "MAIN", "PL 314")
    assert {r[:4] for r in rows} == {("Stacks", "DVD", "EAST", "MAIN")}


def test_loanable_flag_toggles_only_shelf_copies(copies, on_loan, cataloguer):
    services.update_copies(copies, changes={"loanable": False}, actor=cataloguer)
    assert statuses(copies) == ["on_loan", "not_for_loan", "not_for_loan"]


def test_moving_a_copy_on_loan_is_refused_and_nothing_changes(copies, on_loan, east, cataloguer):
    with pytest.raises(ItemError) as excinfo:
        services.update_copies(copies, changes={"holding_branch": east, "location": "Annex"}, actor=cataloguer)
    assert excinfo.value.code == "item_in_circulation"
    assert set(Item.objects.values_list("location", flat=True)) == {""}


def test_empty_changes_and_empty_selection(copies, cataloguer):
    with pytest.raises(ItemError) as excinfo:
        services.update_copies(copies, changes={}, actor=cataloguer)
    assert excinfo.value.code == "nothing_to_change"
    with pytest.raises(ItemError) as excinfo:
        services.update_copies([], changes={"location": "x"}, actor=cataloguer)
    assert excinfo.value.code == "nothing_selected"


def test_withdraw_needs_a_reason_and_refuses_a_batch_with_a_loan(copies, on_loan, cataloguer, t0):
    with pytest.raises(ItemError) as excinfo:
        services.withdraw(copies[1:], reason=" ", actor=cataloguer, at=t0)
    assert excinfo.value.code == "missing_reason"
    with pytest.raises(ItemError) as excinfo:
        services.withdraw(copies, reason="Worn out", actor=cataloguer, at=t0)
    assert excinfo.value.code == "item_on_loan"
    assert "55000001" in excinfo.value.message
    assert statuses(copies) == ["on_loan", "available", "available"]
    services.withdraw(copies[1:], reason="Worn out", actor=cataloguer, at=t0)
    item = Item.objects.get(pk=copies[1].pk)
    assert (item.status, item.status_note, item.status_changed_at, item.status_changed_by) == (
        "withdrawn", "Worn out", t0, "staff:cataloguer")


def test_lost_on_loan_goes_through_circulation_and_charges_the_borrower(copies, on_loan, cataloguer, t0):
    services.mark_lost([on_loan, copies[1]], note="Not returned", actor=cataloguer, at=t0)
    assert statuses(copies) == ["lost", "lost", "available"]
    loan = Loan.objects.get(item=on_loan)
    assert loan.status == Loan.Status.LOST
    assert fines.balance(loan.patron) == Decimal("25.00")
    # found again: a copy charged to a borrower comes back through the desk, the other one straight away
    with pytest.raises(ItemError) as excinfo:
        services.restore([on_loan], actor=cataloguer)
    assert excinfo.value.code == "item_on_loan"
    services.restore([copies[1]], actor=cataloguer)
    assert statuses(copies) == ["lost", "available", "available"]


def test_damaged_and_restored(copies, on_loan, cataloguer):
    with pytest.raises(ItemError) as excinfo:
        services.mark_damaged([on_loan], note="Water damage", actor=cataloguer)
    assert excinfo.value.code == "item_on_loan"
    services.mark_damaged(copies[1:2], note="Water damage", actor=cataloguer)
    assert Item.objects.get(pk=copies[1].pk).status_note == "Water damage"
    with pytest.raises(ItemError) as excinfo:
        services.restore(copies[1:], actor=cataloguer)  # the third is not damaged
    assert excinfo.value.code == "invalid_status_change"
    services.restore(copies[1:2], actor=cataloguer)
    assert statuses(copies) == ["on_loan", "available", "available"]


def test_delete_refuses_copies_that_were_lent(copies, on_loan, cataloguer, t0):
    circulation.checkin(on_loan, actor=Actor(channel="staff", username="desk", branch_code="MAIN"), at=t0)
    with pytest.raises(ItemError) as excinfo:
        services.delete_copies(copies, actor=cataloguer)
    assert excinfo.value.code == "item_has_history"
    assert services.delete_copies(copies[1:], actor=cataloguer) == 2
    assert list(Item.objects.values_list("barcode", flat=True)) == ["55000001"]


def test_withdrawing_the_last_copy_turns_availability_off(copies, cataloguer, django_capture_on_commit_callbacks):
    def available() -> int:
        return search(SearchRequest(query="Qorqud", filters={"available": ["true"]})).total

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(copies[:2], reason="Weeded", actor=cataloguer)
    assert available() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(copies[2:], reason="Weeded", actor=cataloguer)
    assert available() == 0


def test_a_branch_whose_copies_are_all_withdrawn_leaves_the_branch_facet(record, main, east, rule, cataloguer,
                                                                         django_capture_on_commit_callbacks):
    from tests.circulation.factories import ItemFactory as Copy

    here, there = Copy(record=record, home_branch=main), Copy(record=record, home_branch=east)

    def at_east() -> int:
        return search(SearchRequest(query="Qorqud", filters={"branch": ["EAST"]})).total

    with django_capture_on_commit_callbacks(execute=True):
        services.update_copies([here], changes={"location": "Stacks"}, actor=cataloguer)
    assert at_east() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw([there], reason="Weeded", actor=cataloguer)
    assert at_east() == 0
    assert search(SearchRequest(query="Qorqud", filters={"branch": ["MAIN"]})).total == 1
