from __future__ import annotations

from datetime import UTC, datetime

from kitab.circulation import services
from kitab.circulation.models import Loan, LoanEvent
from kitab.core.actor import Actor
from kitab.items.models import Item
from kitab.search.models import PendingIndexUpdate
from tests.circulation.factories import ItemFactory, ItemTypeFactory, RuleFactory


def test_checkout_lends_the_item(patron, item, desk, t0) -> None:
    loan = services.checkout(item, patron, actor=desk, at=t0)
    assert loan.status == Loan.Status.ON_LOAN
    assert loan.issued_at == t0
    assert loan.due_at == datetime(2025, 3, 17, 23, 59, 59, tzinfo=UTC)
    assert loan.branch.code == "MAIN"
    item.refresh_from_db()
    assert item.status == Item.Status.ON_LOAN
    event = LoanEvent.objects.get(loan=loan)
    assert (event.trigger, event.from_status, event.to_status) == ("checkout", "new", "on_loan")
    assert (event.actor_channel, event.actor_name, event.actor_branch) == ("staff", "staff:librarian", "MAIN")
    # The search index learns about the change through its queue.
    assert PendingIndexUpdate.objects.filter(record_id=item.record_id).exists()


def test_rule_of_the_desk_branch_gives_the_due_date(patron, item, east, t0) -> None:
    RuleFactory(branch=east, item_type=ItemTypeFactory(code="BOOK"), loan_period=3)
    item.holding_branch = east  # the copy is at EAST; lent there by a system actor with no branch
    item.save()
    loan = services.checkout(item, patron, actor=Actor.system(), at=t0)
    assert loan.branch == east
    assert loan.due_at.date().isoformat() == "2025-03-06"


def test_hour_loans(patron, main, t0, desk) -> None:
    reserve = ItemTypeFactory(code="RESERVE", name="Reserve")
    RuleFactory(item_type=reserve, loan_period=2, loan_unit="hours")
    loan = services.checkout(ItemFactory(home_branch=main, item_type=reserve), patron, actor=desk, at=t0)
    assert loan.due_at == datetime(2025, 3, 3, 12, 0, tzinfo=UTC)
