"""Z39.50 APDUs to and from BER: golden requests captured from yaz-client 5.34, round trips of every
modelled APDU, and malformed APDUs. Pure: no database."""

from __future__ import annotations

import pytest

from kitab.protocols.z3950 import ber, codec
from kitab.protocols.z3950.codec import (
    BIB1_ATTRIBUTES,
    Attribute,
    AttributesPlusTerm,
    ComplexValue,
    Diagnostic,
    NamePlusRecord,
    RPNOp,
    RPNQuery,
    Term,
)

# Requests yaz-client sent for: open, find @or @attr 1=4 @attr 5=1 hist @attr 1=1003 "smith, john", show 1,
# scan @attr 1=1003 smith, close.
YAZ_INIT = bytes.fromhex(
    "b452830200e0840300e9a28504040000008604040000009f6e0238319f6f0359415a9f702f352e33342e30206465633063386130"
    "6237363231333234363863633832363463316232323065616531633637626437"
)
YAZ_SEARCH = bytes.fromhex(
    "b6738d01008e01018f0100900101910131b20a9f690744656661756c74b556a15406072a8648ce130301a149a021bf661ebf2c1430"
    "089f7801059f79010130089f7801019f7901049f2d0468697374a01fbf661cbf2c0b30099f7801019f790203eb9f2d0b736d697468"
    "2c206a6f686ebf2e028100"
)
YAZ_PRESENT = bytes.fromhex("b8149f1f01319e01019d01019f68072a8648ce13050a")
YAZ_SCAN = bytes.fromhex(
    "bf2337a30a9f690744656661756c7406072a8648ce130301bf6616bf2c0b30099f7801019f790203eb9f2d05736d69746885010086"
    "0114870101"
)
YAZ_CLOSE = bytes.fromhex("bf30059f81530100")


def test_yaz_init_request():
    req = codec.decode_apdu(YAZ_INIT)
    assert isinstance(req, codec.InitializeRequest)
    assert req.protocol_versions == {0, 1, 2}
    assert {"search", "present", "scan", "namedResultSets"} <= req.options
    assert req.preferred_message_size == req.exceptional_record_size == 64 * 1024 * 1024
    assert req.implementation_id == "81" and req.implementation_name == "YAZ"
    assert req.implementation_version.startswith("5.34.0")


def test_yaz_search_request():
    req = codec.decode_apdu(YAZ_SEARCH)
    assert isinstance(req, codec.SearchRequest)
    assert req.result_set_name == "1" and req.replace_indicator
    assert req.database_names == ("Default",)
    assert (req.small_set_upper_bound, req.large_set_lower_bound, req.medium_set_present_number) == (0, 1, 0)
    assert req.query == RPNQuery(
        BIB1_ATTRIBUTES,
        RPNOp(
            AttributesPlusTerm((Attribute(5, 1), Attribute(1, 4)), Term("general", b"hist")),
            AttributesPlusTerm((Attribute(1, 1003),), Term("general", b"smith, john")),
            "or",
        ),
    )
    # byte for byte what YAZ writes, but for BOOLEAN TRUE (YAZ 01, us ff as DER does; any non-zero is TRUE)
    assert codec.encode_apdu(req) == YAZ_SEARCH.replace(b"\x90\x01\x01", b"\x90\x01\xff")


def test_yaz_present_scan_close():
    present = codec.decode_apdu(YAZ_PRESENT)
    assert present == codec.PresentRequest(
        result_set_id="1", start_point=1, number_of_records=1, preferred_record_syntax=codec.USMARC
    )
    assert codec.encode_apdu(present) == YAZ_PRESENT
    scan = codec.decode_apdu(YAZ_SCAN)
    assert scan == codec.ScanRequest(
        term=AttributesPlusTerm((Attribute(1, 1003),), Term("general", b"smith")),
        database_names=("Default",),
        attribute_set=BIB1_ATTRIBUTES,
        step_size=0,
        number_of_terms_requested=20,
        preferred_position=1,
    )
    assert codec.encode_apdu(scan) == YAZ_SCAN
    assert codec.decode_apdu(YAZ_CLOSE) == codec.Close(reason=codec.CLOSE_FINISHED)
    assert codec.encode_apdu(codec.Close()) == YAZ_CLOSE


COMPLEX_RPN = RPNOp(
    RPNOp(
        AttributesPlusTerm(
            (Attribute(1, 4), Attribute(4, 1, BIB1_ATTRIBUTES)), Term("characterString", "Қазақ")
        ),
        AttributesPlusTerm((Attribute(1, ComplexValue(("title", 7))),), Term("numeric", -42)),
        "and-not",
    ),
    RPNOp(
        codec.ResultSetOperand("default"),
        codec.RestrictionOperand("other", (Attribute(1, 21),)),
        "prox",
        codec.Proximity(distance=3, ordered=True, relation=2, unit=2, exclusion=False),
    ),
    "or",
)

