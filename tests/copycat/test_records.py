"""Reading records as targets send them: ISO 2709 in UTF-8 or MARC-8 (declared or not), and MARCXML."""

from __future__ import annotations

from kitab.copycat.records import ISO2709, MARCXML, read_remote
from kitab.marc.writer import to_marcxml
from tests.marc.builders import data_field, marc8_leader, raw_record


def _marc8_record(leader: str) -> bytes:
    # "Café" in MARC-8: the combining acute (0xE2) comes before the letter it sits on
    return raw_record(
        [("001", b"m8-1"), ("245", data_field(b"10", ("a", b"Caf\xe2e")))],
        leader=leader,
    )


def test_marc8_record_is_decoded():
    remote = read_remote(_marc8_record(marc8_leader()), fmt=ISO2709)
    assert remote.error is None
    assert remote.record["245"]["a"] == "Café"
    assert remote.control_number == "m8-1"


def test_target_setting_overrides_a_wrong_leader():
    mislabelled = _marc8_record("     nam a22     4i 4500")  # says UTF-8, is MARC-8
    forced = read_remote(mislabelled, fmt=ISO2709, encoding="marc-8")
    assert forced.record["245"]["a"] == "Café"
    assert forced.warnings == []
    utf8 = "Café".encode()
    labelled_marc8 = raw_record([("245", data_field(b"10", ("a", utf8)))], leader=marc8_leader())
    assert read_remote(labelled_marc8, fmt=ISO2709, encoding="utf-8").record["245"]["a"] == "Café"


def test_marcxml_round_trip():
    remote = read_remote(_marc8_record(marc8_leader()), fmt=ISO2709)
    xml = to_marcxml(remote.record)
    again = read_remote(xml, fmt=MARCXML, position=3)
    assert again.position == 3
    assert [str(f) for f in again.record.fields] == [str(f) for f in remote.record.fields]


def test_broken_records_carry_an_error():
    assert read_remote(b"00010nam  ", fmt=ISO2709).error
    assert read_remote(b"<record><oops", fmt=MARCXML).error
    assert read_remote(b"<other/>", fmt=MARCXML).error


def test_indefinite_length_elements_are_framed():
    from kitab.protocols.z3950 import ber

    definite = ber.encode(ber.cons(ber.CONTEXT, 1, [ber.integer(ber.CONTEXT, 2, 7)]))
    indefinite = bytes([definite[0], 0x80]) + definite[2:] + b"\x00\x00"
    assert ber.element_length(indefinite + b"rest") == len(indefinite)
    assert ber.element_length(indefinite[:-1]) is None
    assert ber.element_length(definite) == len(definite)
