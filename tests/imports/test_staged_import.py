"""Staged import: stage, preview, run with each matching rule and action, report, resume."""

from __future__ import annotations

import pymarc
import pytest
from django.utils import translation

from kitab.catalogue.models import Record, RecordVersion
from kitab.imports import services
from kitab.imports.errors import ImportBatchError
from kitab.imports.models import BatchRecord, ImportBatch
from kitab.items.models import Item
from kitab.marc.iso2709 import parse_record
from kitab.search import services as search_services
from kitab.search.types import SearchRequest
from tests.catalogue.marcdata import bib, field
from tests.imports.conftest import CATALOGUER, with_copy

BROKEN = b"00042nam  2200037   4500garbage\x1e\x1d"


def _record(control: str) -> Record:
    return Record.objects.get(control_number=control)


def test_stage_refuses_missing_and_non_marc_files(db, tmp_path):
    with pytest.raises(ImportBatchError) as missing:
        services.stage_file(tmp_path / "nope.mrc", actor=CATALOGUER)
    assert missing.value.code == "file_not_found"
    text = tmp_path / "notes.txt"
    text.write_text("hello\nthis is not MARC\n")
    with pytest.raises(ImportBatchError) as unreadable:
        services.stage_file(text, actor=CATALOGUER)
    assert unreadable.value.code == "file_unreadable"
    assert ImportBatch.objects.count() == 0


def test_stage_from_the_staff_interface_only_inside_the_inbox(db, tmp_path, mrc):
    path = mrc([bib("A", control="X1")])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with pytest.raises(ImportBatchError) as outside:
        services.stage_file(path, actor=CATALOGUER, allowed_dir=inbox)
    assert outside.value.code == "file_outside_inbox"
    inside = inbox / "ok.mrc"
    inside.write_bytes(path.read_bytes())
    batch = services.stage_file(inside, actor=CATALOGUER, allowed_dir=inbox)
    assert batch.status == ImportBatch.Status.STAGED and batch.name == "ok.mrc"


def test_upload_is_kept_and_removed_again_when_unreadable(db, settings, tmp_path):
    settings.KITAB_HOME = tmp_path
    with pytest.raises(ImportBatchError):
        services.stage_upload([b"not marc at all\n"], name="../../evil name.mrc", actor=CATALOGUER)
    assert not list((tmp_path / "batches").iterdir())
    from kitab.marc.writer import to_iso2709

    batch = services.stage_upload([to_iso2709(bib("A", control="U1"))], name="../../evil name.mrc",
                                  actor=CATALOGUER)
    assert batch.name == "../../evil name.mrc"
    assert batch.path.startswith(str(tmp_path / "batches")) and batch.path.endswith("evil_name.mrc")


def test_preview_says_what_would_happen_to_each_record(local_catalogue, mrc):
    path = mrc([
        bib("Dədə Qorqud kitabı (new edition)", control="A1", isbn="9789952000016"),  # matches A1 on 001
        bib("Leyli və Məcnun", control="ZZ", author="Füzuli"),  # new
        BROKEN,
        bib("Koroğlu", control="A3", author=None, isbn="9789952000023"),  # identical to A3
    ])
    batch = services.stage_file(path, actor=CATALOGUER)
    rows = services.preview(batch)
    assert [row.outcome for row in rows] == ["update", "new", "reject", "skip"]
    assert rows[0].decision.target.pk == _record("A1").pk and rows[0].decision.matched_on == "ctl"
    assert rows[0].title == "Dədə Qorqud kitabı (new edition)" and rows[0].isbns == ["9789952000016"]
    assert rows[2].reason
    assert Record.objects.count() == 3  # the preview writes nothing

    services.set_options(batch, match_rule="isbn", on_match="keep", with_items=True, actor=CATALOGUER)
    rows = services.preview(batch)
    assert [row.outcome for row in rows] == ["skip", "new", "reject", "skip"]
    assert rows[0].decision.matched_on == "isbn"
    services.set_options(batch, match_rule="none", on_match="replace", with_items=True, actor=CATALOGUER)
    assert [row.outcome for row in services.preview(batch)] == ["new", "new", "reject", "new"]


