"""Each refusal of policy.can_checkout, as the service raises it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kitab.circulation import fines, policy, services
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import Loan
from kitab.items.models import Item
from kitab.patrons import services as patrons
from tests.circulation.factories import ItemFactory, ItemTypeFactory, RuleFactory
from tests.patrons.factories import PatronFactory


def refusal(item, patron, actor, at):  # type: ignore[no-untyped-def]
    with pytest.raises(CirculationError) as excinfo:
        services.checkout(item, patron, actor=actor, at=at)
    assert not Loan.objects.filter(item=item, patron=patron).exists()
    return excinfo.value.code


@pytest.mark.parametrize(("status", "code"), [
    (Item.Status.LOST, "item_lost"),
    (Item.Status.IN_TRANSIT, "item_in_transit"),
    (Item.Status.ON_HOLD_SHELF, "item_on_hold_shelf"),
    (Item.Status.NOT_FOR_LOAN, "item_not_loanable"),
    (Item.Status.WITHDRAWN, "item_not_loanable"),
    (Item.Status.DAMAGED, "item_not_loanable"),
])
def test_item_status(patron, main, desk, t0, status, code) -> None:
    assert refusal(ItemFactory(home_branch=main, status=status), patron, desk, t0) == code


def test_item_already_on_loan(patron, item, desk, t0) -> None:
    services.checkout(item, patron, actor=desk, at=t0)
    assert refusal(item, PatronFactory(home_branch=patron.home_branch), desk, t0) == "item_on_loan"


def test_rule_with_no_loan_period(patron, main, desk, t0) -> None:
    reference = ItemTypeFactory(code="REF", name="Reference")
    RuleFactory(item_type=reference, loan_period=0)
    assert refusal(ItemFactory(home_branch=main, item_type=reference), patron, desk, t0) == "item_not_loanable"


def test_expired_card(patron, item, desk, t0) -> None:
    patron.expires_on = date(2025, 1, 1)
    patron.save()
    assert refusal(item, patron, desk, t0) == "card_expired"


def test_manual_block(patron, item, desk, t0) -> None:
    patrons.block_patron(patron, reason="Unpaid damages", actor=desk, at=t0)
    assert refusal(item, patron, desk, t0) == "patron_blocked"


def test_overdue_items(patron, main, desk, t0) -> None:
    services.checkout(ItemFactory(home_branch=main), patron, actor=desk, at=t0)
    assert refusal(ItemFactory(home_branch=main), patron, desk, t0 + timedelta(days=15)) == "overdue_items"


def test_fines_over_limit(patron, item, desk, t0) -> None:
    patron.category.fine_limit = Decimal("3.00")
    patron.category.save()
    fines.charge(patron, Decimal("3.50"), actor=desk, at=t0, note="Damage")
    assert refusal(item, patron, desk, t0) == "fines_over_limit"


def test_max_loans(patron, main, desk, t0, rule) -> None:
    rule.max_loans = 2
    rule.save()
    for _ in range(2):
        services.checkout(ItemFactory(home_branch=main), patron, actor=desk, at=t0)
    assert refusal(ItemFactory(home_branch=main), patron, desk, t0) == "max_loans_reached"


def test_max_loans_of_an_item_type_rule_counts_that_type_only(patron, main, desk, t0) -> None:
    dvd = ItemTypeFactory(code="DVD", name="DVD")
    RuleFactory(item_type=dvd, max_loans=1)
    services.checkout(ItemFactory(home_branch=main), patron, actor=desk, at=t0)  # a book
    services.checkout(ItemFactory(home_branch=main, item_type=dvd), patron, actor=desk, at=t0)
    assert refusal(ItemFactory(home_branch=main, item_type=dvd), patron, desk, t0) == "max_loans_reached"


def test_decision_lists_every_refusal_and_explains_the_rule(patron, item, desk, t0) -> None:
    patron.expires_on = date(2025, 1, 1)
    patron.save()
    patrons.block_patron(patron, reason="Noise", actor=desk, at=t0)
    decision = policy.can_checkout(patron, item, at=t0)
    assert not decision.allowed
    assert [code for code, _m in decision.refusals] == ["card_expired", "patron_blocked"]
    assert decision.code == "card_expired"
    assert "01/01/2025" in decision.message  # a date in the reader's format (English: m/d/Y)
    assert "any branch, any category, any item type" in decision.rule_explanation
    assert decision.due_at is not None and decision.overridable


def test_anonymised_patron(patron, item, desk, t0) -> None:
    patrons.anonymise_patron(patron, actor=desk, at=t0)
    patron.refresh_from_db()
    assert refusal(item, patron, desk, t0) == "patron_anonymised"
