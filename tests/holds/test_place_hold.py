"""Placing a hold: the queue grows at its end, and every refusal has its code."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kitab.core.actor import OVERRIDE_ANY, Actor
from kitab.holds import services
from kitab.holds.errors import HoldError
from kitab.holds.models import Hold, HoldSettings
from kitab.items.models import Item
from tests.circulation.factories import ItemFactory, RecordFactory
from tests.holds.factories import STAFF, place
from tests.patrons.factories import PatronBlockFactory, PatronFactory


def _code(excinfo: pytest.ExceptionInfo[HoldError]) -> str:
    return excinfo.value.code


def test_holds_queue_in_order(patron, other, third, item, t0) -> None:
    holds = [place(p, item, at=t0 + timedelta(minutes=n)) for n, p in enumerate((patron, other, third))]
    assert [h.position for h in holds] == [1, 2, 3]
    first = holds[0]
    assert (first.status, first.record, first.pickup_branch, first.placed_at) == (
        Hold.Status.WAITING, item.record, item.home_branch, t0)
    assert first.actor_name == "staff:librarian"
    assert [e.action for e in first.events.all()] == ["place"]


def test_item_level_hold(patron, item, t0) -> None:
    hold = place(patron, item, at=t0, level="item")
    assert hold.item == item


def test_one_live_hold_per_title(patron, item, t0) -> None:
    place(patron, item, at=t0)
    with pytest.raises(HoldError) as excinfo:
        place(patron, item, at=t0)
    assert _code(excinfo) == "hold_exists"


def test_not_on_a_title_already_borrowed(patron, item, desk, t0) -> None:
    from kitab.circulation import services as circulation

    circulation.checkout(item, patron, actor=desk, at=t0)
    with pytest.raises(HoldError) as excinfo:
        place(patron, item, at=t0)
    assert _code(excinfo) == "already_borrowed"


def test_max_holds_and_its_override(patron, rule, t0, supervisor) -> None:
    rule.max_holds = 2
    rule.save()
    items = [ItemFactory() for _ in range(3)]
    for copy in items[:2]:
        place(patron, copy, at=t0)
    with pytest.raises(HoldError) as excinfo:
        place(patron, items[2], at=t0)
    assert _code(excinfo) == "max_holds_reached"
    assert "2 of 2" in excinfo.value.message
    hold = services.place_hold(patron, items[2].record, pickup_branch=items[2].home_branch, actor=supervisor, at=t0,
                               override=True)
    assert hold.events.get().note == "override:max_holds_reached"


def test_rule_without_holds(patron, item, rule, t0) -> None:
    rule.holds_allowed = False
    rule.save()
    with pytest.raises(HoldError) as excinfo:
        place(patron, item, at=t0)
    assert _code(excinfo) == "holds_not_allowed"


def test_copies_that_cannot_be_held(patron, t0) -> None:
    copy = ItemFactory(status=Item.Status.WITHDRAWN)
    with pytest.raises(HoldError) as excinfo:
        place(patron, copy, at=t0, level="item")
    assert _code(excinfo) == "item_not_holdable"
    with pytest.raises(HoldError) as excinfo:
        place(patron, copy, at=t0)
    assert _code(excinfo) == "item_not_holdable"


def test_copy_of_another_record(patron, item, main, t0) -> None:
    with pytest.raises(HoldError) as excinfo:
        services.place_hold(patron, RecordFactory(), pickup_branch=main, item=item, actor=STAFF, at=t0)
    assert _code(excinfo) == "item_not_of_record"


def test_record_without_copies(patron, main, t0) -> None:
    with pytest.raises(HoldError) as excinfo:
        services.place_hold(patron, RecordFactory(), pickup_branch=main, actor=STAFF, at=t0)
    assert _code(excinfo) == "record_has_no_items"


def test_blocked_patron(patron, item, t0) -> None:
    PatronBlockFactory(patron=patron)
    with pytest.raises(HoldError) as excinfo:
        place(patron, item, at=t0)
    assert _code(excinfo) == "patron_blocked"


def test_expired_card(rule, item, t0) -> None:
    from datetime import date

    with pytest.raises(HoldError) as excinfo:
        place(PatronFactory(expires_on=date(2025, 1, 1)), item, at=t0)
    assert _code(excinfo) == "card_expired"


def test_pickup_branch_must_accept_pickups(patron, item, east, t0) -> None:
    HoldSettings.objects.create(branch=east, pickup_allowed=False)
    with pytest.raises(HoldError) as excinfo:
        place(patron, item, at=t0, pickup=east)
    assert _code(excinfo) == "pickup_not_allowed"
    with pytest.raises(HoldError) as excinfo:  # not overridable
        services.place_hold(patron, item.record, pickup_branch=east, at=t0, override=True,
                            actor=Actor(channel="staff", username="s", permissions=frozenset({OVERRIDE_ANY})))
    assert _code(excinfo) == "pickup_not_allowed"


def test_expiry_in_the_past(patron, item, t0) -> None:
    with pytest.raises(HoldError) as excinfo:
        place(patron, item, at=t0, expires_at=t0 - timedelta(days=1))
    assert _code(excinfo) == "invalid_expiry"


def test_idempotency_key(patron, other, item, t0) -> None:
    first = place(patron, item, at=t0, idempotency_key="opac-1")
    again = place(patron, item, at=t0, idempotency_key="opac-1")
    assert again.pk == first.pk and Hold.objects.count() == 1
    with pytest.raises(HoldError) as excinfo:
        place(other, item, at=t0, idempotency_key="opac-1")
    assert _code(excinfo) == "idempotency_key_reused"
