from __future__ import annotations

from datetime import date

import pytest

from kitab.circulation import services
from kitab.circulation.errors import CirculationError
from kitab.core.actor import Actor
from kitab.items.models import Item
from kitab.patrons import services as patrons
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import PatronFactory


def test_allowed_actor_overrides_and_the_override_is_recorded(patron, item, supervisor, t0) -> None:
    patron.expires_on = date(2025, 1, 1)
    patron.save()
    loan = services.checkout(item, patron, actor=supervisor, at=t0, override=True)
    assert loan.override_code == "card_expired"
    assert loan.events.get().override_code == "card_expired"


def test_override_needs_the_permission_for_every_refusal(patron, item, t0) -> None:
    patron.expires_on = date(2025, 1, 1)
    patron.save()
    patrons.block_patron(patron, reason="Noise", actor=Actor.system(), at=t0)
    partial = Actor(channel="staff", username="desk", branch_code="MAIN",
                    permissions=frozenset({"override:card_expired"}))
    with pytest.raises(CirculationError) as excinfo:
        services.checkout(item, patron, actor=partial, at=t0, override=True)
    assert excinfo.value.code == "card_expired"
    both = Actor(channel="staff", username="desk", branch_code="MAIN",
                 permissions=frozenset({"override:card_expired", "override:patron_blocked"}))
    assert services.checkout(item, patron, actor=both, at=t0, override=True).override_code == \
        "card_expired,patron_blocked"


def test_override_must_be_asked_for(patron, item, supervisor, t0) -> None:
    patron.expires_on = date(2025, 1, 1)
    patron.save()
    with pytest.raises(CirculationError):
        services.checkout(item, patron, actor=supervisor, at=t0)


def test_actor_without_permission_cannot_override(patron, item, desk, t0) -> None:
    patron.expires_on = date(2025, 1, 1)
    patron.save()
    with pytest.raises(CirculationError) as excinfo:
        services.checkout(item, patron, actor=desk, at=t0, override=True)
    assert excinfo.value.code == "card_expired"


def test_some_refusals_cannot_be_overridden(patron, main, item, supervisor, t0) -> None:
    services.checkout(item, patron, actor=supervisor, at=t0)
    with pytest.raises(CirculationError) as excinfo:
        services.checkout(item, PatronFactory(home_branch=main), actor=supervisor, at=t0, override=True)
    assert excinfo.value.code == "item_on_loan"
    lost = ItemFactory(home_branch=main, status=Item.Status.LOST)
    with pytest.raises(CirculationError) as excinfo:
        services.checkout(lost, patron, actor=supervisor, at=t0, override=True)
    assert excinfo.value.code == "item_lost"


def test_not_for_loan_item_can_be_lent_by_override(patron, main, supervisor, t0) -> None:
    item = ItemFactory(home_branch=main, status=Item.Status.NOT_FOR_LOAN)
    loan = services.checkout(item, patron, actor=supervisor, at=t0, override=True)
    assert loan.override_code == "item_not_loanable"
    item.refresh_from_db()
    assert item.status == Item.Status.ON_LOAN
