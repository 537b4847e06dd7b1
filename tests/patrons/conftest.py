from __future__ import annotations

import pytest

from kitab.core.actor import Actor
from kitab.items.models import Branch
from kitab.patrons.models import PatronCategory
from tests.circulation.factories import default_rule
from tests.patrons.factories import T0, BranchFactory, PatronCategoryFactory


@pytest.fixture
def main(db: None) -> Branch:
    default_rule()
    return BranchFactory(code="MAIN")


@pytest.fixture
def adult(db: None) -> PatronCategory:
    return PatronCategoryFactory(code="ADULT", enrolment_period_days=365)


@pytest.fixture
def child(db: None) -> PatronCategory:
    return PatronCategoryFactory(code="CHILD", name="Child", requires_guarantor=True, enrolment_period_days=180)


@pytest.fixture
def desk() -> Actor:
    return Actor(channel="staff", username="librarian", branch_code="MAIN")


@pytest.fixture
def t0():  # type: ignore[no-untyped-def]
    return T0
