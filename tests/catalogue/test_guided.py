"""The guided form reads and writes the same record as the MARC editor (pure)."""

from __future__ import annotations

from kitab.catalogue import guided
from tests.catalogue.marcdata import bib, field


def test_read_strips_isbd_punctuation():
    record = bib(
        extra=[
            field("300", "a", "312 pages :", "b", "illustrations ;", "c", "24 cm"),
            field("650", "a", "Epic poetry, Azerbaijani", "x", "History and criticism.", ind=" 0"),
            field("490", "a", "Classics ;", "v", "3", ind="0 "),
        ]
    )
    values = guided.read(record)
    assert (
        values["place"] == "İstanbul"
        and values["publisher"] == "Kitab Yayınları"
        and values["date"] == "2024"
    )
    assert (values["extent"], values["other_physical"], values["dimensions"]) == (
        "312 pages",
        "illustrations",
        "24 cm",
    )
    assert values["subjects"] == "Epic poetry, Azerbaijani -- History and criticism"
    assert values["series"] == "Classics ; 3"
    assert values["language"] == "tur"


def test_apply_writes_fields_with_punctuation_and_keeps_the_rest():
    record = bib(
        extra=[
            field("650", "a", "Epic poetry", "0", "http://id.loc.gov/x", ind=" 0"),
            field("041", "a", "tur"),
        ]
    )
    values = guided.read(record)
    values.update(
        title="Dədə Qorqud",
        subtitle="dastanlar",
        responsibility="tərtib edən F. Zeynalov",
        edition="2nd edition",
        extent="200 pages",
        language="aze",
        subjects=values["subjects"] + "\nAzerbaijani literature -- Sources",
        added_entries="Zeynalov, Fərhad",
        isbns="978-9952-8-1234-5 (hardback)",
        notes="Translated from the manuscript.",
    )
    guided.apply(record, values)
    title = record["245"]
    assert [(s.code, s.value) for s in title.subfields] == [
        ("a", "Dədə Qorqud :"),
        ("b", "dastanlar /"),
        ("c", "tərtib edən F. Zeynalov."),
    ]
    assert title.indicators[0] == "1"
    assert record["250"]["a"] == "2nd edition."
    assert record["008"].data[35:38] == "aze"
    subjects = record.get_fields("650")
    assert subjects[0]["0"] == "http://id.loc.gov/x"  # unchanged line keeps its authority link
    assert [s.value for s in subjects[1].subfields] == ["Azerbaijani literature", "Sources"]
    assert record["700"]["a"] == "Zeynalov, Fərhad"
    assert (record["020"]["a"], record["020"]["q"]) == ("978-9952-8-1234-5", "hardback")
    assert record["041"]["a"] == "tur"  # not on the form: untouched
    assert guided.read(record)["title"] == "Dədə Qorqud"


def test_emptying_a_value_removes_the_field_and_round_trip_is_stable():
    record = bib()
    values = guided.read(record)
    guided.apply(record, dict(values, author=""))
    assert record.get_fields("100") == []
    assert record["245"].indicators[0] == "0"
    again = guided.read(record)
    assert guided.read(guided.apply(record, again)) == again
