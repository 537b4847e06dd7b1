"""Patron CSV import: validation of every row first, no partial imports, updates, mapping, the report, the CLI."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from kitab.cli import main as cli
from kitab.patrons.errors import PatronError
from kitab.patrons.importing import import_patrons
from kitab.patrons.models import Patron
from tests.patrons.factories import PatronFactory

HEADER = "card_number,last_name,first_name,category,home_branch,email,language,date_of_birth,expires_on\n"


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(text: str, name: str = "patrons.csv", bom: bool = False) -> Path:
        path = tmp_path / name
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        return path

    return make


@pytest.fixture
def setup(main, adult, child):  # type: ignore[no-untyped-def]
    return main


def report_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_valid_file_creates_every_patron(setup, write, desk, t0):
    path = write(HEADER + "C-0001,Məmmədov,Əli,ADULT,MAIN,ali@example.az,az,1990-05-01,\n"
                          "C-0002,Yılmaz,Ayşe,adult,main,,tr,01.02.1985,2027-12-31\n", bom=True)
    result = import_patrons(path, actor=desk, at=t0)
    assert (result.rows, result.created, result.updated, result.invalid_rows, result.written) == (2, 2, 0, 0, True)
    assert result.report_path is None
    ali = Patron.objects.get(card_number="C-0001")
    assert (ali.last_name, ali.language, ali.date_of_birth, ali.expires_on) == ("Məmmədov", "az", date(1990, 5, 1),
                                                                             date(2026, 3, 3))
    ayse = Patron.objects.get(card_number="C-0002")
    assert (ayse.date_of_birth, ayse.expires_on, ayse.home_branch.code) == (date(1985, 2, 1), date(2027, 12, 31),
                                                                            "MAIN")


def test_one_invalid_row_imports_nothing_and_reports_every_problem(setup, write, desk, t0):
    PatronFactory(card_number="TAKEN-1")
    path = write(HEADER
                 + "C-0001,Ok,,ADULT,MAIN,,,,\n"
                 + "bad card!,X,,ADULT,MAIN,,,,\n"
                 + "C-0003,X,,NOPE,ELSEWHERE,not-an-email,xx,1990-13-01,\n"
                 + "C-0001,Again,,ADULT,MAIN,,,,\n"
                 + "TAKEN-1,X,,ADULT,MAIN,,,,\n"
                 + "C-0006,,,,,,,,\n")
    result = import_patrons(path, actor=desk, at=t0)
    assert not result.written and result.created == 0
    assert not Patron.objects.filter(card_number="C-0001").exists()
    assert result.invalid_rows == 5
    found = {(p.row, p.column) for p in result.problems}
    assert {(3, "card_number"), (4, "category"), (4, "home_branch"), (4, "email"), (4, "language"),
            (4, "date_of_birth"), (5, "card_number"), (6, "card_number"), (7, "last_name"), (7, "category"),
            (7, "home_branch")} <= found
    rows = report_rows(result.report_path)
    assert result.report_path.parent.name == "reports"
    assert {"row": "4", "column": "email", "value": "not-an-email", "reason": "Not a valid email address."} in rows
    assert any(r["row"] == "5" and "row 2" in r["reason"] for r in rows)


def test_skip_invalid_imports_the_valid_rows(setup, write, desk, t0):
    path = write(HEADER + "C-0001,Ok,,ADULT,MAIN,,,,\nC-0002,Bad,,NOPE,MAIN,,,,\n")
    result = import_patrons(path, actor=desk, at=t0, skip_invalid=True)
    assert (result.created, result.invalid_rows, result.written) == (1, 1, True)
    assert list(Patron.objects.values_list("card_number", flat=True)) == ["C-0001"]
    assert [r["row"] for r in report_rows(result.report_path)] == ["3"]


def test_existing_card_is_reported_or_updated(setup, write, desk, t0):
    PatronFactory(card_number="C-0001", last_name="Old", email="old@example.org", phone="555")
    path = write("card_number;last_name;email;phone\nC-0001;New;new@example.org;\n")
    refused = import_patrons(path, actor=desk, at=t0)
    assert not refused.written and "already in use" in refused.problems[0].reason
    result = import_patrons(path, actor=desk, at=t0, update=True)
    assert (result.created, result.updated) == (0, 1)
    patron = Patron.objects.get(card_number="C-0001")
    assert (patron.last_name, patron.email, patron.phone) == ("New", "new@example.org", "555")


def test_mapping_and_header_aliases(setup, write, desk, t0):
    path = write("Barcode;Surname;Branch;Kind\nC-0001;Aliyev;MAIN;ADULT\n")
    result = import_patrons(path, actor=desk, at=t0, mapping={"card": "Barcode", "category": "Kind"})
    assert result.created == 1
    patron = Patron.objects.get(card_number="C-0001")
    assert (patron.last_name, patron.category.code) == ("Aliyev", "ADULT")


def test_guarantor_from_an_earlier_row_or_the_database(setup, write, desk, t0):
    PatronFactory(card_number="PARENT-1")
    path = write("card,surname,category,branch,guarantor\n"
                 "MUM-0001,Həsənova,ADULT,MAIN,\n"
                 "KID-0001,Həsənov,CHILD,MAIN,MUM-0001\n"
                 "KID-0002,X,CHILD,MAIN,PARENT-1\n"
                 "KID-0003,X,CHILD,MAIN,\n"
                 "KID-0004,X,CHILD,MAIN,NOBODY-1\n")
    result = import_patrons(path, actor=desk, at=t0, skip_invalid=True)
    assert (result.created, result.invalid_rows) == (3, 2)
    assert Patron.objects.get(card_number="KID-0001").guarantor.card_number == "MUM-0001"
    assert Patron.objects.get(card_number="KID-0002").guarantor.card_number == "PARENT-1"
    assert {p.row for p in result.problems} == {5, 6}


def test_bad_mapping_or_missing_card_column_is_refused(setup, write, desk, t0):
    path = write("Surname\nX\n")
    with pytest.raises(PatronError) as missing:
        import_patrons(path, actor=desk, at=t0)
    with pytest.raises(PatronError) as unknown:
        import_patrons(path, actor=desk, at=t0, mapping={"shoe_size": "Surname"})
    assert (missing.value.code, unknown.value.code) == ("invalid_csv", "invalid_csv")


def test_cli_import_json_and_exit_codes(setup, write):
    runner = CliRunner()
    good = write("Barcode,Surname,category,branch\nC-0001,Aliyev,ADULT,MAIN\n", name="good.csv")
    result = runner.invoke(cli, ["patrons", "import", str(good), "--map", "card=Barcode", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"] == 1
    bad = write("card,surname,category,branch\nC-0002,X,NOPE,MAIN\n", name="bad.csv")
    result = runner.invoke(cli, ["patrons", "import", str(bad), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert (data["written"], data["invalid_rows"], data["problems"][0]["column"]) == (False, 1, "category")
    assert runner.invoke(cli, ["patrons", "import", str(good), "--map", "card"]).exit_code == 2
