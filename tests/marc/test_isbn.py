from __future__ import annotations

import pytest

from kitab.marc.isbn import isbn_variants, normalize_isbn, normalize_issn, normalize_lccn


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0471383147 (paper/cd-rom : alk. paper)", "9780471383147"),
        ("0-471-38314-7", "9780471383147"),
        ("978-0-471-38314-7", "9780471383147"),
        ("978 0 471 38314 7 (pbk.)", "9780471383147"),
        ("ISBN 0-8044-2957-X", "9780804429573"),
        ("080442957x", "9780804429573"),
        ("9791034306596", "9791034306596"),
        ("0471383148", None),  # wrong check digit
        ("9780471383148", None),
        ("12345", None),
        ("", None),
        (None, None),
        ("(pbk.)", None),
    ],
)
def test_normalize_isbn(text, expected):
    assert normalize_isbn(text) == expected


def test_isbn_variants():
    assert isbn_variants("9780804429573") == ["9780804429573", "080442957X"]
    assert isbn_variants("0-471-38314-7") == ["9780471383147", "0471383147"]
    assert isbn_variants("9791034306596") == ["9791034306596"]  # 979 has no ISBN-10
    assert isbn_variants("garbage") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0028-0836", "0028-0836"),
        ("00280836", "0028-0836"),
        ("1050-124X", "1050-124X"),
        ("1050-124x", "1050-124X"),
        ("0028-0837", None),
        ("ISSN 0378-5955 (print)", "0378-5955"),
        (None, None),
    ],
)
def test_normalize_issn(text, expected):
    assert normalize_issn(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("   00020737 ", "00020737"),
        ("n78-890351", "n78890351"),
        ("n 78890351 ", "n78890351"),
        ("85-2 ", "85000002"),
        ("85-000002", "85000002"),
        ("2001-000002", "2001000002"),
        ("75-425165//r75", "75425165"),
        (" 79139101 /AC/r932", "79139101"),
        ("", None),
        (None, None),
    ],
)
def test_normalize_lccn(text, expected):
    assert normalize_lccn(text) == expected
