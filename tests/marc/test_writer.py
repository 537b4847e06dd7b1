from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pymarc
import pytest
from lxml import etree

from kitab.marc.errors import MarcWriteError
from kitab.marc.reader import iter_records
from kitab.marc.writer import MARCXML_NS, MarcXmlWriter, to_iso2709, to_marcxml, write_iso2709
from tests.marc.builders import cf, data_field, df, make_record, marc8_leader, raw_record

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "marc"


def _shape(record: pymarc.Record) -> list:
    """Fields, indicators and subfields: what a round trip must preserve."""
    return [
        (f.tag, f.data) if f.control_field else (f.tag, tuple(f.indicators), [tuple(s) for s in f.subfields])
        for f in record.fields
    ]


def _records(tmp_path: Path) -> list[pymarc.Record]:
    marc8 = raw_record(
        [
            ("001", b"m8"),
            ("245", data_field(b"10", ("a", b"\x1b(N\x6d\x49\x52\x1b(B :"), ("b", b"Com\xe2edie"))),
        ],
        marc8_leader(),
    )
    (tmp_path / "m8.mrc").write_bytes(marc8)
    out = []
    for path in (FIXTURES / "loc_sample.mrc", FIXTURES / "loc_turkic.mrc", tmp_path / "m8.mrc"):
        out.extend(r.record for r in iter_records(path))
    return out


def test_iso2709_round_trip_with_pymarc_and_our_reader(tmp_path):
    records = _records(tmp_path)
    path = tmp_path / "out.mrc"
    with path.open("wb") as fh:
        assert write_iso2709(records, fh) == len(records)
    with path.open("rb") as fh:
        again = list(pymarc.MARCReader(fh, to_unicode=True))
    assert [_shape(r) for r in again] == [_shape(r) for r in records]
    ours = list(iter_records(path))
    assert all(r.ok and r.warnings == [] for r in ours)
    assert [_shape(r.record) for r in ours] == [_shape(r) for r in records]


def test_leader_is_recomputed_and_utf8():
    record = make_record(cf("001", "1"), df("245", "10", "a", "Café"), leader="99999cam  2299999   4500")
    raw = to_iso2709(record)
    leader = raw[:24].decode("ascii")
    assert int(leader[:5]) == len(raw)
    assert leader[9] == "a" and leader[10:12] == "22" and leader[20:] == "4500"
    assert raw[int(leader[12:17]) - 1] == 0x1E
    assert "Café".encode() in raw


def test_structural_characters_in_data_are_dropped_and_nfd_is_composed():
    record = make_record(df("500", "  ", "a", "bad\x1dchar\x1fs", "b", "Cafe\u0301"))
    (r,) = pymarc.MARCReader(io.BytesIO(to_iso2709(record)), to_unicode=True)
    assert r["500"]["a"] == "badchars"
    assert r["500"]["b"] == "Café"


def test_too_long_record_raises():
    record = make_record(*[df("500", "  ", "a", "x" * 9000) for _ in range(12)])
    with pytest.raises(MarcWriteError, match="99,999"):
        to_iso2709(record)
    with pytest.raises(MarcWriteError, match="9,999"):
        to_iso2709(make_record(df("500", "  ", "a", "x" * 10000)))


def test_marcxml_single_record_and_streaming_collection(tmp_path):
    records = _records(tmp_path)
    doc = etree.fromstring(to_marcxml(records[0]))
    assert doc.tag == f"{{{MARCXML_NS}}}record"
    assert doc.find(f"{{{MARCXML_NS}}}leader").text[9] == "a"

    buf = io.BytesIO()
    with MarcXmlWriter(buf) as writer:
        for record in records:
            writer.write(record)
    assert writer.count == len(records)
    parsed = pymarc.parse_xml_to_array(io.BytesIO(buf.getvalue()))
    assert [_shape(r) for r in parsed] == [_shape(r) for r in records]
    path = tmp_path / "out.xml"
    path.write_bytes(buf.getvalue())
    assert [_shape(r.record) for r in iter_records(path)] == [_shape(r) for r in records]


def test_marcxml_escapes_and_drops_xml_illegal_characters():
    record = make_record(df("245", "10", "a", 'A <b> & "c"\x01'))
    doc = etree.fromstring(to_marcxml(record))
    assert doc.find(f".//{{{MARCXML_NS}}}subfield").text == 'A <b> & "c"'


@pytest.mark.yaz
def test_round_trip_through_yaz_marcdump(tmp_path):
    if shutil.which("yaz-marcdump") is None:
        pytest.skip("yaz-marcdump is not installed")
    records = _records(tmp_path)
    path = tmp_path / "out.mrc"
    with path.open("wb") as fh:
        write_iso2709(records, fh)
    xml = subprocess.run(
        ["yaz-marcdump", "-i", "marc", "-o", "marcxml", str(path)], check=True, capture_output=True
    ).stdout
    (tmp_path / "yaz.xml").write_bytes(xml)
    back = list(iter_records(tmp_path / "yaz.xml"))
    assert all(r.ok for r in back)
    assert [_shape(r.record) for r in back] == [_shape(r) for r in records]
    # and yaz writes ISO 2709 back that we read identically
    iso = subprocess.run(
        ["yaz-marcdump", "-i", "marcxml", "-o", "marc", str(tmp_path / "yaz.xml")],
        check=True,
        capture_output=True,
    ).stdout
    (tmp_path / "yaz.mrc").write_bytes(iso)
    assert [_shape(r.record) for r in iter_records(tmp_path / "yaz.mrc")] == [_shape(r) for r in records]
