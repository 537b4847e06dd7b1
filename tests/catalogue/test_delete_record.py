"""Deleting one record from the workbench: refused while copies are on loan or holds wait."""

from __future__ import annotations

import pytest

from kitab.catalogue import editing
from kitab.catalogue.errors import CatalogueError
from kitab.catalogue.models import DeletedRecord, Record
from kitab.circulation import services as circulation
from kitab.core.actor import OVERRIDE_ANY, Actor
from kitab.holds import services as holds
from kitab.holds.models import Hold
from tests.catalogue.marcdata import bib
from tests.circulation.factories import ItemFactory, default_rule
from tests.patrons.factories import T0, BranchFactory, PatronFactory

DESK = Actor(channel="staff", username="librarian", branch_code="MAIN", permissions=frozenset({OVERRIDE_ANY}))


@pytest.fixture
def setup(db):
    default_rule()
    main = BranchFactory(code="MAIN")
    record = editing.save_record(record=None, marc=bib("To delete"), actor=DESK, channel="editor")
    item = ItemFactory(record=record, home_branch=main)
    patron = PatronFactory(home_branch=main)
    return record, item, patron, main


def test_refused_while_a_copy_is_on_loan_then_history_blocks_too(setup):
    record, item, patron, _main = setup
    circulation.checkout(item, patron, actor=DESK, at=T0)
    with pytest.raises(CatalogueError) as excinfo:
        editing.delete_record(record=record, actor=DESK)
    assert excinfo.value.code == "copies_on_loan"
    circulation.checkin(item, actor=DESK, at=T0)
    with pytest.raises(CatalogueError) as excinfo:
        editing.delete_record(record=record, actor=DESK)
    assert excinfo.value.code == "circulation_history"
    assert Record.objects.filter(pk=record.pk).exists()
    assert not DeletedRecord.objects.exists()


def test_refused_while_holds_wait(setup):
    record, _item, patron, main = setup
    hold = holds.place_hold(patron, record, pickup_branch=main, actor=DESK, at=T0, override=True)
    with pytest.raises(CatalogueError) as excinfo:
        editing.delete_record(record=record, actor=DESK)
    assert excinfo.value.code == "holds_waiting"
    Hold.objects.filter(pk=hold.pk).update(status=Hold.Status.CANCELLED)
    editing.delete_record(record=record, actor=DESK)
    assert not Record.objects.filter(pk=record.pk).exists()
    assert DeletedRecord.objects.filter(pk=record.pk).exists()
