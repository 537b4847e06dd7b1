"""Record validation before save (pure: no database)."""

from __future__ import annotations

import pymarc

from kitab.catalogue.validation import validate
from tests.catalogue.marcdata import bib, field


def _codes(record: pymarc.Record) -> set[str]:
    return {issue.code for issue in validate(record) if issue.is_error}


def test_a_good_record_has_no_errors():
    assert _codes(bib(isbn="0-19-852663-6", extra=[field("022", "a", "0378-5955")])) == set()


def test_isbn_and_issn_check_digits():
    record = bib(isbn="0-19-852663-7", extra=[field("022", "a", "0378-5956"), field("020", "z", "123")])
    issues = [i for i in validate(record) if i.is_error]
    assert {i.code for i in issues} == {"isbn_checksum", "issn_checksum"}
    isbn = next(i for i in issues if i.code == "isbn_checksum")
    assert (isbn.tag, isbn.subfield, record.fields[isbn.field_index].tag) == ("020", "a", "020")
    assert "0-19-852663-7" in isbn.message


def test_008_length_and_leader():
    record = bib(f008="2501")
    record.leader = pymarc.Leader("00000zam a2200000 a 4500")
    assert {"field_008_length", "leader_05"} <= _codes(record)
    short = bib()
    short.leader = "00000nam"
    assert "leader_length" in _codes(short)


def test_title_required_and_non_repeatable_fields():
    record = bib(extra=[field("100", "a", "Second author", ind="1 ")])
    record.remove_fields("245")
    assert {"title_missing", "main_entry_repeated"} <= _codes(record)
    twice = bib(extra=[field("245", "a", "Again", ind="10")])
    assert "not_repeatable" in _codes(twice)


def test_structure_of_fields():
    record = bib(
        extra=[
            field("500", "A", "bad code"),
            field("650", "a", "  "),
            pymarc.Field(tag="5x", indicators=[" ", " "], subfields=[pymarc.Subfield("a", "x")]),
        ]
    )
    assert {"subfield_code_invalid", "subfield_empty", "tag_invalid"} <= _codes(record)
    bad_indicator = bib(extra=[field("650", "a", "Poetry", ind="#0")])
    assert "indicator_invalid" in _codes(bad_indicator)


def test_880_linkage_must_pair_both_ways():
    paired = bib(
        extra=[
            field("245", "6", "880-01", "a", "Kitab", ind="10"),
            field("880", "6", "245-01/(3/r", "a", "كتاب", ind="10"),
        ]
    )
    paired.remove_fields("245")
    paired.add_field(field("245", "6", "880-01", "a", "Kitab", ind="10"))
    assert _codes(paired) == set()

    orphan = bib(extra=[field("880", "6", "100-02/(3/r", "a", "عبدالله")])
    assert "linkage_unpaired" in _codes(orphan)
    missing = bib(extra=[field("700", "6", "880-03", "a", "Ali")])
    assert "linkage_unpaired" in _codes(missing)
    garbage = bib(extra=[field("700", "6", "eight-eighty", "a", "Ali")])
    assert "linkage_invalid" in _codes(garbage)
    unlinked = bib(extra=[field("880", "6", "500-00/(3/r", "a", "یادداشت")])
    assert _codes(unlinked) == set()


def test_coded_008_values_are_checked_for_the_type_of_material():
    from tests.catalogue.marcdata import F008

    # books: 008/22 target audience "x" is not a MARC 21 value (a warning); the same position of a map is
    # projection (free text), so a map with it passes
    data = F008[:22] + "x" + F008[23:]
    book = bib(f008=data)
    warnings = [i for i in validate(book) if i.code == "field_008_value"]
    assert len(warnings) == 1 and not warnings[0].is_error and "008/22" in warnings[0].message
    a_map = bib(f008=data)
    a_map.leader = pymarc.Leader("00000nem a2200000 a 4500")
    assert [i for i in validate(a_map) if i.code == "field_008_value" and "008/22" in i.message] == []
