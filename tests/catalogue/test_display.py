"""`kitab.catalogue.display`: how records read, on real Library of Congress records and a few built by hand.

Pure tests: no database, no index.
"""

from __future__ import annotations

import lzma
from functools import cache
from pathlib import Path

import pymarc
from django.utils import translation

from kitab.catalogue.display import (
    display_record,
    language_name,
    marc_lines,
    relator_name,
    text_direction,
)

DEMO = Path(__file__).resolve().parents[2] / "kitab" / "catalogue" / "demo" / "loc-demo.mrc.xz"


@cache
def demo() -> dict[str, pymarc.Record]:
    with lzma.open(DEMO) as stream:
        records = [r for r in pymarc.MARCReader(stream, to_unicode=True, force_utf8=True) if r is not None]
    return {r.get_fields("001")[0].data.strip(): r for r in records}


def _built(*fields: pymarc.Field, lang: str = "eng") -> pymarc.Record:
    record = pymarc.Record(force_utf8=True)
    record.add_field(pymarc.Field(tag="001", data="test1"))
    record.add_field(pymarc.Field(tag="008", data=f"200101s2020    tu            000 0 {lang} d"))
    for field in fields:
        record.add_field(field)
    return record


def _field(tag: str, ind: str, *subfields: tuple[str, str]) -> pymarc.Field:
    return pymarc.Field(
        tag=tag,
        indicators=[ind[0], ind[1]],
        subfields=[pymarc.Subfield(code, value) for code, value in subfields],
    )


def test_880_title_and_names_sit_beside_their_romanised_twins():
    display = display_record(demo()["00312788"])
    assert display.title.text == "Türk dīlī : dars ocāğī : yüksak ṣīnīflar üçūn : Āz̲arbāycānca darslīk"
    assert display.title.vernacular is not None
    assert (
        display.title.vernacular.text == "تورک ديلى : درس اوجاغى : يوکسک صينيفلر اوچون : آذربايجانجا درسليک"
    )
    assert display.title.vernacular.dir == "rtl"
    assert display.responsibility.text == "Ibrāhīm Rafraf"
    assert display.responsibility.vernacular.text == "ابراهيم رفرف"
    author = display.authors[0]
    assert author.main and author.name == "Rafraf, Ibrāhīm, 1949 or 1950-"
    assert author.query == 'author:"Rafraf, Ibrāhīm, 1949 or 1950-"'
    assert author.vernacular.text == "رفرف، ابراهيم"  # the bidi marks around subfields are gone
    assert author.vernacular.dir == "rtl"
    imprint = display.imprint[0]
    assert imprint.text == "Tihrān : Nashr-i Murgh-i Āmīn, 1999"
    assert (
        imprint.vernacular.text == "تهران : نشر مرغ آمين، \u202a1999\u202c"
    )  # the LTR embedding of the year stays
    assert display.has_vernacular


def test_880_series_and_added_entries():
    display = display_record(demo()["00312787"])
    assert [s.text for s in display.series] == ["Qarnʹlar va ʻaṣrlar faryādī ; 2"]
    assert display.series[0].query == 'series:"Qarnʹlar va ʻaṣrlar faryādī"'
    assert display.series[0].vernacular.text == "قرن\u200cلر و عصرلر فريادى ; 2"
    added = [a for a in display.authors if not a.main]
    assert added[0].name == "Mudarris-i Avval, Akbar"
    assert added[0].vernacular.text == "مدرس اول، اکبر"
    variant_vernaculars = [v.vernacular.text for v in display.variant_titles if v.vernacular]
    assert "رباعيات خيام، ترکى-فارسى" in variant_vernaculars
    assert [lang.code for lang in display.languages] == ["aze", "per"]


def test_direction_comes_from_the_script_code_or_the_characters():
    assert text_direction("كتاب") == "rtl"
    assert text_direction("ספר") == "rtl"
    assert text_direction("Kitab") == "ltr"
    assert text_direction("1999 كتاب") == "rtl"  # digits are weak; the first strong letter decides
    record = _built(
        _field("245", "10", ("6", "880-01"), ("a", "Kniga")),
        _field("880", "10", ("6", "245-01/(N"), ("a", "Книга")),
    )
    title = display_record(record).title
    assert title.vernacular.text == "Книга" and title.vernacular.dir == "ltr"


