"""Fixtures for the account page tests: a branch, the default rule, a signed-in patron with items to borrow."""

from __future__ import annotations

import pytest

from kitab.items.models import Branch
from tests.accounts.factories import patron_with_account
from tests.circulation.factories import default_rule
from tests.patrons.factories import BranchFactory, PatronCategoryFactory


@pytest.fixture
def main_branch(db: None, settings) -> Branch:  # type: ignore[no-untyped-def]
    settings.KITAB_INDEX_AFTER_CIRCULATION = False
    default_rule()
    PatronCategoryFactory(code="ADULT")
    return BranchFactory(code="MAIN", name="Main library")


@pytest.fixture
def patron(main_branch):  # type: ignore[no-untyped-def]
    return patron_with_account(card_number="AB1234", first_name="Aysel", last_name="Quliyeva", home_branch=main_branch)


@pytest.fixture
def patron_client(client, patron):  # type: ignore[no-untyped-def]
    client.post("/account/login/", {"identifier": "AB1234", "password": "a long library password"})
    return client
