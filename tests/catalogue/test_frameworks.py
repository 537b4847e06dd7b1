"""Cataloguing frameworks: stored defaults, checks against a record, new records from a template."""

from __future__ import annotations

from datetime import date

from kitab.catalogue import frameworks
from kitab.catalogue.models import Framework, FrameworkField
from kitab.catalogue.validation import validate
from tests.catalogue.marcdata import bib, field


def test_seven_default_frameworks_are_installed(db):
    assert set(Framework.objects.values_list("code", flat=True)) == {
        "book",
        "serial",
        "map",
        "manuscript",
        "music",
        "ebook",
        "audiobook",
    }
    assert frameworks.code_for("score") == "music"
    assert frameworks.code_for("sound") == "audiobook"
    assert frameworks.code_for("something-else") == "book"


def test_new_record_from_each_framework_is_structurally_valid(db):
    for code in Framework.objects.values_list("code", flat=True):
        spec = frameworks.spec(code)
        record = spec.new_record(today=date(2025, 3, 3))
        assert record["008"].data.startswith("250303") and len(record["008"].data) == 40
        assert str(record.leader) == spec.leader
        record["245"]["a"] = "A title"
        codes = {issue.code for issue in validate(record) if issue.is_error}
        # only the empty template subfields (to be filled in) are left to complain about
        assert codes <= {"subfield_empty", "field_empty"}, (code, codes)
    ebook = frameworks.spec("ebook").new_record(today=date(2025, 3, 3))
    assert ebook["008"].data[23] == "o" and ebook["007"].data.startswith("cr")
    assert ebook["338"]["a"] == "online resource"


def test_framework_check_required_repeatable_and_controlled_values(db):
    spec = frameworks.spec("map")
    record = bib(extra=[field("336", "a", "text", "b", "txt"), field("336", "a", "texts")])
    issues = spec.check(record)
    codes = {(issue.code, issue.tag) for issue in issues}
    assert ("framework_field_required", "255") in codes
    assert ("framework_field_required", "337") in codes
    warning = next(issue for issue in issues if issue.code == "framework_value_not_controlled")
    assert not warning.is_error and "texts" in warning.message
    ok = bib(
        extra=[
            field("255", "a", "Scale 1:50,000"),
            field("336", "a", "cartographic image"),
            field("337", "a", "unmediated"),
            field("338", "a", "sheet"),
        ]
    )
    assert [i for i in spec.check(ok) if i.is_error] == []


def test_administrator_changes_are_used(db):
    FrameworkField.objects.filter(framework__code="book", tag="020").update(required=True)
    spec = frameworks.spec("book")
    assert any(i.code == "framework_field_required" and i.tag == "020" for i in spec.check(bib()))
    assert frameworks.spec("nope") is None