def test_an_880_without_a_romanised_twin_is_still_shown():
    record = _built(
        _field("245", "10", ("a", "Kitāb")),
        _field("880", " \\".replace("\\", " "), ("6", "250-00/(3/r"), ("a", "چاپ 1.")),
    )
    display = display_record(record)
    assert [(e.text, e.dir, e.vernacular) for e in display.edition] == [("چاپ 1", "rtl", None)]


def test_subjects_carry_a_subject_search():
    display = display_record(demo()["00312788"])
    assert [(s.text, s.query) for s in display.subjects] == [
        ("Azerbaijani language -- Grammar", 'subject:"Azerbaijani language -- Grammar"')
    ]
    record = _built(
        _field(
            "650",
            " 0",
            ("a", "Folk literature, Turkish"),
            ("z", "Turkey"),
            ("v", "Bibliography."),
            ("0", "x"),
        ),
        _field("655", " 7", ("a", "Poetry."), ("2", "lcgft")),
        _field("600", "10", ("a", 'Nesimi, "Seyyid"'), ("d", "-1417"), ("e", "subject.")),
    )
    display = display_record(record)
    assert [s.text for s in display.subjects] == [
        "Folk literature, Turkish -- Turkey -- Bibliography",
        'Nesimi, "Seyyid" -1417',
    ]
    assert display.subjects[1].query == 'subject:"Nesimi, Seyyid -1417"'  # no quote can end the phrase early
    assert [(g.text, g.query) for g in display.genres] == [("Poetry", '"Poetry"')]


def test_authors_with_roles_from_e_and_4():
    record = _built(
        _field("100", "1 ", ("a", "Məmmədov, Əli,"), ("d", "1950-"), ("e", "author.")),
        _field("700", "1 ", ("a", "Smith, J. R.,"), ("e", "editor,"), ("e", "translator.")),
        _field("700", "1 ", ("a", "Aliyev, R."), ("4", "ill")),
        _field(
            "710",
            "2 ",
            ("a", "Azərbaycan Milli Elmlər Akademiyası."),
            ("b", "Folklor İnstitutu,"),
            ("e", "issuing body."),
        ),
        _field("700", "12", ("a", "Nizami Gəncəvi,"), ("d", "1141-1209."), ("t", "Xəmsə.")),
    )
    authors = display_record(record).authors
    assert [a.name for a in authors] == [
        "Məmmədov, Əli, 1950-",
        "Smith, J. R.",  # the initial keeps its full stop
        "Aliyev, R.",
        "Azərbaycan Milli Elmlər Akademiyası. Folklor İnstitutu",
        "Nizami Gəncəvi, 1141-1209",
    ]
    assert [[str(r) for r in a.roles] for a in authors] == [
        ["author"],
        ["editor", "translator"],
        ["illustrator"],
        ["issuing body"],
        [],
    ]
    assert authors[0].main and not any(a.main for a in authors[1:])
    assert authors[4].work == "Xəmsə"
    assert authors[3].query == 'author:"Azərbaycan Milli Elmlər Akademiyası. Folklor İnstitutu"'
    with translation.override("ru"):
        assert str(authors[1].roles[1]) == "переводчик"


def test_notes_are_labelled_by_kind():
    display = display_record(demo()["00008083"])
    labels = [str(n.label) for n in display.notes]
    assert "Contents" in labels and "Summary" in labels
    record = _built(
        _field("500", "  ", ("a", "Cover title.")),
        _field("504", "  ", ("a", "Includes bibliographical references (p. 201-210).")),
        _field("546", "  ", ("a", "Text in Azerbaijani; summary in English.")),
        _field("561", "0 ", ("a", "Private provenance, not for the public.")),
        _field("583", "  ", ("a", "Condition reviewed.")),
        _field("599", "  ", ("a", "Unknown local note.")),
    )
    notes = [(n.tag, str(n.label), n.text) for n in display_record(record).notes]
    assert notes == [
        ("500", "General note", "Cover title."),
        ("504", "Bibliography", "Includes bibliographical references (p. 201-210)."),
        ("546", "Language note", "Text in Azerbaijani; summary in English."),
        ("599", "Note", "Unknown local note."),
    ]
    with translation.override("az"):
        assert str(display_record(record).notes[1].label) == "Biblioqrafiya"


