"""The authority editor's text form: round trip, blanks, dollar signs, and errors with line numbers."""

from __future__ import annotations

import pytest

from kitab.authorities import marctext
from tests.authorities.records import sample_authorities


def test_round_trip_keeps_every_field_subfield_and_blank():
    record = sample_authorities()[0]
    text = marctext.to_text(record)
    assert "100 1\\ $aÇelebi, Evliya,$d1611-1682" in text
    again = marctext.from_text(text)
    assert str(again) == str(record)


def test_dollar_sign_and_marcedit_paste():
    record = marctext.from_text("=LDR  00000nz  a2200000n  4500\n=100  1\\$aPrice, {dollar}5 man\n")
    assert record["100"]["a"] == "Price, $5 man"
    assert str(record.leader) == "00000nz  a2200000n  4500"
    assert "{dollar}5" in marctext.to_text(record)


def test_problems_name_their_lines():
    text = "LDR short\n100 1\\ $aFine\n10 x\n245 10 no subfields\n650 $aMissing indicators\n"
    with pytest.raises(marctext.MarcTextError) as excinfo:
        marctext.from_text(text)
    assert [(p.line, p.code) for p in excinfo.value.problems] == [
        (1, "leader"), (3, "tag"), (4, "subfields"), (5, "indicators")
    ]


def test_empty_text_is_an_error():
    with pytest.raises(marctext.MarcTextError) as excinfo:
        marctext.from_text("\n  \n")
    assert excinfo.value.problems[0].code == "empty"


def test_new_record_template_parses_once_the_heading_is_filled_in():
    text = marctext.new_authority_text("150", "261122")
    record = marctext.from_text(text.replace("$a\n", "$aCarpets\n"))
    assert record["150"]["a"] == "Carpets" and len(record["008"].data) == 40
    assert str(record.leader)[6] == "z"
