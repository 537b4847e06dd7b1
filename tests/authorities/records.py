"""Small MARC 21 authority and bibliographic records written for these tests (not copied from anywhere)."""

from __future__ import annotations

import pymarc

from kitab.marc.writer import to_iso2709


def _field(tag: str, ind: str, *pairs: str) -> pymarc.Field:
    subfields = [pymarc.Subfield(code=p[0], value=p[1:]) for p in pairs]
    return pymarc.Field(tag=tag, indicators=pymarc.Indicators(ind[0], ind[1]), subfields=subfields)


def authority(
    tag: str,
    heading: list[str],
    *,
    number: str,
    org: str = "KTB",
    see_from: list[tuple[str, list[str]]] | None = None,
    see_also: list[tuple[str, list[str]]] | None = None,
    lccn: str | None = None,
    leader6: str = "z",
) -> pymarc.Record:
    """heading: subfields as "aText" strings; see_from/see_also: (tag, subfields)."""
    record = pymarc.Record(force_utf8=True, leader=f"00000n{leader6}  a2200000n  4500")
    record.add_field(pymarc.Field(tag="001", data=number))
    record.add_field(pymarc.Field(tag="003", data=org))
    record.add_field(pymarc.Field(tag="008", data="261101n| acannaabn          |a aaa      "))
    if lccn:
        record.add_field(_field("010", "  ", "a" + lccn))
    record.add_field(_field(tag, "1 " if tag == "100" else "  ", *heading))
    for form_tag, pairs in see_from or []:
        record.add_field(_field(form_tag, "1 " if form_tag == "400" else "  ", *pairs))
    for form_tag, pairs in see_also or []:
        record.add_field(_field(form_tag, "  ", *pairs))
    record.add_field(_field("670", "  ", "aWritten for the Kitab test suite"))
    return record


def bib(number: str, title: str, *fields: tuple[str, str, list[str]]) -> pymarc.Record:
    """A book record with 001, 008, 245 and the given (tag, indicators, subfields) fields."""
    record = pymarc.Record(force_utf8=True, leader="00000nam a2200000 i 4500")
    record.add_field(pymarc.Field(tag="001", data=number))
    record.add_field(pymarc.Field(tag="003", data="KTB"))
    record.add_field(pymarc.Field(tag="008", data="261101s2020    aj            000 0 aze d"))
    record.add_field(_field("245", "10", "a" + title))
    for tag, ind, pairs in fields:
        record.add_field(_field(tag, ind, *pairs))
    return record


def iso(*records: pymarc.Record) -> list[bytes]:
    return [to_iso2709(r) for r in records]


# A small catalogue: a Turkish author with two variant names, a subject with variants, a corporate body and a
# place; the bibliographic records spell the headings in their own ways (capitals with dotted İ, Cyrillic,
# ISBD punctuation, relator terms, subdivisions, a $0).
def sample_authorities() -> list[pymarc.Record]:
    return [
        authority(
            "100", ["aÇelebi, Evliya,", "d1611-1682"], number="a1",
            see_from=[("400", ["aEvliya Efendi,", "d1611-1682"]), ("400", ["aMehmed Zilli,", "d1611-1682"])],
        ),
        authority(
            "150", ["aCarpets"], number="a2", see_from=[("450", ["aRugs, Oriental"]), ("450", ["aXalçalar"])],
            see_also=[("550", ["wg", "aTextile fabrics"])],
        ),
        authority("110", ["aAzərbaycan Milli Kitabxanası"], number="a3",
                  see_from=[("410", ["aAkhundov State Library"])]),
        authority("151", ["aBakı (Azerbaijan)"], number="a4", lccn="n  80012345",
                  see_from=[("451", ["aBaku (Azerbaijan)"]), ("451", ["aBakou (Azerbaïdjan)"])]),
    ]


def sample_bibs() -> list[pymarc.Record]:
    return [
        bib("b1", "Seyahatname",
            ("100", "1 ", ["aÇELEBİ, EVLİYA,", "d1611-1682,", "eauthor."]),
            ("650", " 0", ["aCarpets", "zAzerbaijan", "xHistory."])),
        bib("b2", "Xalça sənəti",
            ("650", " 0", ["aCarpets."]),
            ("710", "2 ", ["aAzərbaycan Milli Kitabxanası,", "eissuing body."])),
        bib("b3", "Bakı küçələri", ("651", " 0", ["aBaku (Azerbaijan)", "0(DLC)n  80012345"])),
        bib("b4", "Nothing controlled here", ("500", "  ", ["aA note."])),
        bib("b5", "Книга путешествия", ("100", "1 ", ["aЧелеби, Эвлия,", "d1611-1682."])),
    ]
