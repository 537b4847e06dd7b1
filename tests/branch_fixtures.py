"""Fixtures for pages that show branch names: the default circulation rule and two named branches.

Imported by the conftest of each test folder that uses them (tests/items, tests/staff)."""

from __future__ import annotations

import pytest

from kitab.circulation.models import CirculationRule
from kitab.items.models import Branch
from tests.circulation.factories import default_rule
from tests.patrons.factories import BranchFactory


@pytest.fixture
def rule(db: None) -> CirculationRule:
    return default_rule()


@pytest.fixture
def main(db: None) -> Branch:
    return BranchFactory(code="MAIN", name="Main library")


@pytest.fixture
def east(db: None) -> Branch:
    return BranchFactory(code="EAST", name="East branch")