ROUND_TRIP = [
    codec.InitializeRequest(
        reference_id=b"r1",
        options=frozenset({"search", "present", "scan", "negotiation"}),
        authentication=codec.Authentication("idPass", user="u", group="g", password="p"),
        implementation_id="x",
        implementation_name="y",
        implementation_version="z",
        character_info=("hello",),
    ),
    codec.InitializeRequest(authentication=codec.Authentication("open", user="user", password="secret")),
    codec.InitializeRequest(authentication=codec.Authentication("anonymous")),
    codec.InitializeResponse(
        reference_id=b"r1",
        protocol_versions=frozenset({0, 1, 2}),
        options=frozenset({"search", "present", "scan", "namedResultSets"}),
        preferred_message_size=1 << 20,
        exceptional_record_size=1 << 21,
        result=True,
        implementation_id="Kitab",
        implementation_name="Kitab",
        implementation_version="1",
        character_info=("charset=UTF-8",),
    ),
    codec.SearchRequest(
        query=RPNQuery(BIB1_ATTRIBUTES, COMPLEX_RPN, type=101),
        database_names=("a", "b"),
        result_set_name="s",
        replace_indicator=False,
        small_set_upper_bound=5,
        large_set_lower_bound=10,
        medium_set_present_number=2,
        small_set_element_set_names="F",
        medium_set_element_set_names=codec.DatabaseSpecificESN((("Default", "B"),)),
        preferred_record_syntax=codec.TEXT_XML,
        reference_id=b"\x00\x01",
    ),
    codec.SearchRequest(query=codec.OtherQuery(104)),
    codec.SearchResponse(
        result_count=12,
        number_of_records_returned=2,
        next_result_set_position=3,
        present_status=0,
        records=[
            NamePlusRecord(
                codec.ExternalRecord(codec.USMARC, b"00026nam a2200000 a 4500\x1e\x1d"), "Default"
            ),
            NamePlusRecord(Diagnostic(14, "gone")),
        ],
    ),
    codec.SearchResponse(search_status=False, result_set_status=3, diagnostics=[Diagnostic(114, "9999")]),
    codec.PresentRequest(
        result_set_id="s",
        start_point=3,
        number_of_records=7,
        element_set_names="B",
        preferred_record_syntax=codec.USMARC,
        reference_id=b"p",
    ),
    codec.PresentResponse(
        number_of_records_returned=0,
        next_result_set_position=0,
        present_status=5,
        diagnostics=[Diagnostic(13, "a"), Diagnostic(239, "b")],
    ),
    codec.ScanRequest(
        term=AttributesPlusTerm((Attribute(1, 4),), Term("general", b"war")),
        step_size=None,
        number_of_terms_requested=5,
        preferred_position=None,
        attribute_set=None,
    ),
    codec.ScanResponse(
        number_of_entries_returned=2,
        position_of_term=1,
        step_size=0,
        entries=[codec.ScanEntry("War and peace", 3), codec.ScanEntry("Warsaw", 1, "Warsaw!")],
        attribute_set=BIB1_ATTRIBUTES,
    ),
    codec.ScanResponse(scan_status=6, diagnostics=[Diagnostic(114, "21")]),
    codec.Close(reason=codec.CLOSE_PROTOCOL_ERROR, diagnostic_information="bad", reference_id=b"x"),
]


@pytest.mark.parametrize("apdu", ROUND_TRIP, ids=lambda a: type(a).__name__)
def test_round_trip(apdu):
    data = codec.encode_apdu(apdu)
    assert codec.decode_apdu(data) == apdu
    assert ber.frame_length(data, len(data)) == len(data)


def test_unsupported_apdus_decode_with_their_tag():
    data = ber.encode(
        ber.cons(ber.CONTEXT, 26, [ber.prim(ber.CONTEXT, 2, b"ref"), ber.integer(ber.CONTEXT, 32, 1)])
    )
    apdu = codec.decode_apdu(data)
    assert apdu == codec.UnsupportedAPDU(26, b"ref") and apdu.name == "deleteResultSetRequest"


@pytest.mark.parametrize(
    "data",
    [
        ber.encode(ber.cons(ber.CONTEXT, 22, [])),  # searchRequest without any field
        ber.encode(ber.prim(ber.CONTEXT, 20, b"\x01")),  # primitive initRequest
        ber.encode(ber.cons(ber.UNIVERSAL, 16, [])),  # not a context-tagged APDU
        YAZ_SEARCH.replace(b"\xbf\x2e\x02\x81\x00", b"\xbf\x2e\x02\x89\x00"),  # unknown boolean operator
        YAZ_PRESENT[:-3],  # truncated
        YAZ_INIT + b"\x00",  # trailing byte
    ],
)
def test_malformed_apdus(data):
    with pytest.raises(ber.BERError):
        codec.decode_apdu(data)


def test_reference_id_of_undecodable_apdu():
    data = ber.encode(ber.cons(ber.CONTEXT, 22, [ber.prim(ber.CONTEXT, 2, b"ref7")]))
    assert codec.reference_id_of(data) == b"ref7"
    assert codec.reference_id_of(b"\xff\xff") is None


def test_usmarc_record_is_octet_aligned_external():
    raw = b"00026nam a2200000 a 4500\x1e\x1d"
    data = codec.encode_apdu(
        codec.PresentResponse(
            number_of_records_returned=1,
            next_result_set_position=0,
            records=[NamePlusRecord(codec.ExternalRecord(codec.USMARC, raw))],
        )
    )
    # EXTERNAL (28) { OID 1.2.840.10003.5.10, octet-aligned [1] IMPLICIT OCTET STRING }
    assert bytes.fromhex("06072a8648ce13050a81") + bytes([len(raw)]) + raw in data
