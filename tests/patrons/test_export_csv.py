"""Patron CSV export: the import's columns, a round trip, the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from click.testing import CliRunner

from kitab.cli import main as cli
from kitab.patrons.importing import EXPORT_COLUMNS, export_patrons, import_patrons
from kitab.patrons.models import Patron
from tests.patrons.factories import PatronFactory


def test_export_writes_the_import_columns_and_skips_anonymised(main, adult):
    mum = PatronFactory(card_number="MUM-0001", last_name="Həsənova", email="h@example.az", language="az",
                        date_of_birth=date(1980, 1, 2))
    PatronFactory(card_number="KID-0001", last_name="Həsənov", guarantor=mum)
    PatronFactory(card_number="ANON-9", is_anonymised=True)
    out = io.StringIO()
    assert export_patrons(out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert rows[1]["card_number"] == "MUM-0001" and rows[1]["date_of_birth"] == "1980-01-02"
    assert (rows[0]["guarantor"], rows[0]["category"], rows[0]["home_branch"]) == ("MUM-0001", "ADULT", "MAIN")


def test_export_then_import_with_update_round_trips(main, adult, desk, t0, tmp_path):
    PatronFactory(card_number="C-0001", last_name="Aliyev", phone="+994 12 555 12 12", notes="line one")
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        export_patrons(out, delimiter=";")
    before = Patron.objects.values().get()
    result = import_patrons(path, actor=desk, at=t0, update=True)
    assert (result.updated, result.invalid_rows) == (1, 0)
    after = Patron.objects.values().get()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {k: v for k, v in before.items()
                                                                     if k != "updated_at"}


def test_cli_export_to_file_with_json_count(main, adult, tmp_path):
    PatronFactory(card_number="C-0001")
    path = tmp_path / "p.csv"
    result = CliRunner().invoke(cli, ["patrons", "export", "-o", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["exported"] == 1
    assert path.read_text(encoding="utf-8").splitlines()[1].startswith("C-0001,")
