"""Staff page fixtures: two branches, the default rule, a patron with a card, items at the main branch, a
librarian with the desk role, a staff account without roles, and a superuser supervisor."""

from __future__ import annotations

import pytest
from django.test import Client

from kitab.circulation.models import CirculationRule
from kitab.core.actor import Actor
from kitab.items.models import Branch, Item
from kitab.patrons.models import Patron
from kitab.patrons.services import assign_staff_role
from tests import branch_fixtures
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import PatronFactory

rule, main, east = branch_fixtures.rule, branch_fixtures.main, branch_fixtures.east  # shared fixtures


@pytest.fixture
def patron(rule: CirculationRule, main: Branch) -> Patron:
    return PatronFactory(home_branch=main, card_number="C-100200", first_name="Leyla", last_name="Məmmədova")


@pytest.fixture
def items(rule: CirculationRule, main: Branch) -> list[Item]:
    return [ItemFactory(home_branch=main, barcode=f"3900000{n}") for n in range(1, 5)]


@pytest.fixture
def staff_user(django_user_model, db):  # type: ignore[no-untyped-def]
    """The librarian of the root conftest, holding the default "desk" role at every branch: lend, renew, take
    fines, register and edit patrons, and override the loan limit only."""
    user = django_user_model.objects.create_user("librarian", password="correct horse battery", is_staff=True)
    assign_staff_role(user, role="desk", branch_code=None, actor=Actor.system())
    return user


@pytest.fixture
def roleless_client(django_user_model, db):  # type: ignore[no-untyped-def]
    """A staff account with no role: it may sign in but not use the desk or the Users module."""
    client = Client()
    client.force_login(django_user_model.objects.create_user("newcomer", password="x", is_staff=True))
    return client


@pytest.fixture
def supervisor_client(django_user_model, main):  # type: ignore[no-untyped-def]
    """A superuser (its own browser session): every Django permission, so it may override and edit rules."""
    client = Client()
    user = django_user_model.objects.create_user("supervisor", password="supervisor pass", is_staff=True,
                                                 is_superuser=True)
    client.force_login(user)
    return client
