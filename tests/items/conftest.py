"""Copy fixtures: two branches, an item type, a record with real MARC (so it is indexed), a cataloguer actor."""

from __future__ import annotations

import pytest

from kitab.catalogue.models import Record
from kitab.core.actor import Actor
from kitab.items.models import BarcodePattern, ItemType
from tests import branch_fixtures
from tests.circulation.factories import ItemTypeFactory, RecordFactory
from tests.marc.builders import cf, df, make_record
from tests.patrons.factories import T0

rule, main, east = branch_fixtures.rule, branch_fixtures.main, branch_fixtures.east  # shared fixtures


@pytest.fixture
def book(db: None) -> ItemType:
    return ItemTypeFactory(code="BOOK", name="Book")


@pytest.fixture
def record(db: None) -> Record:
    from kitab.marc.writer import to_iso2709

    raw = to_iso2709(make_record(cf("001", "copies1"), df("245", "10", "a", "Kitabi Dədə Qorqud")))
    return RecordFactory(raw=raw, title="Kitabi Dədə Qorqud")


@pytest.fixture
def pattern(db: None) -> BarcodePattern:
    return BarcodePattern.objects.create(code="kt", name="KT", prefix="KT", include_branch=True, width=5,
                                         check_digit="mod10")


@pytest.fixture
def cataloguer() -> Actor:
    return Actor(channel="staff", username="cataloguer", branch_code="MAIN")


@pytest.fixture
def t0():  # type: ignore[no-untyped-def]
    return T0
