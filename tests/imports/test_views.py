"""Staff pages for staged imports and exports: parsing, permissions, error mapping (the rules are tested in the
service tests)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kitab.catalogue.models import Record
from kitab.core.actor import Actor
from kitab.imports.models import ImportBatch
from kitab.marc.writer import to_iso2709
from tests.catalogue.marcdata import bib
from tests.imports.conftest import with_copy
from tests.staff_accounts import signed_in, staff_user


@pytest.fixture
def cataloguer(django_user_model, db):  # type: ignore[no-untyped-def]
    return signed_in(staff_user("cat", role="cataloguer"))


def _upload(records, name="new.mrc"):  # type: ignore[no-untyped-def]
    return SimpleUploadedFile(name, b"".join(to_iso2709(r) for r in records), content_type="application/marc")


def _stage(client, records, **extra):  # type: ignore[no-untyped-def]
    data = {"upload": _upload(records), "match_rule": "001", "on_match": "replace", "with_items": "on", **extra}
    return client.post(reverse("imports:batch_stage"), data)


def test_staff_without_the_cataloguing_permission_are_refused(staff_client):
    assert staff_client.get(reverse("imports:batch_list")).status_code == 403
    assert staff_client.get(reverse("imports:export")).status_code == 403


def test_upload_preview_run_report_and_undo(cataloguer, local_catalogue, settings, tmp_path):
    settings.KITAB_HOME = tmp_path
    page = cataloguer.get(reverse("imports:batch_list"))
    assert page.status_code == 200 and "Stage a file for import" in page.content.decode()
    response = _stage(cataloguer, [bib("Dədə Qorqud kitabı (2nd ed.)", control="A1", isbn="9789952000016"),
                                   with_copy(bib("Əsli və Kərəm", control="N1", author=None), "B-9001")])
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:batch_detail", args=[batch.pk])

    preview = cataloguer.get(response["Location"]).content.decode()
    assert "Dədə Qorqud kitabı (2nd ed.)" in preview and "which is replaced" in preview and "New record" in preview
    assert "9789952000016" in preview

    cataloguer.post(reverse("imports:batch_options", args=[batch.pk]),
                    {"match_rule": "isbn", "on_match": "keep", "with_items": "on"})
    batch.refresh_from_db()
    assert (batch.match_rule, batch.on_match) == ("isbn", "keep")
    cataloguer.post(reverse("imports:batch_options", args=[batch.pk]),
                    {"match_rule": "001", "on_match": "replace", "with_items": "on"})

    run = cataloguer.post(reverse("imports:batch_run", args=[batch.pk]))  # inline job runner in the tests
    assert run.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "finished" and (batch.added, batch.updated) == (1, 1)
    progress = cataloguer.get(reverse("imports:batch_progress", args=[batch.pk])).json()
    assert progress["status"] == "finished" and progress["percent"] == 100 and not progress["active"]
    report = cataloguer.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert "Undo the whole batch" in report and "Əsli və Kərəm" in report
    only_added = cataloguer.get(reverse("imports:batch_detail", args=[batch.pk]) + "?action=added").content.decode()
    assert "Əsli və Kərəm" in only_added and "2nd ed." not in only_added

    undone = cataloguer.post(reverse("imports:batch_undo", args=[batch.pk]), follow=True).content.decode()
    assert "Batch undone. Records deleted: 1; records restored: 1." in undone
    assert Record.objects.get(control_number="A1").title == "Dədə Qorqud kitabı"
    assert not Record.objects.filter(control_number="N1").exists()


def test_undo_refused_lists_the_reasons(cataloguer, local_catalogue, settings, tmp_path):
    from kitab.catalogue import editing

    settings.KITAB_HOME = tmp_path
    _stage(cataloguer, [bib("Əsli və Kərəm", control="N1", author=None)])
    batch = ImportBatch.objects.get()
    cataloguer.post(reverse("imports:batch_run", args=[batch.pk]))
    record = Record.objects.get(control_number="N1")
    marc = editing.as_pymarc(bytes(record.raw))
    marc["245"]["a"] = "Əsli və Kərəm dastanı"
    editing.save_record(record=record, marc=marc, actor=Actor.system(), channel="editor", validate=False)
    page = cataloguer.get(reverse("imports:batch_detail", args=[batch.pk])).content.decode()
    assert "has been edited since this batch" in page and "data-undo-batch" not in page
    refused = cataloguer.post(reverse("imports:batch_undo", args=[batch.pk]), follow=True).content.decode()
    assert "cannot be undone without losing later work" in refused
    assert Record.objects.filter(control_number="N1").exists()


def test_stage_errors_are_shown_on_the_form(cataloguer, settings, tmp_path):
    settings.KITAB_HOME = tmp_path
    settings.KITAB_IMPORT_INBOX = tmp_path / "inbox"
    both_missing = cataloguer.post(reverse("imports:batch_stage"), {"match_rule": "001", "on_match": "replace"})
    assert both_missing.status_code == 400 and "one of them" in both_missing.content.decode()
    junk = cataloguer.post(reverse("imports:batch_stage"), {
        "upload": SimpleUploadedFile("junk.mrc", b"hello, not marc\n"), "match_rule": "001", "on_match": "replace"})
    assert junk.status_code == 400 and "cannot be read as MARC" in junk.content.decode()
    outside = cataloguer.post(reverse("imports:batch_stage"), {
        "server_path": "/etc/passwd", "match_rule": "001", "on_match": "replace"})
    assert outside.status_code == 400 and "Only files in the import folder" in outside.content.decode()
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "vendor.mrc").write_bytes(to_iso2709(bib("A", control="V1")))
    ok = cataloguer.post(reverse("imports:batch_stage"), {
        "server_path": "vendor.mrc", "match_rule": "001", "on_match": "replace"})
    assert ok.status_code == 302 and ImportBatch.objects.get().name == "vendor.mrc"
    assert cataloguer.get(reverse("imports:batch_detail", args=[999])).status_code == 404


def test_discard_a_staged_batch(cataloguer, settings, tmp_path):
    settings.KITAB_HOME = tmp_path
    _stage(cataloguer, [bib("A", control="D1")])
    batch = ImportBatch.objects.get()
    path = batch.path
    cataloguer.post(reverse("imports:batch_discard", args=[batch.pk]))
    assert not ImportBatch.objects.exists()
    import os

    assert not os.path.exists(path)


def test_export_streams_the_chosen_selection_and_format(cataloguer, local_catalogue):
    form = cataloguer.get(reverse("imports:export"))
    assert form.status_code == 200 and "Export records" in form.content.decode()
    everything = cataloguer.get(reverse("imports:export"), {"selection": "all", "fmt": "iso2709"})
    assert everything.streaming and everything["Content-Type"] == "application/marc"
    assert b"".join(everything.streaming_content).count(b"\x1d") == 3
    a1 = Record.objects.get(control_number="A1")
    csv = cataloguer.get(reverse("imports:export"), {"selection": "ids", "ids": f"{a1.pk}", "fmt": "csv",
                                                     "with_items": "on"})
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id,001,003,title") and "B-0001" in text and "Leyli" not in text
    xml = cataloguer.get(reverse("imports:export"), {"selection": "ids", "ids": f"{a1.pk}", "fmt": "marcxml"})
    assert b"<collection" in b"".join(xml.streaming_content)
    bad = cataloguer.get(reverse("imports:export"), {"selection": "ids", "ids": "12, x", "fmt": "csv"})
    assert bad.status_code == 400 and "Record ids are numbers" in bad.content.decode()
    syntax = cataloguer.get(reverse("imports:export"), {"selection": "query", "query": "year:abc", "fmt": "csv"})
    assert syntax.status_code == 400 and not syntax.streaming and "year" in syntax.content.decode()


def test_run_twice_does_not_start_a_second_job(cataloguer, settings, tmp_path):
    settings.KITAB_HOME = tmp_path
    _stage(cataloguer, [bib("A", control="T1")])
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    page = cataloguer.post(reverse("imports:batch_run", args=[batch.pk]), follow=True).content.decode()
    assert "already been started" in page
    assert not Record.objects.filter(control_number="T1").exists()


def test_with_cli_jobs_a_started_batch_waits_and_says_for_what(cataloguer, settings, tmp_path):
    settings.KITAB_HOME = tmp_path
    settings.KITAB_IMPORT_JOBS = "cli"
    _stage(cataloguer, [bib("A", control="Q1")])
    batch = ImportBatch.objects.get()
    page = cataloguer.post(reverse("imports:batch_run", args=[batch.pk]), follow=True).content.decode()
    batch.refresh_from_db()
    assert batch.status == "queued" and f"kitab batches run {batch.pk}" in page
    assert not Record.objects.filter(control_number="Q1").exists()