def test_run_replace_reports_every_record_and_keeps_history(local_catalogue, mrc, django_capture_on_commit_callbacks):
    a1 = _record("A1")
    path = mrc([
        with_copy(bib("Dədə Qorqud kitabı (new edition)", control="A1", isbn="9789952000016"), "B-0001",
                  branch="EAST"),
        bib("Leyli və Məcnun", control="ZZ", author="Füzuli"),
        BROKEN,
        bib("Koroğlu", control="A3", author=None, isbn="9789952000023"),
    ])
    batch = services.stage_file(path, actor=CATALOGUER)
    seen = []
    with django_capture_on_commit_callbacks(execute=True):
        services.run_batch(batch, actor=CATALOGUER, on_progress=lambda b: seen.append(b.position))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FINISHED and seen and seen[-1] == 4
    assert (batch.added, batch.updated, batch.skipped, batch.rejected) == (1, 1, 1, 1)
    actions = list(batch.records.order_by("position").values_list("position", "action", "matched_on"))
    assert actions == [(1, "updated", "ctl"), (2, "added", ""), (3, "rejected", ""), (4, "skipped", "ctl")]
    first = batch.records.get(position=1)
    assert first.reason_text == f"Matches record {a1.pk}, which is replaced"
    with translation.override("ru"):  # the report speaks the reader's language, whoever ran the batch
        assert first.reason_text == f"Совпадает с записью {a1.pk}, которая будет заменена"
    a1.refresh_from_db()
    assert a1.title == "Dədə Qorqud kitabı (new edition)"
    versions = list(RecordVersion.objects.filter(record=a1).order_by("number").values_list("number", "batch_id"))
    assert versions == [(1, None), (2, batch.pk)]  # the state before the batch, then the batch's
    assert Item.objects.get(barcode="B-0001").home_branch.code == "EAST"
    assert [h.title for h in search_services.search(SearchRequest("new edition")).hits] == [a1.title]


def test_merge_keeps_local_fields_the_incoming_record_lacks(local_catalogue, mrc):
    path = mrc([bib("Dədə Qorqud kitabı", control="A1", isbn="9789952000016",
                    extra=[field("650", "a", "Epic poetry", ind=" 0")])])
    batch = services.stage_file(path, actor=CATALOGUER, on_match="merge")
    services.run_batch(batch, actor=CATALOGUER)
    marc, _ = parse_record(bytes(_record("A1").raw))
    assert marc["590"]["a"] == "Local note"  # local field kept
    assert marc["650"]["a"] == "Epic poetry"  # incoming field added
    assert marc["952"]["p"] == "B-0001"  # local copy field kept


def test_keep_and_add_as_new(local_catalogue, mrc):
    incoming = [bib("Koroğlu dastanı", control="A3", author=None, isbn="9789952000023")]
    kept = services.stage_file(mrc(incoming, "keep.mrc"), actor=CATALOGUER, on_match="keep")
    services.run_batch(kept, actor=CATALOGUER)
    assert _record("A3").title == "Koroğlu" and kept.records.get().action == "skipped"
    added = services.stage_file(mrc(incoming, "add.mrc"), actor=CATALOGUER, on_match="add")
    services.run_batch(added, actor=CATALOGUER)
    assert Record.objects.filter(control_number="A3").count() == 2
    assert added.records.get().action == "added"


def test_a_record_repeated_in_the_file_is_added_once_then_updated(db, mrc):
    batch = services.stage_file(mrc([bib("First", control="R1"), bib("Second", control="R1")]), actor=CATALOGUER)
    services.run_batch(batch, actor=CATALOGUER)
    assert Record.objects.get(control_number="R1").title == "Second"
    assert list(batch.records.values_list("action", flat=True)) == ["added", "updated"]


