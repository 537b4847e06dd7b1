"""BER encoding and decoding, including malformed, truncated and oversized input. Pure: no database."""

from __future__ import annotations

import pytest

from kitab.protocols.z3950 import ber
from kitab.protocols.z3950.ber import APPLICATION, CONTEXT, UNIVERSAL


@pytest.mark.parametrize(
    "value", [0, 1, -1, 127, 128, -128, -129, 255, 256, 65535, 2**31 - 1, -(2**31), 2**62]
)
def test_integers_round_trip(value):
    el = ber.decode(ber.encode(ber.integer(UNIVERSAL, ber.INTEGER, value)))
    assert ber.to_int(el) == value


def test_known_encodings():
    assert ber.encode(ber.integer(UNIVERSAL, ber.INTEGER, 128)) == b"\x02\x02\x00\x80"
    assert ber.encode(ber.integer(UNIVERSAL, ber.INTEGER, -1)) == b"\x02\x01\xff"
    assert ber.encode(ber.boolean(CONTEXT, 16, True)) == b"\x90\x01\xff"
    assert ber.encode(ber.oid(UNIVERSAL, ber.OBJECT_IDENTIFIER, "1.2.840.10003.5.10")) == bytes.fromhex(
        "06072a8648ce13050a"
    )
    # high tag numbers use the multi-byte form: [201] -> bf 81 49 when constructed
    assert ber.encode(ber.cons(CONTEXT, 201, [])) == b"\xbf\x81\x49\x00"
    assert ber.encode(ber.string(CONTEXT, 105, "Default"))[:3] == b"\x9f\x69\x07"
    # long form length
    assert ber.encode(ber.prim(UNIVERSAL, ber.OCTET_STRING, b"x" * 300))[:4] == b"\x04\x82\x01\x2c"


@pytest.mark.parametrize(
    "oid", ["1.2.840.10003.3.1", "1.2.840.10003.5.109.10", "2.999.1", "0.0", "1.3.6.1.4.1.311"]
)
def test_oids_round_trip(oid):
    assert ber.to_oid(ber.decode(ber.encode(ber.oid(CONTEXT, 104, oid)))) == oid


def test_bit_strings():
    el = ber.decode(ber.encode(ber.prim(CONTEXT, 4, ber.bits_bytes({0, 1, 7, 14}, 16))))
    assert ber.to_bits(el) == {0, 1, 7, 14}
    assert ber.bits_bytes({0, 1, 2}, 3) == b"\x05\xe0"


def test_nested_round_trip_and_strings():
    tree = ber.cons(
        APPLICATION,
        3,
        [
            ber.string(CONTEXT, 0, "Қазақ тілі"),
            ber.cons(UNIVERSAL, ber.SEQUENCE, [ber.null(CONTEXT, 1), ber.boolean(CONTEXT, 2, False)]),
        ],
    )
    el = ber.decode(ber.encode(tree))
    assert el == tree
    assert ber.to_str(el.children[0]) == "Қазақ тілі"
    assert ber.to_str(ber.prim(UNIVERSAL, 4, "é".encode("latin-1"))) == "é"  # legacy bytes do not fail


def test_indefinite_length_inside_an_element():
    inner = b"\x30\x80" + b"\x02\x01\x05" + b"\x00\x00"
    el = ber.decode(b"\x30" + bytes([len(inner)]) + inner)
    assert ber.to_int(el.children[0].children[0]) == 5


def test_frame_length():
    data = ber.encode(ber.prim(UNIVERSAL, 4, b"x" * 1000))
    assert ber.frame_length(data[:1], 10_000) is None
    assert ber.frame_length(data[:3], 10_000) is None  # length bytes not all there yet
    assert ber.frame_length(data[:4], 10_000) == len(data)
    with pytest.raises(ber.BERError, match="larger than the maximum"):
        ber.frame_length(data[:4], 500)


def test_frame_length_refuses_huge_and_indefinite_lengths_from_the_header():
    with pytest.raises(ber.BERError, match="larger"):
        ber.frame_length(b"\xb6\x84\xff\xff\xff\xff", 1024 * 1024)  # 4 GiB announced, nothing allocated
    with pytest.raises(ber.BERError, match="length field too long"):
        ber.frame_length(b"\xb6\x89" + b"\x01" * 9, 1024 * 1024)
    with pytest.raises(ber.BERError, match="indefinite"):
        ber.frame_length(b"\xb6\x80\x00\x00", 1024)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x30",  # no length
        b"\x30\x05\x02\x01",  # content shorter than its length
        b"\x02\x82\x01",  # truncated long length
        b"\x1f\x81",  # truncated high tag
        b"\x30\x80\x02\x01\x05",  # indefinite without end-of-contents
    ],
)
def test_truncated_input(data):
    with pytest.raises(ber.BERError):
        ber.decode(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x02\x01\x05\xff",  # trailing garbage
        b"\x02\x80\x00\x00",  # indefinite primitive
        b"\x1f\x80\x01\x00",  # high tag with a leading zero byte
        b"\x1f\xff\xff\xff\xff\x7f\x00",  # tag number too long
    ],
)
def test_malformed_input(data):
    with pytest.raises(ber.BERError):
        ber.decode(data)


def test_deep_nesting_is_refused_without_recursion_error():
    el = ber.prim(UNIVERSAL, ber.INTEGER, b"\x00")
    for _ in range(ber.MAX_DEPTH + 5):
        el = ber.cons(UNIVERSAL, ber.SEQUENCE, [el])
    with pytest.raises(ber.BERError, match="nested too deeply"):
        ber.decode(ber.encode(el))


def test_value_checks():
    with pytest.raises(ber.BERError):
        ber.to_int(ber.prim(UNIVERSAL, 2, b""))
    with pytest.raises(ber.BERError):
        ber.to_int(ber.prim(UNIVERSAL, 2, b"\x01" * 20))  # absurdly large integer
    with pytest.raises(ber.BERError):
        ber.to_bool(ber.prim(UNIVERSAL, 1, b"\x01\x01"))
    with pytest.raises(ber.BERError):
        ber.to_oid(ber.prim(UNIVERSAL, 6, b"\x2a\x86"))  # truncated arc
    with pytest.raises(ber.BERError):
        ber.to_oid(ber.prim(UNIVERSAL, 6, b""))
    with pytest.raises(ber.BERError):
        ber.to_bits(ber.prim(UNIVERSAL, 3, b"\x09\x00"))
    with pytest.raises(ber.BERError):
        ber.to_int(ber.cons(UNIVERSAL, 2, []))
