"""Undo a whole batch: the database goes back exactly as it was (a full export with copies is identical), or
undo refuses and lists what would be lost."""

from __future__ import annotations

import io

import pytest

from kitab.catalogue import editing
from kitab.catalogue.exporting import export_records
from kitab.catalogue.models import DeletedRecord, Record, RecordVersion
from kitab.imports import services
from kitab.imports.errors import ImportBatchError
from kitab.imports.models import ImportBatch
from kitab.items.models import Item
from kitab.search import services as search_services
from kitab.search.types import SearchRequest
from tests.catalogue.marcdata import bib, field
from tests.imports.conftest import CATALOGUER, with_copy

BROKEN = b"00042nam  2200037   4500garbage\x1e\x1d"


def full_export() -> tuple[bytes, bytes]:
    marc, csv = io.BytesIO(), io.BytesIO()
    export_records(marc, fmt="iso2709", with_items=True)
    export_records(csv, fmt="csv", with_items=True)
    return marc.getvalue(), csv.getvalue()


def _titles(query: str) -> list[str]:
    return sorted(hit.title for hit in search_services.search(SearchRequest(query)).hits)


def _batch(mrc, records, **options):  # type: ignore[no-untyped-def]
    batch = services.stage_file(mrc(records), actor=CATALOGUER, **options)
    services.run_batch(batch, actor=CATALOGUER)
    batch.refresh_from_db()
    return batch


@pytest.mark.parametrize("on_match", ["replace", "merge"])
def test_import_then_undo_leaves_the_catalogue_exactly_as_before(
    local_catalogue, mrc, on_match, django_capture_on_commit_callbacks
):
    search_services.reindex()
    before = full_export()
    counts = (Record.objects.count(), Item.objects.count())
    barcode_less = set(Item.objects.filter(barcode__isnull=True).values_list("pk", flat=True))
    batch = _batch(mrc, [
        # updates A1 and moves its copy to another branch
        with_copy(bib("Dədə Qorqud kitabı (2nd ed.)", control="A1", isbn="9789952000016"), "B-0001", branch="EAST"),
        # updates A2, whose barcode-less copy is replaced
        with_copy(bib("Leyli və Məcnun", control="A2", author="Füzuli", year="1999"), None, call="PL 2"),
        with_copy(bib("Əsli və Kərəm", control="N1", author=None), "B-9001"),  # new, with a copy
        with_copy(bib("Aşıq Qərib", control="N2", author=None), "B-0001"),  # new, takes A1's copy by barcode
        BROKEN,
        bib("Koroğlu", control="A3", author=None, isbn="9789952000023"),  # identical: skipped
    ], on_match=on_match)
    assert (batch.added, batch.updated, batch.skipped, batch.rejected) == (2, 2, 1, 1)
    assert full_export() != before
    assert Item.objects.get(barcode="B-0001").record.control_number == "N2"
    assert services.undo_problems(batch) == []
    with django_capture_on_commit_callbacks(execute=True):
        report = services.undo_batch(batch, actor=CATALOGUER)
    assert (report.deleted, report.restored) == (2, 2)
    assert full_export() == before
    assert (Record.objects.count(), Item.objects.count()) == counts
    assert set(Item.objects.filter(barcode__isnull=True).values_list("pk", flat=True)) == barcode_less
    assert not RecordVersion.objects.filter(batch_id=batch.pk).exists()
    assert DeletedRecord.objects.filter(control_number__in=["N1", "N2"]).count() == 2  # tombstones, as deletes
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE and batch.undone_by == "cataloguer"
    assert _titles("Qərib") == [] and _titles("Qorqud") == ["Dədə Qorqud kitabı"]


def test_undo_refuses_when_a_record_was_edited_since_and_lists_it(local_catalogue, mrc, monkeypatch):
    batch = _batch(mrc, [bib("Dədə Qorqud kitabı (2nd ed.)", control="A1", isbn="9789952000016"),
                         bib("Əsli və Kərəm", control="N1", author=None)])
    a1 = Record.objects.get(control_number="A1")
    new = Record.objects.get(control_number="N1")
    marc = editing.as_pymarc(bytes(a1.raw))
    marc.add_field(field("500", "a", "Checked by the cataloguer"))
    editing.save_record(record=a1, marc=marc, actor=CATALOGUER, channel="editor", validate=False)
    marc = editing.as_pymarc(bytes(new.raw))
    marc.add_field(field("500", "a", "Also checked"))
    editing.save_record(record=new, marc=marc, actor=CATALOGUER, channel="editor", validate=False)
    before = full_export()
    with pytest.raises(ImportBatchError) as refused:
        services.undo_batch(batch, actor=CATALOGUER)
    assert refused.value.code == "undo_would_lose_data"
    assert len(refused.value.problems) == 2
    assert f"Record {a1.pk} " in refused.value.problems[0] + refused.value.problems[1]
    assert all("edited since" in problem for problem in refused.value.problems)
    monkeypatch.setattr(services, "MAX_PROBLEMS", 1)
    assert services.undo_problems(batch)[1:] == ["… and 1 more problem."]
    assert full_export() == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FINISHED


def test_undo_refuses_when_a_copy_the_batch_added_has_been_lent(local_catalogue, mrc):
    from kitab.circulation.services import checkout
    from kitab.core.actor import Actor
    from tests.circulation.factories import default_rule
    from tests.patrons.factories import PatronFactory

    batch = _batch(mrc, [with_copy(bib("Əsli və Kərəm", control="N1", author=None), "B-9001")])
    default_rule()
    item = Item.objects.get(barcode="B-9001")
    checkout(item, PatronFactory(home_branch=item.home_branch), actor=Actor(channel="staff", branch_code="MAIN"))
    with pytest.raises(ImportBatchError) as refused:
        services.undo_batch(batch, actor=CATALOGUER)
    assert any("has loans" in p for p in refused.value.problems)
    assert Record.objects.filter(control_number="N1").exists()


def test_only_a_finished_batch_can_be_undone_and_only_once(local_catalogue, mrc):
    staged = services.stage_file(mrc([bib("X", control="N9")]), actor=CATALOGUER)
    with pytest.raises(ImportBatchError) as not_run:
        services.undo_batch(staged, actor=CATALOGUER)
    assert not_run.value.code == "not_undoable"
    services.run_batch(staged, actor=CATALOGUER)
    services.undo_batch(staged, actor=CATALOGUER)
    with pytest.raises(ImportBatchError) as twice:
        services.undo_batch(staged, actor=CATALOGUER)
    assert twice.value.code == "not_undoable"
