"""`kitab labels`: layouts listed, a range printed to a PDF that decodes back, refusals as exit code 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kitab.cli import main
from tests.circulation.factories import ItemFactory


def test_layouts_and_range(db, tmp_path):
    runner = CliRunner()
    listed = runner.invoke(main, ["labels", "layouts"])
    assert listed.exit_code == 0 and "a4-3x8-70x37" in listed.output
    out = tmp_path / "labels.pdf"
    result = runner.invoke(main, ["labels", "print", "--range", "A0001-A0004", "--layout", "a4-3x8-70x37",
                                  "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 copies, 1 sheet(s)" in result.output
    zxingcpp = pytest.importorskip("zxingcpp")
    pypdfium2 = pytest.importorskip("pypdfium2")
    document = pypdfium2.PdfDocument(out.read_bytes())
    found = sorted(b.text for b in zxingcpp.read_barcodes(document[0].render(scale=300 / 72).to_pil()))
    document.close()
    assert found == ["A0001", "A0002", "A0003", "A0004"]


def test_barcodes_and_refusals(db, tmp_path):
    ItemFactory(barcode="C100", call_number="PL 314")
    runner = CliRunner()
    out = tmp_path / "spines.pdf"
    ok = runner.invoke(main, ["labels", "print", "--barcode", "C100", "--kind", "spine", "-o", str(out)])
    assert ok.exit_code == 0 and out.read_bytes().startswith(b"%PDF")
    missing = runner.invoke(main, ["labels", "print", "--barcode", "NOPE", "-o", str(out)])
    no_list = runner.invoke(main, ["labels", "print", "--list", "999", "-o", str(out)])
    assert no_list.exit_code == 2 and "999" in no_list.output
    assert missing.exit_code == 2 and "NOPE" in missing.output
    backwards = runner.invoke(main, ["labels", "print", "--range", "A9-A1", "-o", str(out)])
    assert backwards.exit_code == 2 and "ends before it starts" in backwards.output
    layout = runner.invoke(main, ["labels", "print", "--range", "A1-A2", "--layout", "nope", "-o", str(out)])
    assert layout.exit_code == 2
