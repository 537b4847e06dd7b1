"""The SIP2 codec on bytes alone: every request type, responses, checksums, sequence numbers, broken input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from kitab.protocols.sip2 import codec
from kitab.protocols.sip2.codec import Message, SIP2Error

DATE = "20250303    100000"
BLANK = " " * 18


def signed(body: str, sequence: str = "0", encoding: str = "utf-8") -> bytes:
    """A request with AY and a correct AZ, as terminals with error detection send them."""
    head = f"{body}AY{sequence}AZ".encode(encoding)
    return head + codec.checksum(head).encode("ascii")


REQUESTS = {
    "93": "9300CNkiosk|COsecret|CPMAIN|",
    "99": "990 802.00",
    "23": f"23001{DATE}AOKitab|AAP000001|AC|AD|",
    "63": f"63001{DATE}  Y       AOKitab|AAP000001|BP1|BQ5|",
    "17": f"17{DATE}AOKitab|AB3100000001|AC|",
    "11": f"11YN{DATE}{BLANK}AOKitab|AAP000001|AB3100000001|AC|BON|BIN|",
    "09": f"09N{DATE}{DATE}APMAIN|AOKitab|AB3100000001|AC|",
    "29": f"29NN{DATE}{BLANK}AOKitab|AAP000001|AB3100000001|",
    "65": f"65{DATE}AOKitab|AAP000001|",
    "37": f"37{DATE}0100AZNBV2.50|AOKitab|AAP000001|BKtx-1|",
    "15": f"15+{DATE}BW{BLANK}|BSMAIN|AOKitab|AAP000001|AB3100000001|",
    "35": f"35{DATE}AOKitab|AAP000001|",
    "97": "97",
}


@pytest.mark.parametrize("command", sorted(REQUESTS))
def test_every_request_type_parses_with_and_without_error_detection(command):
    plain = codec.decode(REQUESTS[command].encode())
    assert plain.command == command and plain.sequence is None and not plain.checksummed
    checked = codec.decode(signed(REQUESTS[command], "7"))
    assert checked.sequence == "7" and checked.checksummed
    assert checked.fixed == plain.fixed and checked.fields == plain.fields
    # a request built from the parsed message is the same bytes again
    assert codec.encode(checked) == signed(REQUESTS[command], "7") + b"\r"


def test_fields_are_read_by_their_codes():
    m = codec.decode(REQUESTS["11"].encode())
    assert m.fixed == {
        "sc_renewal_policy": "Y",
        "no_block": "N",
        "transaction_date": DATE,
        "nb_due_date": BLANK,
    }
    assert m.get("AA") == "P000001" and m.get("AB") == "3100000001" and m.get("AC") == ""
    assert m.get("XX", "none") == "none" and not m.has("XX")


def test_the_sip2_client_checkout_with_18_blank_due_date():
    # byte for byte what `Sip2().sip_checkout_request('3100000001')` sends (the PyPI `sip2` client)
    raw = signed(f"11NN20250303    100000{BLANK}AOMy Test Institute|AAP000001|AB3100000001|AC|BON|BIN|")
    m = codec.decode(raw + b"\r")
    assert m.fixed["nb_due_date"] == BLANK
    assert codec.parse_date(m.fixed["nb_due_date"], UTC) is None


def test_sequence_number_followed_by_a_field_terminator():
    head = b"17" + DATE.encode() + b"AB1|AY3|AZ"
    m = codec.decode(head + codec.checksum(head).encode())
    assert (m.sequence, m.checksummed, m.fields) == ("3", True, (("AB", "1"),))


def test_missing_transaction_date_of_the_sip2_client_renew_all():
    # `Sip2().sip_renew_all_request()` sends no transaction date at all
    m = codec.decode(signed("65AOMy Test Institute|AAP000001|BON|"))
    assert m.fixed == {"transaction_date": BLANK} and m.get("AA") == "P000001"
    with pytest.raises(SIP2Error):  # only where the date is the last fixed field
        codec.decode(b"11NNAOx|AAP1|ABB1|")


def test_unknown_and_repeated_fields_are_kept_in_order():
    m = codec.decode(b"17" + DATE.encode() + b"AOx|ZZwhatever|AB1|AB2|")
    assert m.getall("AB") == ["1", "2"] and m.get("ZZ") == "whatever"


def test_bad_checksum_is_detected():
    raw = bytearray(signed(REQUESTS["17"]))
    raw[5] = ord("9")
    with pytest.raises(SIP2Error) as excinfo:
        codec.decode(bytes(raw))
    assert excinfo.value.kind == "checksum" and excinfo.value.command == "17"


def test_checksum_without_leading_zeros_and_over_characters_is_accepted():
    # clients that format the sum with "%X" drop leading zeros; some add up characters, not UTF-8 bytes
    body = "17" + DATE + "AOKitab|ABə|AY1AZ"
    by_chars = f"{-sum(ord(c) for c in body) & 0xFFFF:X}"
    assert codec.decode((body + by_chars).encode("utf-8")).get("AB") == "ə"
    head = b"97AZ"
    short = f"{-sum(head) & 0xFFFF:X}".lstrip("0")
    assert codec.decode(head + short.encode()).command == "97"


def test_checksum_of_the_standard_example():
    head = b"09N20160419    12200820160419    122008APReading Room 1|AO830|AB830$28170815|AC|AY2AZ"
    assert codec.checksum(head) == "EB80"


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"", "unknown"),
        (b"x", "unknown"),
        (b"GET / HTTP/1.1", "unknown"),
        (b"\x16\x03\x01\x02\x00", "unknown"),
        (b"42hello", "unknown"),
        (b"11YN2025", "malformed"),  # truncated in the transaction date
        (b"63001" + DATE.encode(), "malformed"),  # no summary
        (b"11XN" + DATE.encode() + BLANK.encode() + b"AAx|", "malformed"),  # flag not Y/N
        (b"17" + b"2025-03-03 10:00:00" + b"AB1|", "malformed"),  # not a SIP date
        (b"15?" + DATE.encode(), "malformed"),  # hold mode
        (b"17" + DATE.encode() + b"AB1|X|", "malformed"),  # a field with no code
        (b"17" + DATE.encode() + b"AB\xff\xfe|", "encoding"),
        (b"17" + DATE.encode() + b"AB1|AY12", "malformed"),  # a sequence number is one digit
        (b"17" + DATE.encode() + b"AB1|AY1|AB2|", "malformed"),  # and comes last
    ],
)
def test_malformed_messages_are_refused(raw, kind):
    with pytest.raises(SIP2Error) as excinfo:
        codec.decode(raw)
    assert excinfo.value.kind == kind


def test_character_sets():
    text = "17" + DATE + "AOKitab|ABAzərbaycan İğdır Москва|"
    assert codec.decode(text.encode("utf-8")).get("AB") == "Azərbaycan İğdır Москва"
    # cp850 has no ə or Cyrillic: a cp850 terminal gets "?" rather than an error
    out = codec.encode(Message("18", {"transaction_date": DATE}, (("AJ", "Azərbaycan Ümid"),)), "cp850")
    assert out.decode("cp850") == f"18010101{DATE}AJAz?rbaycan Ümid|\r"
    # every byte is a cp850 character, so cp850 never fails to decode; utf-8 does
    assert codec.decode(("17" + DATE + "ABÜmid|").encode("cp850"), "cp850").get("AB") == "Ümid"
    with pytest.raises(SIP2Error):
        codec.decode(("17" + DATE + "ABÜmid|").encode("cp850"), "utf-8")


def test_responses_take_defaults_and_error_detection_only_when_asked():
    assert codec.encode(Message("94", {"ok": "1"})) == b"941\r"
    with_checks = codec.encode(Message("94", {"ok": "1"}, sequence="3", checksummed=True))
    assert with_checks.startswith(b"941AY3AZ") and len(with_checks) == 13
    assert -sum(with_checks[:-5]) & 0xFFFF == int(with_checks[-5:-1], 16)
    refusal = codec.decode(
        codec.encode(Message("12", {"transaction_date": DATE}, (("AF", "No|way"),))), responses=True
    )
    assert refusal.fixed == {
        "ok": "0",
        "renewal_ok": "N",
        "magnetic_media": "U",
        "desensitize": "N",
        "transaction_date": DATE,
    }
    assert refusal.get("AF") == "No/way"  # a field terminator inside a value cannot end the field
    assert codec.resend_request() == b"96AZFEF6\r"
    with pytest.raises(ValueError):
        codec.encode(Message("94", {"ok": "yes"}))


def test_dates():
    tz = timezone(timedelta(hours=4))
    at = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)
    assert codec.format_date(at, tz) == "20250303    100000"
    assert codec.format_date(None) == BLANK
    assert codec.parse_date("20250303    100000", tz) == at
    assert codec.parse_date("20250303   Z060000", tz) == at
    assert codec.parse_date(BLANK, tz) is None
    with pytest.raises(ValueError):
        codec.parse_date("2025030310000000xx", tz)
