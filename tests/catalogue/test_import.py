"""The import service: counts, matching, rejects, holdings, resume after interruption."""

from __future__ import annotations

import gzip
import io
import lzma
import unicodedata
from pathlib import Path

import pymarc
import pytest

from kitab.catalogue.errors import CatalogueError
from kitab.catalogue.models import ImportRun, Record, RecordIdentifier
from kitab.catalogue.services import import_file
from kitab.core.actor import Actor
from kitab.items.models import Branch, Item, ItemType
from kitab.search import services as search_services
from kitab.search.models import PendingIndexUpdate
from kitab.search.types import SearchRequest
from tests.conftest import demo_raw_records

ACTOR = Actor.cli("tester")


def _search(query: str, **filters: list[str]) -> list[int]:
    return [h.record_id for h in search_services.search(SearchRequest(query=query, filters=filters, limit=50)).hits]


def _with_title(raw: bytes, title: str) -> bytes:
    record = pymarc.Record(data=raw, to_unicode=True, force_utf8=True)
    record["245"]["a"] = title
    return record.as_marc()


def _record(control: str | None, title: str, *, fields: list[pymarc.Field] = ()) -> bytes:
    record = pymarc.Record(force_utf8=True)
    record.leader = pymarc.Leader("     nam a22     7a 4500")
    if control:
        record.add_field(pymarc.Field(tag="001", data=control))
        record.add_field(pymarc.Field(tag="003", data="KITAB"))
    record.add_field(pymarc.Field(tag="008", data="200101s2020    tu            000 0 tur d"))
    record.add_field(
        pymarc.Field(tag="245", indicators=["1", "0"], subfields=[pymarc.Subfield("a", title)])
    )
    for field in fields:
        record.add_field(field)
    return record.as_marc()


def test_import_counts_and_search(db, marc_file):
    raws = list(demo_raw_records(120))
    report = import_file(marc_file(raws), actor=ACTOR)

    assert (report.added, report.updated, report.skipped, report.rejected) == (120, 0, 0, 0)
    assert Record.objects.count() == 120
    assert RecordIdentifier.objects.filter(kind="ctl").count() == 120
    assert not PendingIndexUpdate.objects.exists()  # everything queued was indexed
    first = pymarc.Record(data=raws[0], to_unicode=True, force_utf8=True)
    stored = Record.objects.get(control_number=first["001"].data.strip())
    assert bytes(stored.raw) == raws[0]  # UTF-8 NFC LoC records are kept byte for byte
    assert stored.pk in _search(f"lccn:{first['010']['a'].strip()}")
    assert stored.pk in _search(f'title:"{stored.title}"')


def test_reimport_same_file_skips_and_changed_record_updates(db, marc_file):
    raws = list(demo_raw_records(30))
    import_file(marc_file(raws), actor=ACTOR)

    again = import_file(marc_file(raws, name="again.mrc"), actor=ACTOR)
    assert (again.added, again.updated, again.skipped) == (0, 0, 30)

    changed = raws[:]
    changed[5] = _with_title(raws[5], "Kıbrıs sorunu ve çözüm yolları")
    report = import_file(marc_file(changed, name="changed.mrc"), actor=ACTOR)
    assert (report.added, report.updated, report.skipped) == (0, 1, 29)
    assert Record.objects.count() == 30
    assert len(_search("KIBRIS sorunu")) == 1


def test_match_on_035_when_there_is_no_control_number(db, marc_file):
    oclc = pymarc.Field(tag="035", indicators=[" ", " "], subfields=[pymarc.Subfield("a", "(OCoLC)ocm00012345")])
    import_file(marc_file([_record(None, "First title", fields=[oclc])]), actor=ACTOR)
    oclc2 = pymarc.Field(tag="035", indicators=[" ", " "], subfields=[pymarc.Subfield("a", "(OCoLC)12345")])
    report = import_file(marc_file([_record(None, "Second title", fields=[oclc2])], name="b.mrc"), actor=ACTOR)
    assert (report.added, report.updated) == (0, 1)
    assert Record.objects.get().title.startswith("Second title")


