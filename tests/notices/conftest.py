"""Notice fixtures: the circulation ones plus patrons reading English and Azerbaijani."""

from __future__ import annotations

import pytest

from kitab.circulation.models import CirculationRule
from kitab.items.models import Branch
from kitab.patrons.models import Patron
from tests.circulation.conftest import desk, item, main, rule, t0  # noqa: F401
from tests.patrons.factories import PatronFactory


@pytest.fixture
def reader(rule: CirculationRule, main: Branch) -> Patron:  # noqa: F811
    return PatronFactory(home_branch=main, email="reader@example.org", language="en", first_name="Ann",
                         last_name="Reader")


@pytest.fixture
def oxucu(rule: CirculationRule, main: Branch) -> Patron:  # noqa: F811
    return PatronFactory(home_branch=main, email="oxucu@example.az", language="az", first_name="Aysel",
                         last_name="Məmmədova")