def test_isbns_lose_hyphens_and_keep_their_qualifier():
    display = display_record(demo()["00007345"])
    assert [(i.value, i.qualifier) for i in display.isbns][:2] == [
        ("0130271624", "v. 1"),
        ("013027190X", "v. 2"),
    ]
    record = _built(
        _field("020", "  ", ("a", "978-9952-34-123-4"), ("q", "(pbk.)")),
        _field("020", "  ", ("z", "9999999999")),
        _field("022", "  ", ("a", "0000-0019")),
        _field("010", "  ", ("a", "   99123456 ")),
    )
    display = display_record(record)
    assert [(i.value, i.qualifier, i.query) for i in display.isbns] == [
        ("9789952341234", "pbk.", "isbn:9789952341234")
    ]
    assert display.issns == ["0000-0019"]
    assert display.lccn == "99123456"


def test_series_traced_by_an_8xx_show_the_access_point():
    display = display_record(demo()["00004435"])
    assert [(s.text, s.query) for s in display.series] == [
        ("World's great books", 'series:"World\'s great books"')
    ]


def test_languages_of_turkish_and_kazakh_records_have_translated_names():
    turkish = next(r for r in demo().values() if r.get_fields("008")[0].data[35:38] == "tur")
    kazakh = next(r for r in demo().values() if r.get_fields("008")[0].data[35:38] == "kaz")
    first = display_record(turkish).languages[0]
    assert (first.code, str(first.name)) == ("tur", "Turkish")
    assert str(display_record(kazakh).languages[0].name) == "Kazakh"
    with translation.override("az"):
        assert str(language_name("tur")) == "Türk dili"
        assert str(language_name("kaz")) == "Qazax dili"
    with translation.override("tr"):
        assert str(language_name("aze")) == "Azerbaycan Türkçesi"
    with translation.override("ru"):
        assert str(language_name("kaz")) == "Казахский"
    assert language_name("xyz") == "xyz"


def test_translated_from_041_h():
    display = display_record(demo()["00313427"])
    assert [lang.code for lang in display.original_languages] == ["tut"]


def test_relator_terms():
    assert str(relator_name("trl")) == "translator"
    assert str(relator_name("Translator.")) == "translator"
    assert relator_name("former owner.") == "former owner"


def test_links_only_http():
    record = _built(
        _field("856", "41", ("3", "Table of contents"), ("u", "https://www.loc.gov/catdir/toc/x.html")),
        _field("856", "40", ("u", "javascript:alert(1)")),
    )
    links = display_record(record).links
    assert [(link.url, link.label) for link in links] == [
        ("https://www.loc.gov/catdir/toc/x.html", "Table of contents")
    ]


def test_every_demo_record_displays():
    for control, record in demo().items():
        display = display_record(record)
        assert display.title.text, control
        assert display.control_number == control


def test_marc_lines():
    record = demo()["00312788"]
    lines = marc_lines(record)
    assert lines[0].tag == "LDR" and lines[0].data == str(record.leader).replace(" ", "#")
    assert [line.tag for line in lines[1:]] == [f.tag for f in record.fields]
    control = next(line for line in lines if line.tag == "008")
    assert control.data.startswith("040213s1999####ir") and not control.subfields
    title = next(line for line in lines if line.tag == "245")
    assert (title.ind1, title.ind2) == ("1", "0")
    assert title.subfields[0] == ("6", "880-02")
    assert title.dir == "ltr"
    vernacular = [line for line in lines if line.tag == "880"]
    assert vernacular and all(line.dir == "rtl" for line in vernacular)
    blank = next(line for line in lines if line.tag == "260")
    assert (blank.ind1, blank.ind2) == ("#", "#")
