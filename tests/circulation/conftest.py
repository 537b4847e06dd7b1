"""Circulation fixtures: a default rule with known values, a branch, a patron, an item, desk actors."""

from __future__ import annotations

import pytest

from kitab.circulation.models import CirculationRule
from kitab.core.actor import OVERRIDE_ANY, Actor
from kitab.items.models import Branch, Item
from kitab.patrons.models import Patron
from tests.circulation.factories import ItemFactory, default_rule
from tests.patrons.factories import T0, BranchFactory, PatronFactory


@pytest.fixture
def rule(db: None) -> CirculationRule:
    """Default rule: 14 days, 5 loans, 2 renewals, 0.50 a day capped at 10.00, lost item 25.00."""
    return default_rule()


@pytest.fixture
def main(db: None) -> Branch:
    return BranchFactory(code="MAIN")


@pytest.fixture
def east(db: None) -> Branch:
    return BranchFactory(code="EAST")


@pytest.fixture
def patron(rule: CirculationRule, main: Branch) -> Patron:
    return PatronFactory(home_branch=main)


@pytest.fixture
def item(rule: CirculationRule, main: Branch) -> Item:
    return ItemFactory(home_branch=main)


@pytest.fixture
def desk() -> Actor:
    return Actor(channel="staff", username="librarian", branch_code="MAIN")


@pytest.fixture
def east_desk(east: Branch) -> Actor:
    return Actor(channel="staff", username="east-librarian", branch_code="EAST")


@pytest.fixture
def supervisor() -> Actor:
    return Actor(channel="staff", username="supervisor", branch_code="MAIN", permissions=frozenset({OVERRIDE_ANY}))


@pytest.fixture
def t0():  # type: ignore[no-untyped-def]
    """Monday 3 March 2025, 10:00 UTC."""
    return T0
