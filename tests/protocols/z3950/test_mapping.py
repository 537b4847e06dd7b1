"""RPN queries with Bib-1 attributes to Kitab's query language, and the diagnostics. Pure: no database."""

from __future__ import annotations

import pytest

from kitab.protocols.z3950 import codec, mapping
from kitab.protocols.z3950.diagnostics import Bib1Diagnostic

from .pqf import pqf


def kitab(text: str) -> str:
    return mapping.to_kitab(pqf(text)).text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("history", "history"),
        ("@attr 1=1016 history", "history"),
        ("@attr 1=1017 history", "history"),
        ("@attr 1=4 history", "title:history"),
        ("@attr 1=4 'philosophy of history'", "title:philosophy title:of title:history"),
        ("@attr 1=4 @attr 4=1 'philosophy of history'", 'title:"philosophy of history"'),
        ("@attr 1=4 @attr 4=6 'philosophy of history'", "title:philosophy title:of title:history"),
        ("@attr 1=4 @attr 4=2 history", "title:history"),
        ("@attr 1=1003 @attr 4=101 'Smith, John'", 'author:"Smith, John"'),
        ("@attr 1=1004 smith", "author:smith"),
        ("@attr 1=21 history", "subject:history"),
        ("@attr 1=5 'temple primers'", "series:temple series:primers"),
        ("@attr 1=1018 macmillan", "publisher:macmillan"),
        ("@attr 1=7 0-306-40615-2", "isbn:0-306-40615-2"),
        ("@attr 1=8 0378-5955", "issn:0378-5955"),
        ("@attr 1=9 '   00001342 '", "lccn:00001342"),
        ("@attr 1=12 00001342", "control_number:00001342"),
        ("@attr 1=1007 00001342", "isbn:00001342 OR issn:00001342 OR lccn:00001342"),
        ("@attr 1=31 1899", "year:1899"),
        ("@attr 1=30 1890-1900", "year:1890-1900"),
        ("@attr 1=31 @attr 2=1 1900", "year:<1900"),
        ("@attr 1=31 @attr 2=2 1900", "year:<=1900"),
        ("@attr 1=31 @attr 2=3 1900", "year:1900"),
        ("@attr 1=31 @attr 2=4 1900", "year:>=1900"),
        ("@attr 1=31 @attr 2=5 1900", "year:>1900"),
        ("@attr 1=31 @attr 4=4 1900", "year:1900"),
        ("@attr 1=54 eng", "language:eng"),
        ("@attr 1=4 @attr 5=1 hist", "title:hist*"),
        ("@attr 1=4 @attr 5=1 'hist phil'", "title:hist* title:phil*"),
        ("@attr 1=4 @attr 5=101 hist#", "title:hist*"),
        ("@attr 1=4 @attr 5=101 history", "title:history"),
        ("@attr 1=4 @attr 5=100 history", "title:history"),
        ("@attr 1=4 @attr 2=102 @attr 3=3 @attr 6=1 history", "title:history"),
        ("@attr 1=4 @attr 3=1 @attr 6=3 history", "title:history"),  # first-in-field searched anywhere
        ("@and @attr 1=4 history @attr 1=1003 smith", "title:history author:smith"),
        ("@or @attr 1=4 history @attr 1=21 war", "subject:war OR title:history"),
        ("@not @attr 1=4 history @attr 1=54 ger", "title:history -language:ger"),
        ("@and @or a1 b1 @or c1 d1", "a1 OR b1 c1 OR d1"),
        ("@or @and a1 b1 c1", "a1 OR c1 b1 OR c1"),
        ("@attr 1=31 @attr 2=6 1900", "-year:1900"),
        ("@not @attr 1=4 war @or @attr 1=54 ger @attr 1=54 fre", "title:war -language:ger -language:fre"),
        ("@attr 1=4 'war:peace'", 'title:"war:peace"'),
        ("@attr 1=4 -war", 'title:"-war"'),
        ("@attr 1=4 OR", 'title:"OR"'),
    ],
)
def test_mapping(query, expected):
    assert kitab(query) == expected


def test_complex_attribute_set_per_element():
    q = codec.RPNQuery(
        codec.BIB1_ATTRIBUTES,
        codec.AttributesPlusTerm(
            (codec.Attribute(1, 4, codec.BIB1_ATTRIBUTES),), codec.Term("characterString", "Қазақ")
        ),
    )
    assert mapping.to_kitab(q).text == "title:Қазақ"
    q = codec.RPNQuery(
        codec.BIB1_ATTRIBUTES,
        codec.AttributesPlusTerm((codec.Attribute(1, 31),), codec.Term("numeric", 1899)),
    )
    assert mapping.to_kitab(q).text == "year:1899"