def test_same_control_number_twice_in_one_file_is_one_record(db, marc_file):
    report = import_file(marc_file([_record("x1", "Old"), _record("x1", "New")]), actor=ACTOR)
    assert (report.added, report.updated) == (1, 1)
    assert Record.objects.get().title == "New"


def test_broken_record_is_rejected_with_position_and_the_rest_imports(db, marc_file, settings):
    good = list(demo_raw_records(4))
    broken = b"00099nam  2200049   4500" + b"garbage that is not a directory\x1e\x1d"
    path = marc_file([good[0], good[1], broken, good[2], good[3]])
    report = import_file(path, actor=ACTOR)

    assert (report.added, report.rejected) == (4, 1)
    reject = report.rejects[0]
    assert reject.position == 3
    assert reject.offset == len(good[0]) + len(good[1])
    assert reject.reason
    lines = Path(report.report_path).read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["file", "record", "byte_offset", "control_number", "reason"]
    assert lines[1].split("\t")[:3] == [path.name, "3", str(reject.offset)]
    assert Path(report.report_path).parent == Path(settings.KITAB_REPORTS_DIR)


def test_compressed_files(db, tmp_path):
    raws = list(demo_raw_records(10))
    gz = tmp_path / "r.mrc.gz"
    gz.write_bytes(gzip.compress(b"".join(raws)))
    xz = tmp_path / "r.mrc.xz"
    xz.write_bytes(lzma.compress(b"".join(list(demo_raw_records(15)))))
    assert import_file(gz, actor=ACTOR).added == 10
    report = import_file(xz, actor=ACTOR)
    assert (report.added, report.skipped) == (5, 10)


def test_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CatalogueError) as excinfo:
        import_file(tmp_path / "nope.mrc", actor=ACTOR)
    assert excinfo.value.code == "file_not_found"


def _item_field(barcode: str, branch: str, status_subfields: list[pymarc.Subfield] = ()) -> pymarc.Field:
    return pymarc.Field(
        tag="952",
        indicators=[" ", " "],
        subfields=[
            pymarc.Subfield("a", branch),
            pymarc.Subfield("b", branch),
            pymarc.Subfield("c", "STACKS"),
            pymarc.Subfield("o", "PL248 .K3 2020"),
            pymarc.Subfield("p", barcode),
            pymarc.Subfield("y", "BK"),
            *status_subfields,
        ],
    )


def test_embedded_items_become_copies_and_reimport_updates_them(db, marc_file):
    raw = _record("k1", "Sigorta Hukuku", fields=[_item_field("B001", "CPL"), _item_field("B002", "FFL")])
    report = import_file(marc_file([raw]), actor=ACTOR)
    assert (report.items_added, report.items_updated) == (2, 0)
    assert set(Branch.objects.values_list("code", flat=True)) >= {"CPL", "FFL"}
    assert ItemType.objects.filter(code="BK").exists()
    item = Item.objects.get(barcode="B001")
    assert (item.call_number, item.location, item.home_branch.code) == ("PL248 .K3 2020", "STACKS", "CPL")
    record_id = item.record_id
    assert record_id in _search("sigorta", branch=["FFL"])

    lost = _record("k1", "Sigorta Hukuku", fields=[_item_field("B001", "CPL", [pymarc.Subfield("1", "1")])])
    report = import_file(marc_file([lost], name="again.mrc"), actor=ACTOR)
    assert (report.updated, report.items_added, report.items_updated) == (1, 0, 1)
    assert Item.objects.get(barcode="B001").status == "lost"
    assert Item.objects.count() == 2  # B002 is not deleted just because the new file omits it


class _Stop(Exception):
    pass


