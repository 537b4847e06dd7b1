"""Hold fixtures: the circulation ones (rule, branches, patron, copy, desks, t0) plus a second patron."""

from __future__ import annotations

import pytest

from kitab.circulation.models import CirculationRule
from kitab.items.models import Branch
from kitab.patrons.models import Patron
from tests.circulation.conftest import desk, east, east_desk, item, main, patron, rule, supervisor, t0  # noqa: F401
from tests.patrons.factories import PatronFactory


@pytest.fixture
def other(rule: CirculationRule, main: Branch) -> Patron:  # noqa: F811
    return PatronFactory(home_branch=main)


@pytest.fixture
def third(rule: CirculationRule, main: Branch) -> Patron:  # noqa: F811
    return PatronFactory(home_branch=main)
