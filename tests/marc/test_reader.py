from __future__ import annotations

import bz2
import gzip
import lzma
import unicodedata
from pathlib import Path

import pytest

from kitab.marc.errors import MarcReadError
from kitab.marc.reader import iter_records
from kitab.marc.writer import MarcXmlWriter
from tests.marc.builders import data_field, marc8_leader, raw_record

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "marc"
LOC = FIXTURES / "loc_sample.mrc"
TURKIC = FIXTURES / "loc_turkic.mrc"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _title(record) -> str:
    return record["245"]["a"]


def test_reads_loc_fixture_with_positions_offsets_and_control_numbers():
    results = list(iter_records(LOC))
    assert [r.position for r in results] == [1, 2, 3, 4, 5]
    assert [r.control_number for r in results] == ["00000913", "00015646", "00000611", "00000111", "00000255"]
    assert all(r.error is None and r.warnings == [] for r in results)
    data = LOC.read_bytes()
    assert results[0].offset == 0
    for r in results:
        length = int(data[r.offset : r.offset + 5])
        assert data[r.offset + length - 1] == 0x1D
        assert str(r.record.leader)[9] == "a"


def test_start_skips_records_but_keeps_positions():
    results = list(iter_records(LOC, start=3))
    assert [r.position for r in results] == [4, 5]
    assert results[0].control_number == "00000111"


@pytest.mark.parametrize(
    ("suffix", "compress"),
    [(".gz", gzip.compress), (".xz", lzma.compress), (".bz2", bz2.compress), ("", None)],
)
def test_compressed_files_are_detected_by_content(tmp_path, suffix, compress):
    data = LOC.read_bytes()
    # a misleading name: detection must look at the bytes
    path = _write(tmp_path, "export.dat", compress(data) if compress else data)
    plain = [(r.offset, r.control_number) for r in iter_records(LOC)]
    assert [(r.offset, r.control_number) for r in iter_records(path)] == plain


def test_turkic_and_arabic_script_text_is_unicode_nfc():
    results = list(iter_records(TURKIC))
    titles = [_title(r.record) for r in results]
    assert titles[0].startswith("İsmet İnönü")
    assert "Kalkanoğlu" in results[0].record["245"]["c"]
    assert all(unicodedata.is_normalized("NFC", t) for t in titles)
    arabic = [f for f in results[3].record.get_fields("880") if f["6"].startswith("245")]
    assert arabic and "ترکى خيام" in arabic[0]["a"]


def test_nfd_utf8_input_comes_out_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Comédie humaine")
    path = _write(
        tmp_path, "nfd.mrc", raw_record([("001", b"1"), ("245", data_field(b"10", ("a", nfd.encode())))])
    )
    (r,) = iter_records(path)
    assert _title(r.record) == "Comédie humaine"


def test_marc8_cyrillic_escape_sequence(tmp_path):
    # ESC ( N switches G0 to basic Cyrillic; 0x6D 0x49 0x52 = "Мир"; ESC ( B returns to ASCII
    title = b"\x1b(N\x6d\x49\x52\x1b(B : roman"
    path = _write(
        tmp_path,
        "m8.mrc",
        raw_record([("001", b"m8-1"), ("245", data_field(b"10", ("a", title)))], marc8_leader()),
    )
    (r,) = iter_records(path)
    assert r.error is None and r.warnings == []
    assert _title(r.record) == "Мир : roman"
    assert str(r.record.leader)[9] == "a"


def test_marc8_ansel_combining_diacritic_precedes_base_letter(tmp_path):
    path = _write(
        tmp_path,
        "ansel.mrc",
        raw_record([("245", data_field(b"10", ("a", b"Com\xe2edie humaine")))], marc8_leader()),
    )
    (r,) = iter_records(path)
    assert _title(r.record) == "Comédie humaine"


def test_utf8_bytes_under_marc8_leader_are_read_as_utf8(tmp_path):
    path = _write(
        tmp_path,
        "fsl.mrc",
        raw_record([("245", data_field(b"10", ("a", "Люди с чистой совестью".encode())))], marc8_leader()),
    )
    (r,) = iter_records(path)
    assert _title(r.record) == "Люди с чистой совестью"
    assert any("valid UTF-8" in w for w in r.warnings)


def test_utf8_flagged_record_with_cp1252_bytes_falls_back_with_warning(tmp_path):
    path = _write(tmp_path, "cp.mrc", raw_record([("245", data_field(b"10", ("a", b"Caf\xe9 \x80 5")))]))
    (r,) = iter_records(path)
    assert _title(r.record) == "Café € 5"
    assert any("Windows-1252" in w and "invalid UTF-8" in w for w in r.warnings)