def test_interrupted_import_keeps_committed_batches_and_resumes(db, marc_file):
    raws = list(demo_raw_records(50))
    path = marc_file(raws)
    calls = {"n": 0}

    def interrupt_after_two_batches(progress):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(path, actor=ACTOR, batch_size=10, on_progress=interrupt_after_two_batches)
    assert Record.objects.count() == 20
    run = ImportRun.objects.get()
    assert (run.status, run.committed_position) == (ImportRun.Status.INTERRUPTED, 20)

    report = import_file(path, actor=ACTOR, batch_size=10)
    assert report.resumed_from == 20
    assert (report.added, report.skipped) == (50, 0)  # the run's totals continue from the interrupted run
    assert Record.objects.count() == 50
    assert ImportRun.objects.get().status == ImportRun.Status.FINISHED
    assert len(_search("")) == 50 or search_services.search(SearchRequest(query="")).total == 50


def test_failure_inside_a_batch_leaves_that_batch_out(db, marc_file, monkeypatch):
    from kitab.items import services as item_services

    raws = list(demo_raw_records(30))
    original = item_services.sync_imported_holdings
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(item_services, "sync_imported_holdings", failing)
    with pytest.raises(RuntimeError):
        import_file(marc_file(raws), actor=ACTOR, batch_size=10)
    assert Record.objects.count() == 10
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_export_round_trip(db, marc_file):
    from kitab.catalogue.exporting import export_records

    raws = list(demo_raw_records(25))
    import_file(marc_file(raws), actor=ACTOR)
    out = io.BytesIO()
    assert export_records(out, fmt="iso2709") == 25
    exported = out.getvalue()
    # Documented normalisation: text is NFC (LC distributes some records decomposed); all else is unchanged.
    originals = [_nfc(pymarc.Record(data=r, to_unicode=True, force_utf8=True)) for r in raws]
    assert [_fields(r) for r in pymarc.MARCReader(io.BytesIO(exported), to_unicode=True)] == [
        _fields(r) for r in originals
    ]
    already_nfc = [r for r in raws if unicodedata.is_normalized("NFC", r.decode("utf-8"))]
    assert len(already_nfc) > 10 and all(r in exported for r in already_nfc)

    xml = io.BytesIO()
    export_records(xml, fmt="marcxml")
    back = pymarc.parse_xml_to_array(io.BytesIO(xml.getvalue()))
    assert [_fields(r) for r in back] == [_fields(r) for r in originals]


def _nfc(record: pymarc.Record) -> pymarc.Record:
    for field in record.fields:
        if field.is_control_field():
            field.data = unicodedata.normalize("NFC", field.data)
        else:
            field.subfields = [pymarc.Subfield(s.code, unicodedata.normalize("NFC", s.value)) for s in field.subfields]
    return record


def _fields(record: pymarc.Record) -> list[tuple]:
    return [
        (f.tag, f.data) if f.is_control_field() else (f.tag, tuple(f.indicators), tuple(f.subfields))
        for f in record.fields
    ]


def test_a_file_that_is_not_marc_is_a_clear_error(db, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("This is a shopping list, not a catalogue.\n" * 20)
    with pytest.raises(CatalogueError) as excinfo:
        import_file(path, actor=ACTOR)
    assert excinfo.value.code == "file_unreadable"
    assert "not a MARC file" in excinfo.value.message


def test_corrupt_compressed_file_keeps_what_was_read(db, tmp_path):
    raws = list(demo_raw_records(3000))  # several MiB: the reader decompresses in 1 MiB chunks
    data = gzip.compress(b"".join(raws))
    path = tmp_path / "cut.mrc.gz"
    path.write_bytes(data[: len(data) * 3 // 4])  # the end of the gzip stream is missing
    with pytest.raises(CatalogueError) as excinfo:
        import_file(path, actor=ACTOR, batch_size=250)
    assert excinfo.value.code == "file_unreadable"
    kept = Record.objects.count()
    assert 0 < kept < 3000
    assert search_services.search(SearchRequest(query="")).total == kept  # what was kept is searchable


def test_unknown_encoding_is_a_clear_error(db, marc_file):
    with pytest.raises(CatalogueError) as excinfo:
        import_file(marc_file(list(demo_raw_records(2))), actor=ACTOR, encoding="klingon-8")
    assert "unknown encoding" in excinfo.value.message
