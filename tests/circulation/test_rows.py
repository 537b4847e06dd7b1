"""The fixed-SQL reads and writes of the checkout/check-in hot path (kitab.circulation.rows) read and write
exactly what the ORM would, and nothing relies on the model signals they do not send."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models.signals import post_save, pre_save

from kitab.circulation import rows
from kitab.circulation.models import CirculationSettingsVersion, Loan, LoanEvent
from kitab.items.models import Item
from kitab.patrons.models import Patron
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import T0, PatronFactory

pytestmark = pytest.mark.django_db


def _fields(instance):  # type: ignore[no-untyped-def]
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_nothing_listens_to_saves_of_the_rows_written_in_fixed_sql():
    for model in (Loan, LoanEvent, Item):
        assert not post_save.has_listeners(model), model
        assert not pre_save.has_listeners(model), model


def test_locked_rows_equal_what_the_orm_reads():
    item = ItemFactory(status_changed_at=T0, status_note="spine repaired")
    patron = PatronFactory()
    with transaction.atomic():
        locked, token = rows.lock_item(item.pk)
        assert _fields(locked) == _fields(Item.objects.get(pk=item.pk))
        assert token == CirculationSettingsVersion.objects.get(pk=1).token
        assert _fields(rows.lock_patron(patron.pk)) == _fields(Patron.objects.get(pk=patron.pk))
    with pytest.raises(Item.DoesNotExist):
        rows.lock_item(item.pk + 1000)
    with pytest.raises(Patron.DoesNotExist):
        rows.lock_patron(patron.pk + 1000)


def test_insert_update_and_open_loan_round_trip():
    item, patron = ItemFactory(), PatronFactory()
    loan = rows.insert(Loan(item=item, patron=patron, branch=item.home_branch, issued_at=T0,
                            due_at=T0 + timedelta(days=14), status=Loan.Status.ON_LOAN, idempotency_key="k-1"))
    assert loan.pk and not loan._state.adding
    assert _fields(rows.open_loan(item.pk)) == _fields(Loan.objects.get(pk=loan.pk))
    loan.status, loan.returned_at, loan.returned_branch = Loan.Status.RETURNED, T0 + timedelta(days=3), item.home_branch
    rows.update(loan)
    assert _fields(Loan.objects.get(pk=loan.pk)) == _fields(loan)
    assert rows.open_loan(item.pk) is None
    item.status = Item.Status.IN_TRANSIT
    item.barcode = "not written"
    rows.update(item, ("status",))
    stored = Item.objects.get(pk=item.pk)
    assert stored.status == Item.Status.IN_TRANSIT
    assert stored.barcode != "not written"  # only the fields named are written
