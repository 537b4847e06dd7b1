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


def test_loan_and_its_event_written_together():
    item, patron = ItemFactory(), PatronFactory()
    loan = Loan(item=item, patron=patron, branch=item.home_branch, issued_at=T0, due_at=T0 + timedelta(days=14),
                status=Loan.Status.ON_LOAN)
    rows.write_loan_with_event(loan, LoanEvent(trigger="checkout", from_status="new", to_status="on_loan", at=T0,
                                               due_at=loan.due_at, actor_channel="staff", actor_name="desk"))
    assert _fields(Loan.objects.get(pk=loan.pk)) == _fields(loan)
    loan.status, loan.returned_at = Loan.Status.RETURNED, T0 + timedelta(days=2)
    rows.write_loan_with_event(loan, LoanEvent(trigger="checkin", from_status="on_loan", to_status="returned",
                                               at=loan.returned_at, due_at=loan.due_at, actor_channel="sip2"))
    assert _fields(Loan.objects.get(pk=loan.pk)) == _fields(loan)
    events = list(LoanEvent.objects.filter(loan=loan).order_by("pk").values_list("trigger", "to_status", "at",
                                                                                 "actor_channel"))
    assert events == [("checkout", "on_loan", T0, "staff"), ("checkin", "returned", T0 + timedelta(days=2), "sip2")]
