"""The one save path for a changed record: stored like an import, versioned, and searchable at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kitab.catalogue import editing
from kitab.catalogue.errors import CatalogueError
from kitab.catalogue.models import DeletedRecord, Record, RecordIdentifier, RecordVersion
from kitab.catalogue.services import delete_records, import_file
from kitab.catalogue.validation import RecordInvalid
from kitab.core.actor import Actor
from kitab.items.models import Item
from kitab.marc.iso2709 import parse_record
from kitab.search import services as search_services
from kitab.search.models import PendingIndexUpdate
from kitab.search.types import SearchRequest
from tests.catalogue.marcdata import bib, field
from tests.patrons.factories import BranchFactory

EDITOR = Actor(channel="staff", user_id=7, username="cataloguer", branch_code="MAIN")
T1 = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
T2 = datetime(2025, 3, 4, 11, 30, tzinfo=UTC)


def _titles(query: str) -> list[str]:
    return [hit.title for hit in search_services.search(SearchRequest(query)).hits]


def test_create_stores_columns_identifiers_first_version_and_control_number(db):
    record = editing.save_record(
        record=None,
        marc=bib(isbn="978-0-19-852663-6"),
        actor=EDITOR,
        channel="editor",
        reason="new book",
        at=T1,
    )

    record.refresh_from_db()
    assert (record.title, record.author, record.year, record.language, record.material_type) == (
        "Kitab-ı Dədə Qorqud",
        "Ergin, Muharrem",
        2024,
        "tur",
        "book",
    )
    marc, _ = parse_record(bytes(record.raw))
    assert marc["001"].data == str(record.pk) and marc["003"].data == "KITAB"
    assert marc["005"].data == "20250303100000.0"
    assert record.control_number == str(record.pk)
    kinds = set(RecordIdentifier.objects.filter(record=record).values_list("kind", "value"))
    assert kinds == {("ctl", f"KITAB|{record.pk}"), ("isbn", "9780198526636")}
    version = RecordVersion.objects.get(record=record)
    assert (
        version.number,
        version.channel,
        version.actor,
        version.user_id,
        version.branch,
        version.reason,
        version.saved_at,
    ) == (1, "editor", "cataloguer", 7, "MAIN", "new book", T1)
    assert bytes(version.raw) == bytes(record.raw)
    assert PendingIndexUpdate.objects.filter(record_id=record.pk).exists()


def test_saved_record_is_found_in_search_right_after_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = editing.save_record(
            record=None, marc=bib("Qarabağ şikəstəsi"), actor=EDITOR, channel="editor"
        )
    assert _titles("şikəstəsi") == ["Qarabağ şikəstəsi"]

    changed = bib("Qarabağ bayatıları", control=record.control_number)
    with django_capture_on_commit_callbacks(execute=True):
        editing.save_record(record=record, marc=changed, actor=EDITOR, channel="editor")
    assert _titles("bayatıları") == ["Qarabağ bayatıları"]
    assert _titles("şikəstəsi") == []
    assert not PendingIndexUpdate.objects.exists()


def test_update_of_an_imported_record_keeps_its_import_state_as_version_one(db, marc_file):
    original = bib("Old title", control="c1").as_marc()
    import_file(marc_file([original]), actor=Actor.cli("importer"))
    record = Record.objects.get()
    raw_before = bytes(record.raw)

    editing.save_record(
        record=record,
        marc=bib("New title", control="c1"),
        actor=EDITOR,
        channel="editor",
        reason="typo",
        at=T2,
    )

    first, second = RecordVersion.objects.filter(record=record).order_by("number")
    assert (first.number, first.channel, first.actor) == (1, "import", "importer")
    assert bytes(first.raw) == raw_before
    assert (second.number, second.channel, second.reason) == (2, "editor", "typo")
    record.refresh_from_db()
    assert record.title == "New title" and record.control_number == "c1"
    assert editing.version_before(second) == first
    assert editing.version_before(first) is None


def test_unchanged_save_writes_nothing(db):
    record = editing.save_record(record=None, marc=bib(), actor=EDITOR, channel="editor", at=T1)
    same = parse_record(bytes(record.raw))[0]
    editing.save_record(record=record, marc=same, actor=EDITOR, channel="editor", at=T2)
    assert RecordVersion.objects.filter(record=record).count() == 1


def test_invalid_record_is_refused_and_nothing_is_written(db):
    broken = bib(isbn="978-0-19-852663-7", f008="too short")
    with pytest.raises(RecordInvalid) as excinfo:
        editing.save_record(record=None, marc=broken, actor=EDITOR, channel="editor")
    assert excinfo.value.code == "record_invalid"
    assert {issue.code for issue in excinfo.value.issues} >= {"isbn_checksum", "field_008_length"}
    assert not Record.objects.exists() and not RecordVersion.objects.exists()


def test_unreadable_bytes_and_unknown_channel_are_refused(db):
    with pytest.raises(CatalogueError) as excinfo:
        editing.save_record(record=None, marc=b"not marc at all", actor=EDITOR, channel="editor")
    assert excinfo.value.code == "marc_unreadable"
    with pytest.raises(CatalogueError) as excinfo:
        editing.save_record(record=None, marc=bib(), actor=EDITOR, channel="telepathy")
    assert excinfo.value.code == "channel_unknown"


def test_failure_inside_the_save_leaves_the_database_as_it_was(db, monkeypatch):
    record = editing.save_record(record=None, marc=bib("Before"), actor=EDITOR, channel="editor")

    def boom(ids):
        raise RuntimeError("outbox down")

    monkeypatch.setattr("kitab.catalogue.editing.search_services.queue", boom)
    with pytest.raises(RuntimeError):
        editing.save_record(
            record=record, marc=bib("After", control=record.control_number), actor=EDITOR, channel="editor"
        )
    record.refresh_from_db()
    assert record.title == "Before"
    assert RecordVersion.objects.filter(record=record).count() == 1


def test_import_channel_syncs_holdings_and_batch_id_is_kept(db):
    BranchFactory(code="MAIN")
    marc = bib("With copies", control="h1", extra=[field("952", "a", "MAIN", "b", "MAIN", "p", "B0001")])
    record = editing.save_record(record=None, marc=marc, actor=Actor.system(), channel="import", batch_id=42)
    assert list(Item.objects.filter(record=record).values_list("barcode", flat=True)) == ["B0001"]
    assert RecordVersion.objects.get(record=record).batch_id == 42
    # the editor leaves copies alone (they are managed in the copies workbench)
    editing.save_record(
        record=record, marc=bib("With copies, 2nd ed.", control="h1"), actor=EDITOR, channel="editor"
    )
    assert Item.objects.filter(record=record).count() == 1


def test_creating_a_record_with_the_control_number_of_a_deleted_one_revives_its_id(db):
    first = editing.save_record(record=None, marc=bib("Gone", control="z9"), actor=EDITOR, channel="editor")
    delete_records([first.pk], actor=EDITOR)
    again = editing.save_record(record=None, marc=bib("Back", control="z9"), actor=EDITOR, channel="editor")
    assert again.pk == first.pk
    assert not DeletedRecord.objects.filter(pk=first.pk).exists()


def test_restore_version_saves_the_old_state_as_a_new_version(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = editing.save_record(
            record=None, marc=bib("First state"), actor=EDITOR, channel="editor", at=T1
        )
        editing.save_record(
            record=record,
            marc=bib("Second state", control=record.control_number),
            actor=EDITOR,
            channel="editor",
            at=T2,
        )
    first = RecordVersion.objects.get(record=record, number=1)
    assert _titles("state") == ["Second state"]

    with django_capture_on_commit_callbacks(execute=True):
        editing.restore_version(version=first, actor=EDITOR)

    record.refresh_from_db()
    assert record.title == "First state"
    latest = RecordVersion.objects.filter(record=record).order_by("-number").first()
    assert (latest.number, latest.channel, latest.reason) == (3, "restore", "Restored version 1")
    assert _titles("first state") == ["First state"]