def test_resume_after_a_crash_continues_after_the_last_committed_chunk(db, mrc, monkeypatch):
    monkeypatch.setattr(services, "CHUNK_SIZE", 2)
    path = mrc([bib(f"Book {n}", control=f"C{n}") for n in range(5)])
    batch = services.stage_file(path, actor=CATALOGUER)
    real = services._run_chunk
    calls = []

    def crash_on_second(batch, chunk, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(chunk))
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(batch, chunk, **kwargs)

    monkeypatch.setattr(services, "_run_chunk", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        services.run_batch(batch, actor=CATALOGUER)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED and batch.position == 2 and Record.objects.count() == 2
    monkeypatch.setattr(services, "_run_chunk", real)
    services.run_batch(batch, actor=CATALOGUER)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FINISHED and batch.added == 5 and Record.objects.count() == 5
    assert sorted(batch.records.values_list("position", flat=True)) == [1, 2, 3, 4, 5]


def test_a_batch_runs_once(db, mrc):
    batch = services.stage_file(mrc([bib("A", control="O1")]), actor=CATALOGUER)
    services.run_batch(batch, actor=CATALOGUER)
    with pytest.raises(ImportBatchError) as again:
        services.run_batch(batch, actor=CATALOGUER)
    assert again.value.code == "not_runnable"
    with pytest.raises(ImportBatchError) as options:
        services.set_options(batch, match_rule="isbn", on_match="keep", with_items=True, actor=CATALOGUER)
    assert options.value.code == "not_staged"
    assert BatchRecord.objects.count() == 1


def test_possible_duplicates_are_reported_in_preview_and_report(local_catalogue, mrc):
    from kitab.search import services as search_services

    search_services.reindex()
    path = mrc([
        bib("Koroğlu dastanı", control="N1", author=None, isbn="9789952000023"),  # A3's ISBN
        bib("Leyli və Məcnun", control="N2", author="Füzuli"),  # A2's title, author and year
        bib("Something else entirely", control="N3", author=None),
    ])
    batch = services.stage_file(path, actor=CATALOGUER)
    rows = services.preview(batch)
    a2, a3 = _record("A2"), _record("A3")
    assert [(d.record_id, d.reasons) for d in rows[0].duplicates] == [(a3.pk, ["isbn"])]
    assert [(d.record_id, d.reasons) for d in rows[1].duplicates] == [(a2.pk, ["title"])]
    assert rows[2].duplicates == []
    services.run_batch(batch, actor=CATALOGUER)
    batch.refresh_from_db()
    assert batch.duplicates == 2
    report = list(batch.records.order_by("position").values_list("duplicates", flat=True))
    assert report[0] == [{"record_id": a3.pk, "title": "Koroğlu", "reasons": ["isbn"]}]
    assert report[1][0]["record_id"] == a2.pk and report[2] == []


def test_an_updated_record_is_not_its_own_duplicate(local_catalogue, mrc):
    batch = services.stage_file(mrc([bib("Koroğlu", control="A3", author=None, isbn="9789952000023",
                                         extra=[field("500", "a", "Revised")])]), actor=CATALOGUER)
    row = services.preview(batch)[0]
    assert row.outcome == "update" and row.duplicates == []


def test_authority_records_are_not_staged_as_bibliographic_ones(db, mrc):
    authority = pymarc.Record(force_utf8=True, leader="00000nz  a2200000n  4500")
    authority.add_field(pymarc.Field(tag="001", data="AUT1"))
    authority.add_field(field("100", "a", "Füzuli, Məhəmməd", ind="1 "))
    with pytest.raises(ImportBatchError) as refused:
        services.stage_file(mrc([authority], name="names.mrc"), actor=CATALOGUER)
    assert refused.value.code == "authority_file"
    mixed = services.stage_file(mrc([bib("A", control="M1"), authority], name="mixed.mrc"), actor=CATALOGUER)
    services.run_batch(mixed, actor=CATALOGUER)
    rejected = mixed.records.get(action="rejected")
    assert rejected.position == 2 and "authority record" in rejected.reason