@pytest.mark.parametrize(
    ("query", "condition", "addinfo"),
    [
        ("@attr 1=9999 x", 114, "9999"),
        ("@attr 1=1032 x", 114, "1032"),
        ("@attr 7=1 x", 113, "7"),
        ("@attr 1=4 @attr 2=1 history", 117, "1"),
        ("@attr 1=4 @attr 2=101 history", 117, "101"),
        ("@attr 1=7 @attr 2=5 123", 117, "5"),
        ("@attr 1=4 @attr 3=4 history", 119, "4"),
        ("@attr 1=4 @attr 4=4 history", 118, "4"),
        ("@attr 1=4 @attr 4=104 history", 118, "104"),
        ("@attr 1=31 @attr 4=101 1900", 118, "101"),
        ("@attr 1=4 @attr 5=2 history", 120, "2"),
        ("@attr 1=4 @attr 5=3 history", 120, "3"),
        ("@attr 1=4 @attr 5=102 hist.*", 120, "102"),
        ("@attr 1=7 @attr 5=1 123", 120, "1"),
        ("@attr 1=4 @attr 5=101 h#st", 120, "101 (a # is only supported at the end of a word)"),
        ("@attr 1=4 @attr 6=9 history", 122, "9"),
        ("@attr 1=4 @attr 5=1 h", 9, "h"),
        (
            "@attr 1=4 @attr 4=1 @attr 5=1 'philosophy of hist'",
            123,
            "truncation 1 with a phrase (structure 1)",
        ),
        ("@attr 1=31 nineteen", 126, "nineteen"),
        ("@attr 1=31 @attr 2=4 1890-1900", 126, "1890-1900"),
        ("@attr 1=54 'e n'", 126, "e n"),
        ("@attr 1=4 '...'", 125, "empty term"),
        ("@attrset 1.2.840.10003.3.2 @attr 1=4 x", 121, "1.2.840.10003.3.2"),
        ("@attr 1.2.840.10003.3.5 1=4 x", 121, "1.2.840.10003.3.5"),
        ("@attr 1=title x", 246, "1=title"),
        ("@or @attr 1=4 a1 @not b1 c1", 110, "an OR containing an AND-NOT cannot be searched"),
        ("@prox 0 1 0 2 k 2 a1 b1", 110, "prox"),
        ("@and @set default a1", 18, "default"),
    ],
)
def test_diagnostics(query, condition, addinfo):
    with pytest.raises(Bib1Diagnostic) as exc:
        kitab(query)
    assert (exc.value.condition, exc.value.addinfo) == (condition, addinfo)


def test_unsupported_term_type_and_restriction():
    q = codec.RPNQuery(codec.BIB1_ATTRIBUTES, codec.AttributesPlusTerm((), codec.Term("oid", "1.2.3")))
    with pytest.raises(Bib1Diagnostic) as exc:
        mapping.to_kitab(q)
    assert exc.value.condition == 229
    q = codec.RPNQuery(codec.BIB1_ATTRIBUTES, codec.RestrictionOperand("default", ()))
    with pytest.raises(Bib1Diagnostic) as exc:
        mapping.to_kitab(q)
    assert exc.value.condition == 245


def test_too_complex():
    # an OR of 7 ANDs distributes into 2**7 = 128 clauses, more than Kitab's 64
    text = " ".join(["@or"] * 6) + " " + " ".join(f"@and a{i} b{i}" for i in range(7))
    with pytest.raises(Bib1Diagnostic) as exc:
        kitab(text)
    assert exc.value.condition == 6


@pytest.mark.parametrize(
    ("query", "column", "start"),
    [
        ("@attr 1=4 War", "title", "war"),
        ("@attr 1=1003 Smith", "author", "smith"),
        ("@attr 1=1004 @attr 2=3 smith", "author", "smith"),
    ],
)
def test_scan_columns(query, column, start):
    apt = pqf(query).rpn
    assert mapping.scan_column(apt) == (column, start)


@pytest.mark.parametrize(
    ("query", "condition"),
    [
        ("war", 116),
        ("@attr 1=21 war", 114),
        ("@attr 1=1016 war", 114),
        ("@attr 1=4 @attr 2=1 war", 117),
        ("@attr 9=1 war", 113),
    ],
)
def test_scan_diagnostics(query, condition):
    with pytest.raises(Bib1Diagnostic) as exc:
        mapping.scan_column(pqf(query).rpn)
    assert exc.value.condition == condition
