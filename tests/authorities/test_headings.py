"""Headings, keys and references: pure functions over pymarc records, no database."""

from __future__ import annotations

import pymarc
import pytest

from kitab.authorities import headings
from tests.authorities.records import authority, bib, sample_authorities


def _field(tag: str, *pairs: str) -> pymarc.Field:
    return pymarc.Field(tag=tag, indicators=pymarc.Indicators(" ", " "),
                        subfields=[pymarc.Subfield(p[0], p[1:]) for p in pairs])


def test_key_folds_case_script_and_punctuation_the_same_way_as_search():
    latin = headings.heading_key([("a", "Çelebi, Evliya,"), ("d", "1611-1682")])
    capitals = headings.heading_key([("a", "ÇELEBİ, EVLİYA,"), ("d", "1611-1682.")])
    cyrillic = headings.heading_key([("a", "Челеби, Эвлия,"), ("d", "1611-1682")])
    assert latin == capitals == cyrillic == "celebi evliia 1611 1682"


@pytest.mark.parametrize(
    ("tag", "pairs", "expected"),
    [
        ("700", ["aÇelebi, Evliya,", "d1611-1682,", "eauthor.", "4aut", "0(KTB)a1", "9123"], "Çelebi, Evliya, 1611-1682"),
        ("711", ["aKurultai,", "eSection 2", "jeditor"], "Kurultai, Section 2"),
        ("830", ["aAzerbaijan studies ;", "vv. 3", "x1234-5678"], "Azerbaijan studies"),
        ("650", ["aCarpets", "zAzerbaijan", "xHistory.", "2fast"], "Carpets -- Azerbaijan -- History"),
    ],
)
def test_heading_leaves_out_relators_control_and_numbering(tag, pairs, expected):
    fld = _field(tag, *pairs)
    assert headings.heading_text(headings.heading_subfields(fld)) == expected


def test_main_heading_drops_subject_subdivisions_only():
    fld = _field("650", "aCarpets", "zAzerbaijan", "vPictorial works.")
    assert headings.heading_key(headings.heading_subfields(fld, main_only=True)) == "carpets"
    name = _field("600", "aÇelebi, Evliya,", "d1611-1682", "xCriticism.")
    assert headings.heading_text(headings.heading_subfields(name, main_only=True)) == "Çelebi, Evliya, 1611-1682"


def test_summarize_authority_reads_heading_variants_and_numbers():
    summary = headings.summarize_authority(sample_authorities()[3])
    assert (summary.tag, summary.kind, summary.heading) == ("151", "geographic", "Bakı (Azerbaijan)")
    assert summary.control_number == "a4" and summary.control_number_identifier == "KTB"
    assert summary.lccn == "n80012345"
    assert [f.text for f in summary.see_from] == ["Baku (Azerbaijan)", "Bakou (Azerbaïdjan)"]
    carpets = headings.summarize_authority(sample_authorities()[1])
    assert [(f.text, f.relation) for f in carpets.see_also] == [("Textile fabrics", "g")]


def test_summarize_refuses_bibliographic_and_headless_records():
    with pytest.raises(headings.NotAnAuthority, match="leader/06"):
        headings.summarize_authority(bib("x", "A book"))
    headless = authority("100", ["aX"], number="1")
    headless.remove_fields("100")
    with pytest.raises(headings.NotAnAuthority, match="no heading"):
        headings.summarize_authority(headless)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("(DLC)n  79021164", headings.Ref(control_key="DLC|n  79021164", lccn="n79021164", number="n  79021164")),
        ("(OCoLC)oca00230701", headings.Ref(control_key="OCOLC|oca00230701", number="oca00230701")),
        ("http://id.loc.gov/authorities/names/n79021164", headings.Ref(lccn="n79021164")),
        ("https://example.org/auth/42", headings.Ref(number="42")),
        ("1703", headings.Ref(number="1703")),
    ],
)
def test_parse_ref(value, expected):
    assert headings.parse_ref(value) == expected


def test_bib_headings_count_occurrences_per_tag_and_keep_refs():
    record = bib(
        "b", "T",
        ("700", "1 ", ["aOne, A.", "91"]), ("700", "1 ", ["aTwo, B.", "0(KTB)a2"]), ("650", " 0", ["aCarpets", "xHistory"]),
    )
    found = headings.bib_headings(record)
    assert [(h.tag, h.occurrence, h.authority_tag) for h in found] == [("700", 1, "100"), ("700", 2, "100"), ("650", 1, "150")]
    assert found[0].local_ids == ["1"] and found[1].refs == ["(KTB)a2"]
    assert (found[2].key, found[2].main_key) == ("carpets histori", "carpets")


def test_rewrite_keeps_relators_subdivisions_and_final_full_stop():
    authority_field = _field("100", "aÇelebi, Evliya,", "d1611-1682")
    fld = _field("700", "aCelebi, E.,", "eauthor.", "0(KTB)a1")
    assert headings.rewrite_heading(fld, authority_field, main_only=False)
    assert [(s.code, s.value) for s in fld.subfields] == [
        ("a", "Çelebi, Evliya,"), ("d", "1611-1682,"), ("e", "author."), ("0", "(KTB)a1")
    ]
    subject = _field("650", "aRugs", "zAzerbaijan", "xHistory.")
    assert headings.rewrite_heading(subject, _field("150", "aCarpets"), main_only=True)
    assert [(s.code, s.value) for s in subject.subfields] == [("a", "Carpets"), ("z", "Azerbaijan"), ("x", "History.")]
    alone = _field("100", "aOld name.")
    headings.rewrite_heading(alone, _field("100", "aNew name"), main_only=False)
    assert alone.subfields[-1].value == "New name."
    open_date = _field("100", "aOld,", "d1950-")
    headings.rewrite_heading(open_date, _field("100", "aNew,", "d1950-"), main_only=False)
    assert open_date.subfields[-1].value == "1950-"
    assert not headings.rewrite_heading(alone, _field("100", "aNew name"), main_only=False)