def test_utf8_flagged_record_with_undecodable_bytes_is_rejected_with_reason(tmp_path):
    good = raw_record([("001", b"ok"), ("245", data_field(b"10", ("a", b"fine")))])
    bad = raw_record([("001", b"bad-1"), ("245", data_field(b"10", ("a", b"x\xc3( \x81y")))])
    path = _write(tmp_path, "bad.mrc", bad + good)
    first, second = iter_records(path)
    assert first.record is None and first.control_number == "bad-1"
    assert "invalid UTF-8 at byte 5 of field 245" in first.error  # counted from the indicators
    assert second.ok and second.control_number == "ok"


def test_forced_single_byte_encodings(tmp_path):
    cyr = "Основы гидравлики"
    for codec in ("cp1251", "cp866", "koi8-r"):
        raw = raw_record([("245", data_field(b"10", ("a", cyr.encode(codec))))], marc8_leader())
        (r,) = iter_records(_write(tmp_path, f"{codec}.mrc", raw), encoding=codec)
        assert _title(r.record) == cyr, codec
    with pytest.raises(MarcReadError):
        list(iter_records(_write(tmp_path, "x.mrc", raw), encoding="no-such-codec"))


def test_truncated_record_is_rejected_and_reading_goes_on(tmp_path):
    good = raw_record([("001", b"g1"), ("245", data_field(b"10", ("a", b"Good")))])
    cut = raw_record([("001", b"t1"), ("245", data_field(b"10", ("a", b"Truncated title")))])
    truncated = cut[:-12] + b"\x1d"  # the leader still claims the full length
    results = list(iter_records(_write(tmp_path, "t.mrc", good + truncated + good)))
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].control_number == "t1"
    assert "truncated" in results[1].error and str(len(cut)) in results[1].error


def test_bad_directory_is_rejected(tmp_path):
    raw = bytearray(raw_record([("001", b"d1"), ("245", data_field(b"10", ("a", b"Title")))]))
    raw[24 + 12 + 3 : 24 + 12 + 7] = b"00x1"  # length of the 245 entry
    (r,) = iter_records(_write(tmp_path, "d.mrc", bytes(raw)))
    assert r.record is None and r.control_number == "d1"
    assert "non-numeric length" in r.error


def test_directory_lengths_counted_in_characters_are_repaired(tmp_path):
    title = "Ñandú é".encode()
    raw = bytearray(
        raw_record([("001", b"c1"), ("245", data_field(b"10", ("a", title))), ("500", b"  \x1faNote")])
    )
    # pretend a tool counted characters instead of bytes: 245 length and 500 offset are 3 too small
    entry245 = 24 + 12
    raw[entry245 + 3 : entry245 + 7] = f"{int(raw[entry245 + 3 : entry245 + 7]) - 3:04d}".encode()
    entry500 = 24 + 24
    raw[entry500 + 7 : entry500 + 12] = f"{int(raw[entry500 + 7 : entry500 + 12]) - 3:05d}".encode()
    (r,) = iter_records(_write(tmp_path, "c.mrc", bytes(raw)))
    assert r.ok
    assert _title(r.record) == "Ñandú é"
    assert r.record["500"]["a"] == "Note"
    assert any("taken in order" in w for w in r.warnings)


def test_wrong_record_length_is_a_warning(tmp_path):
    raw = bytearray(raw_record([("001", b"l1"), ("245", data_field(b"10", ("a", b"Title")))]))
    raw[0:5] = b"00999"
    (r,) = iter_records(_write(tmp_path, "l.mrc", bytes(raw)))
    assert r.ok
    assert any("record length 00999 does not match" in w for w in r.warnings)


def test_record_terminator_inside_data_is_kept_when_leader_length_fits(tmp_path):
    raw = raw_record([("001", b"e1"), ("500", data_field(b"  ", ("a", b"odd\x1dbyte")))])
    results = list(iter_records(_write(tmp_path, "e.mrc", raw + raw)))
    assert len(results) == 2 and all(x.ok for x in results)
    assert results[0].record["500"]["a"] == "odd\x1dbyte"


def test_filler_between_records_is_ignored(tmp_path):
    raw = raw_record([("001", b"f1")])
    results = list(iter_records(_write(tmp_path, "f.mrc", raw + b"\r\n" + raw + b"\x1d\x1a")))
    assert [r.ok for r in results] == [True, True]
    assert results[1].offset == len(raw) + 2


def test_not_a_marc_file_raises(tmp_path):
    with pytest.raises(MarcReadError, match="not a MARC file"):
        list(iter_records(_write(tmp_path, "x.txt", b"LDR    00000cam^a22001937i^4500\n001    1\n")))
    with pytest.raises(MarcReadError):
        list(iter_records(tmp_path / "missing.mrc"))


