"""Helpers shared by the lists, comments and saved-search tests: a signed-in patron and real demo records."""

from __future__ import annotations

from typing import Any

from kitab.catalogue.models import Record
from kitab.core.actor import Actor
from kitab.patrons.models import Patron
from tests.accounts.factories import account_user, patron_with_account
from tests.patrons.factories import T0

__all__ = ["OPAC", "T0", "demo_ids", "patron_with_account", "signed_in"]

OPAC = Actor(channel="opac", username="test")


def signed_in(client: Any, patron: Patron) -> Any:
    # Signed in through the patron backend, as the sign-in page does (the staff backend refuses patron users).
    client.force_login(account_user(patron), backend="kitab.accounts.backends.PatronBackend")
    return client


def demo_ids() -> list[int]:
    return list(Record.objects.order_by("pk").values_list("pk", flat=True))
