"""Barcode arithmetic: check digits, patterns and ranges (no database)."""

from __future__ import annotations

import pytest

from kitab.items.barcodes import PatternSpec, RangeError, expand_range, mod10, mod11, parse_range


def test_luhn_check_digit_matches_known_values():
    assert mod10("7992739871") == "3"  # the textbook Luhn example
    assert mod10("0000001") == "8"


def test_mod11_uses_x_for_ten():
    assert mod11("030640615") == "2"  # ISBN 0-306-40615-2 uses the same weights
    assert {mod11(str(n).zfill(6)) for n in range(200)} >= {"X"}


def test_pattern_formats_prefix_branch_padding_and_check_digit():
    spec = PatternSpec(prefix="KT", include_branch=True, width=6, check_digit="mod10")
    assert spec.format(42, branch_code="main") == "KTMAIN000042" + mod10("000042")
    assert PatternSpec(width=4).format(7, branch_code="MAIN") == "0007"


def test_range_expands_with_the_width_of_the_first_barcode():
    assert expand_range("A0098", "A0101", limit=10) == ["A0098", "A0099", "A0100", "A0101"]
    assert parse_range("A0001-A0003", limit=10) == ["A0001", "A0002", "A0003"]
    assert parse_range("KT-0001-KT-0002", limit=10) == ["KT-0001", "KT-0002"]
    assert parse_range("B7..B9", limit=10) == ["B7", "B8", "B9"]
    assert parse_range("31000001", limit=10) == ["31000001"]


@pytest.mark.parametrize(("text", "code"), [
    ("A0001-B0003", "range_invalid"),
    ("A0009-A0001", "range_reversed"),
    ("A0001-A9999", "range_too_long"),
    ("ABC", "range_invalid"),
])
def test_bad_ranges_have_codes(text, code):
    with pytest.raises(RangeError) as excinfo:
        parse_range(text, limit=100)
    assert excinfo.value.code == code
