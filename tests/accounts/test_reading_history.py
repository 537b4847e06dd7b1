"""Reading history: off by default, recorded at checkout only when switched on, erasable, exported as CSV."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kitab.accounts import selectors, services
from kitab.accounts.models import ReadingHistoryEntry
from kitab.circulation import services as circulation
from kitab.core.actor import Actor
from kitab.patrons import services as patron_services
from tests.accounts.factories import patron_with_account
from tests.circulation.factories import ItemFactory, RecordFactory, default_rule
from tests.patrons.factories import T0

pytestmark = pytest.mark.django_db
DESK = Actor(channel="staff", username="desk")


@pytest.fixture
def patron(settings):  # type: ignore[no-untyped-def]
    settings.KITAB_INDEX_AFTER_CIRCULATION = False
    default_rule()
    return patron_with_account()


def _lend(patron, capture, title: str = "Leyli və Məcnun"):  # type: ignore[no-untyped-def]
    item = ItemFactory(record=RecordFactory(title=title, author="Füzuli"))
    with capture(execute=True):
        return circulation.checkout(item, patron, actor=DESK, at=T0)


def test_off_by_default_nothing_recorded(patron, django_capture_on_commit_callbacks):
    assert not selectors.preferences(patron).keep_reading_history
    _lend(patron, django_capture_on_commit_callbacks)
    assert not ReadingHistoryEntry.objects.exists()


def test_recorded_once_switched_on_and_kept_when_switched_off(patron, django_capture_on_commit_callbacks):
    services.set_reading_history(patron, enabled=True, actor=Actor(channel="opac"), at=T0)
    loan = _lend(patron, django_capture_on_commit_callbacks)
    entry = ReadingHistoryEntry.objects.get()
    assert (entry.patron, entry.loan, entry.title, entry.author) == (patron, loan, "Leyli və Məcnun", "Füzuli")
    services.record_reading(loan)  # a replayed signal adds nothing
    assert ReadingHistoryEntry.objects.count() == 1
    services.set_reading_history(patron, enabled=False, actor=Actor(channel="opac"), at=T0)
    _lend(patron, django_capture_on_commit_callbacks, "Koroğlu")
    assert ReadingHistoryEntry.objects.count() == 1


def test_checkout_answers_the_preference_so_the_receiver_needs_no_query(patron, django_capture_on_commit_callbacks):
    # Checkout's patron figures query says whether the borrower keeps a history (a flag accounts registers):
    # the receiver of most checkouts, for patrons who keep none, runs no query after the commit.
    item = ItemFactory(record=RecordFactory(title="Koroğlu"))
    with django_capture_on_commit_callbacks() as callbacks:
        circulation.checkout(item, patron, actor=DESK, at=T0)
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    assert queries.captured_queries == []
    assert not ReadingHistoryEntry.objects.exists()


def test_erase_and_export(patron, django_capture_on_commit_callbacks):
    services.set_reading_history(patron, enabled=True, actor=Actor(channel="opac"), at=T0)
    _lend(patron, django_capture_on_commit_callbacks, "Dədə Qorqud, \"kitabı\"")
    out = io.StringIO()
    assert services.write_reading_history_csv(patron, out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == "Borrowed,Title,Author,Barcode"
    assert '"Dədə Qorqud, ""kitabı"""' in lines[1]
    assert services.erase_reading_history(patron, actor=Actor(channel="opac"), at=T0) == 1
    assert not ReadingHistoryEntry.objects.exists()


def test_anonymising_the_patron_forgets_history_and_account(patron, django_capture_on_commit_callbacks):
    services.set_reading_history(patron, enabled=True, actor=Actor(channel="opac"), at=T0)
    loan = _lend(patron, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        circulation.checkin(loan.item, actor=DESK, at=T0)
    patron_services.anonymise_patron(patron, actor=DESK, at=T0)
    assert not ReadingHistoryEntry.objects.exists()
    assert not hasattr(type(patron).objects.get(pk=patron.pk), "online_account")