# ---------------------------------------------------------------- MARCXML


def _loc_as_xml(tmp_path: Path) -> Path:
    path = tmp_path / "loc.xml"
    with path.open("wb") as fh, MarcXmlWriter(fh) as writer:
        for r in iter_records(LOC):
            writer.write(r.record)
    return path


def test_marcxml_collection_reads_like_iso2709(tmp_path):
    iso = [r.record.as_dict() for r in iter_records(LOC)]
    xml = list(iter_records(_loc_as_xml(tmp_path)))
    assert [r.record.as_dict() for r in xml] == iso
    assert [r.position for r in xml] == [1, 2, 3, 4, 5]


def test_marcxml_with_prefix_and_without_namespace(tmp_path):
    body = (
        "<marc:record><marc:leader>00000nam a2200000 i 4500</marc:leader>"
        '<marc:controlfield tag="001">p1</marc:controlfield>'
        '<marc:datafield tag="245" ind1="1" ind2="0"><marc:subfield code="a">Prefixed</marc:subfield>'
        "</marc:datafield></marc:record>"
    )
    doc = f'<?xml version="1.0"?><marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">{body}</marc:collection>'
    (r,) = iter_records(_write(tmp_path, "p.xml", doc.encode()))
    assert r.control_number == "p1" and _title(r.record) == "Prefixed"
    plain = doc.replace("marc:", "").replace(' xmlns:marc="http://www.loc.gov/MARC21/slim"', "")
    (r,) = iter_records(_write(tmp_path, "n.xml", plain.encode()))
    assert _title(r.record) == "Prefixed"


def test_oai_pmh_wrapped_records(tmp_path):
    marc = (
        '<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 i 4500</leader>'
        '<controlfield tag="001">{n}</controlfield>'
        '<datafield tag="245" ind1="1" ind2="0"><subfield code="a">Title {n}</subfield></datafield></record>'
    )
    records = "".join(
        f"<record><header><identifier>oai:x:{n}</identifier></header><metadata>{marc.format(n=n)}</metadata></record>"
        for n in (1, 2)
    )
    deleted = '<record><header status="deleted"><identifier>oai:x:3</identifier></header></record>'
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        f"<ListRecords>{records}{deleted}<resumptionToken>abc</resumptionToken></ListRecords></OAI-PMH>"
    )
    results = list(iter_records(_write(tmp_path, "oai.xml", doc.encode())))
    assert [(r.control_number, _title(r.record)) for r in results] == [("1", "Title 1"), ("2", "Title 2")]


def test_malformed_xml_record_is_reported_and_reading_continues(tmp_path):
    good = (
        '<record><leader>00000nam a2200000 i 4500</leader><controlfield tag="001">{n}</controlfield>'
        '<datafield tag="245" ind1="1" ind2="0"><subfield code="a">T{n}</subfield></datafield></record>'
    )
    bad_attr = (
        '<record><leader>00000nam a2200000 i 4500</leader><controlfield tag="001">b1</controlfield>'
        '<datafield tag="245" ind1="1" ind2="0><subfield code="a">x</subfield></datafield></record>'
    )
    bad_char = good.format(n="b2").replace("T{n}", "x").replace(">Tb2<", ">a\x1fb<")
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?><collection xmlns="http://www.loc.gov/MARC21/slim">'
        + good.format(n="g1")
        + bad_attr
        + good.format(n="g2")
        + bad_char
        + good.format(n="g3")
        + "</collection>"
    )
    results = list(iter_records(_write(tmp_path, "bad.xml", doc.encode())))
    assert [r.ok for r in results] == [True, False, True, False, True]
    assert [r.position for r in results] == [1, 2, 3, 4, 5]
    assert results[1].error.startswith("XML not well-formed:") and results[1].control_number == "b1"
    assert results[3].error.startswith("XML not well-formed:") and results[3].control_number == "b2"
    assert [r.control_number for r in results if r.ok] == ["g1", "g2", "g3"]


def test_xml_start_skips_records(tmp_path):
    results = list(iter_records(_loc_as_xml(tmp_path), start=4))
    assert [r.position for r in results] == [5]


def test_marc8_eacc_field_with_subfields(tmp_path):
    # ESC $ 1 selects the multibyte EACC set; 0x21 0x30 0x64 is EACC for 人. The set stays active across $b.
    body = data_field(b"10", ("a", b"\x1b$1\x21\x30\x64"), ("b", b"\x21\x30\x64\x1b(B x"))
    (r,) = iter_records(_write(tmp_path, "eacc.mrc", raw_record([("245", body)], marc8_leader())))
    assert r.warnings == []
    assert (r.record["245"]["a"], r.record["245"]["b"]) == ("人", "人 x")
