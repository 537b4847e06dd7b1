"""Export of a selection (everything, ids, a query, a staff list) as ISO 2709, MARCXML or CSV, with copies as
952 on request; streamed in chunks."""

from __future__ import annotations

import csv
import io

import pymarc

from kitab.catalogue import exporting
from kitab.catalogue.exporting import Selection, export_records, iter_export
from kitab.catalogue.models import Record
from kitab.catalogue.services import import_file
from kitab.core.actor import Actor
from kitab.items.models import Item
from kitab.search import services as search_services


def _records(data: bytes) -> list[pymarc.Record]:
    return list(pymarc.MARCReader(data, to_unicode=True, force_utf8=True))


def test_everything_is_the_stored_records_byte_for_byte_in_id_order(local_catalogue):
    out = io.BytesIO()
    assert export_records(out, fmt="iso2709") == 3
    stored = b"".join(bytes(raw) for raw in Record.objects.order_by("pk").values_list("raw", flat=True))
    assert out.getvalue() == stored


def test_ids_keep_their_order_and_skip_missing_ones(local_catalogue):
    a1, a3 = (Record.objects.get(control_number=c).pk for c in ("A1", "A3"))
    out = io.BytesIO()
    assert export_records(out, ids=[a3, 999_999, a1]) == 2
    assert [r["001"].data for r in _records(out.getvalue())] == ["A3", "A1"]


def test_query_selection(local_catalogue):
    search_services.reindex()
    out = io.BytesIO()
    assert export_records(out, query="Koroğlu") == 1
    assert _records(out.getvalue())[0]["001"].data == "A3"


def test_copies_are_embedded_as_952_replacing_the_stored_ones_and_read_back(local_catalogue, mrc, db):
    item = Item.objects.get(barcode="B-0001")
    item.status = Item.Status.DAMAGED
    item.location = "REF"
    item.save()
    out = io.BytesIO()
    export_records(out, fmt="iso2709", with_items=True)
    by_001 = {r["001"].data: r for r in _records(out.getvalue())}
    fields = by_001["A1"].get_fields("952")
    assert len(fields) == 1  # the stored 952 was replaced, not repeated
    assert (fields[0]["p"], fields[0]["a"], fields[0]["c"], fields[0]["4"]) == ("B-0001", "MAIN", "REF", "1")
    assert not by_001["A3"].get_fields("952")
    # the 952 read back by the importer gives the same copy
    Item.objects.all().delete()
    Record.objects.all().delete()
    path = mrc([out.getvalue()], name="roundtrip.mrc")
    import_file(path, actor=Actor.system())
    again = Item.objects.get(barcode="B-0001")
    assert (again.status, again.location, again.home_branch.code) == ("damaged", "REF", "MAIN")


def test_marcxml_and_csv(local_catalogue):
    xml = io.BytesIO()
    assert export_records(xml, fmt="marcxml", with_items=True) == 3
    parsed = pymarc.parse_xml_to_array(io.BytesIO(xml.getvalue()))
    assert len(parsed) == 3 and parsed[0]["952"]["p"] == "B-0001"
    text = io.BytesIO()
    export_records(text, fmt="csv", with_items=True)
    rows = list(csv.reader(io.StringIO(text.getvalue().decode("utf-8-sig"))))
    assert rows[0] == exporting.CSV_COLUMNS + exporting.CSV_ITEM_COLUMNS
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["001"] == "A1" and first["title"] == "Dədə Qorqud kitabı" and first["isbn"] == "9789952000016"
    assert first["copies"] == "1" and first["barcodes"] == "B-0001" and first["branches"] == "MAIN"
    assert len(rows) == 4


def test_staff_list_selection(local_catalogue, django_user_model):
    from django.utils import timezone

    from kitab.worklists.models import RecordList, RecordListEntry

    owner = django_user_model.objects.create_user("owner", is_staff=True)
    now = timezone.now()
    record_list = RecordList.objects.create(owner=owner, name="to check", created_at=now, updated_at=now)
    a2 = Record.objects.get(control_number="A2")
    RecordListEntry.objects.create(record_list=record_list, record=a2, added_at=now)
    out = io.BytesIO()
    assert export_records(out, list_id=record_list.pk) == 1
    assert _records(out.getvalue())[0]["001"].data == "A2"


def test_export_is_streamed_in_chunks(local_catalogue, monkeypatch):
    monkeypatch.setattr(exporting, "CHUNK", 1)
    export = iter_export("iso2709", Selection())
    chunks = iter(export)
    first = next(chunks)
    assert export.count == 1 and first.endswith(b"\x1d")  # one record read, one written, nothing more held
    assert len(list(chunks)) == 2 and export.count == 3
