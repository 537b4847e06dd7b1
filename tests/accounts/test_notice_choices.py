"""Notices a patron turned off in their account are not sent; the ones they cannot turn off still are."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kitab.accounts import services
from kitab.circulation import services as circulation
from kitab.core.actor import Actor
from kitab.notices.services import run_notices
from tests.accounts.factories import patron_with_account
from tests.circulation.factories import ItemFactory

pytestmark = pytest.mark.django_db
DESK = Actor(channel="staff", username="desk")


def test_muted_due_soon_is_not_sent_but_overdue_is(main_branch, mailoutbox):
    from tests.patrons.factories import T0

    quiet = patron_with_account(home_branch=main_branch, email="quiet@example.org")
    other = patron_with_account(home_branch=main_branch, email="other@example.org")
    services.update_profile(quiet, actor=Actor(channel="opac"), at=T0, email=quiet.email, phone="", address="",
                            language="en", muted_notices=["due_soon"])
    for patron in (quiet, other):
        circulation.checkout(ItemFactory(home_branch=main_branch), patron, actor=DESK, at=T0)
    report = run_notices(at=T0 + timedelta(days=12), actor=DESK)
    assert [(n.kind, n.to) for n in report.notices] == [("due_soon", "other@example.org")]
    report = run_notices(at=T0 + timedelta(days=15), actor=DESK)
    assert sorted(n.to for n in report.notices if n.kind == "overdue_1") == [
        "other@example.org", "quiet@example.org"]
