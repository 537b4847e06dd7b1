"""Item status per branch on the record page: available, on loan with its due date, in transit to a branch, on
the hold shelf, not for loan; and the per-branch summary."""

from __future__ import annotations

from pytest_django.asserts import assertContains

from kitab.circulation import services as circulation
from kitab.core.actor import Actor
from kitab.items.models import Item
from kitab.opac.holdings import record_holdings
from tests.circulation.conftest import east, main, patron, rule  # noqa: F401
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import T0

DESK = Actor(channel="staff", username="librarian", branch_code="MAIN")


def _copies(main, east):  # noqa: F811
    lent = ItemFactory(home_branch=main)
    record = lent.record
    shelf = ItemFactory(home_branch=main, record=record)
    travelling = ItemFactory(home_branch=east, holding_branch=main, record=record, status=Item.Status.IN_TRANSIT)
    held = ItemFactory(home_branch=east, record=record, status=Item.Status.ON_HOLD_SHELF)
    reference = ItemFactory(home_branch=east, record=record, status=Item.Status.NOT_FOR_LOAN)
    return record, lent, shelf, travelling, held, reference


def test_record_holdings_says_why_each_copy_is_not_on_the_shelf(patron, main, east, rule):  # noqa: F811
    record, lent, shelf, travelling, held, reference = _copies(main, east)
    loan = circulation.checkout(lent, patron, actor=DESK, at=T0)
    from kitab.circulation.models import Transfer

    Transfer.objects.create(item=travelling, from_branch=main, to_branch=east, sent_at=T0)
    copies, branches = record_holdings(record.pk)
    by_item = {c.item.pk: c for c in copies}
    assert by_item[lent.pk].due_at == loan.due_at and by_item[lent.pk].status == "on_loan"
    assert by_item[shelf.pk].available and by_item[shelf.pk].due_at is None
    assert by_item[travelling.pk].transit_to == east.name
    assert by_item[held.pk].status == "on_hold_shelf"
    assert by_item[reference.pk].status == "not_for_loan"
    summary = {b.name: (b.available, len(b.copies), b.next_due) for b in branches}
    # The copy in transit counts at the branch it is travelling to.
    assert summary[main.name] == (1, 2, loan.due_at)
    assert summary[east.name] == (0, 3, None)


def test_record_page_shows_due_dates_transit_and_branch_summary(client, patron, main, east, rule):  # noqa: F811
    record, lent, _shelf, travelling, _held, _reference = _copies(main, east)
    circulation.checkout(lent, patron, actor=DESK, at=T0)
    from kitab.circulation.models import Transfer

    Transfer.objects.create(item=travelling, from_branch=main, to_branch=east, sent_at=T0)
    response = client.get(f"/record/{record.pk}/")
    assertContains(response, "due back")
    assertContains(response, f"on its way to {east.name}")
    assertContains(response, "set aside for a reader who reserved it")
    assertContains(response, "Not for loan")
    assertContains(response, "1 of 2 available")
    assertContains(response, "0 of 3 available")
    russian = client.get(f"/record/{record.pk}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert russian.status_code == 200
