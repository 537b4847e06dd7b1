"""`kitab batches …`, `kitab import --stage` and `kitab export` selections: thin adapter checks."""

from __future__ import annotations

import json

import pymarc
from click.testing import CliRunner

from kitab.catalogue.models import Record
from kitab.cli import main
from kitab.imports.models import ImportBatch
from tests.catalogue.marcdata import bib


def test_stage_preview_run_report_undo(local_catalogue, mrc):
    runner = CliRunner()
    path = mrc([bib("Dədə Qorqud kitabı (2nd ed.)", control="A1"), bib("Əsli və Kərəm", control="N1", author=None)])
    staged = runner.invoke(main, ["import", str(path), "--stage", "--on-match", "merge", "--json"])
    assert staged.exit_code == 0, staged.output
    data = json.loads(staged.output)
    assert [row["outcome"] for row in data["preview"]] == ["update", "new"]
    batch_id = data["batch"]["id"]
    assert ImportBatch.objects.get(pk=batch_id).on_match == "merge"

    preview = runner.invoke(main, ["batches", "preview", str(batch_id)])
    assert preview.exit_code == 0 and "fields merged into it" in preview.output

    run = runner.invoke(main, ["batches", "run", str(batch_id), "--json"])
    assert run.exit_code == 0, run.output
    assert (json.loads(run.output)["added"], json.loads(run.output)["updated"]) == (1, 1)
    again = runner.invoke(main, ["batches", "run", str(batch_id)])
    assert again.exit_code == 1 and "cannot run" in again.output

    report = runner.invoke(main, ["batches", "report", str(batch_id), "--action", "added", "--json"])
    rows = json.loads(report.output)["records"]
    assert [row["title"] for row in rows] == ["Əsli və Kərəm"]
    listing = runner.invoke(main, ["batches", "list"])
    assert f"{batch_id:>5}  finished" in listing.output

    undo = runner.invoke(main, ["batches", "undo", str(batch_id), "--json"])
    assert undo.exit_code == 0, undo.output
    assert json.loads(undo.output)["deleted"] == 1
    assert Record.objects.get(control_number="A1").title == "Dədə Qorqud kitabı"
    refused = runner.invoke(main, ["batches", "undo", str(batch_id)])
    assert refused.exit_code == 1 and "can be undone" in refused.output
    assert runner.invoke(main, ["batches", "run", "999"]).exit_code == 2


def test_stage_refuses_a_file_that_is_not_marc(db, tmp_path):
    junk = tmp_path / "junk.mrc"
    junk.write_text("not marc\n")
    result = CliRunner().invoke(main, ["batches", "stage", str(junk)])
    assert result.exit_code == 1 and "cannot be read as MARC" in result.output


def test_export_ids_csv_and_items(local_catalogue, tmp_path):
    runner = CliRunner()
    a1, a3 = (Record.objects.get(control_number=c).pk for c in ("A1", "A3"))
    out = tmp_path / "out.mrc"
    result = runner.invoke(main, ["export", "--ids", f"{a3},{a1}", "--with-items", "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = list(pymarc.MARCReader(out.read_bytes(), to_unicode=True, force_utf8=True))
    assert [r["001"].data for r in records] == ["A3", "A1"] and records[1]["952"]["p"] == "B-0001"
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text(f"{a1}\n")
    csv_out = tmp_path / "out.csv"
    result = runner.invoke(main, ["export", "--format", "csv", "--ids", f"@{ids_file}", "-o", str(csv_out)])
    assert result.exit_code == 0 and "exported 1 records" in result.output
    assert csv_out.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[1] == "A1"
    both = runner.invoke(main, ["export", "--ids", "1", "--query", "x"])
    assert both.exit_code == 2 and "choose one of" in both.output
    bad = runner.invoke(main, ["export", "--ids", "1,x"])
    assert bad.exit_code == 2 and "record ids are numbers" in bad.output
