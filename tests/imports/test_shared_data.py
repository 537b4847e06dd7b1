"""Acceptance with real files (../shared/data/marc): a Koha and an Evergreen catalogue loaded with their copies,
then a staged batch of real records (Library of Congress records added, Evergreen records changed) run and
undone: a full export with copies is byte for byte what it was before."""

from __future__ import annotations

import io

import pymarc
import pytest

from kitab.catalogue.exporting import export_records
from kitab.catalogue.models import Record
from kitab.catalogue.services import import_file
from kitab.core.actor import Actor
from kitab.imports import services
from kitab.items.models import Item
from kitab.marc.reader import iter_records
from kitab.marc.writer import to_iso2709
from tests.imports.conftest import CATALOGUER

pytestmark = pytest.mark.shared


def _full_export() -> bytes:
    out = io.BytesIO()
    export_records(out, fmt="iso2709", with_items=True)
    csv = io.BytesIO()
    export_records(csv, fmt="csv", with_items=True)
    return out.getvalue() + csv.getvalue()


@pytest.mark.parametrize("on_match", ["replace", "merge"])
def test_real_batch_then_undo_leaves_the_database_as_before(db, shared_data, tmp_path, on_match):
    import_file(shared_data / "koha-sample-data" / "koha_sample_biblios.wellformed.marcxml.xml", actor=Actor.system())
    jazz = shared_data / "evergreen" / "jazz_1k.mrc"
    import_file(jazz, actor=Actor.system())
    records_before, items_before = Record.objects.count(), Item.objects.count()
    assert records_before > 1000 and items_before > 1000
    before = _full_export()

    batch_file = tmp_path / "batch.mrc"
    with batch_file.open("wb") as out:
        for n, result in enumerate(iter_records(jazz)):  # 150 changed Evergreen records: updates with copies
            if n >= 150:
                break
            record = result.record
            record.add_ordered_field(pymarc.Field(tag="500", indicators=[" ", " "],
                                                  subfields=[pymarc.Subfield("a", "Checked in the staged import")]))
            out.write(to_iso2709(record))
        for n, result in enumerate(iter_records(shared_data / "loc-booksall-2016" / "first_10000.mrc")):
            if n >= 150:  # 150 Library of Congress records: additions
                break
            out.write(result.raw or to_iso2709(result.record))
    batch = services.stage_file(batch_file, actor=CATALOGUER, on_match=on_match)
    services.run_batch(batch, actor=CATALOGUER)
    batch.refresh_from_db()
    assert batch.updated == 150 and batch.added == 150 and batch.rejected == 0
    assert _full_export() != before

    services.undo_batch(batch, actor=CATALOGUER)
    assert (Record.objects.count(), Item.objects.count()) == (records_before, items_before)
    assert _full_export() == before
