"""Editing a subfield across a list through the record save path, with history, reindexing and undo."""

from __future__ import annotations

import pymarc
import pytest

from kitab.catalogue import editing
from kitab.catalogue.models import Record, RecordVersion
from kitab.worklists import services
from kitab.worklists.errors import ListError
from kitab.worklists.models import BatchEdit


def marc(record: Record):  # type: ignore[no-untyped-def]
    return editing.as_pymarc(Record.objects.get(pk=record.pk).raw)


@pytest.fixture
def checked(records, cataloguer_user, actor):  # type: ignore[no-untyped-def]
    chosen = services.create_list(owner_id=cataloguer_user.pk, name="To be checked", actor=actor)
    services.add_records(chosen, [r.pk for r in records[:3]], actor=actor)
    return chosen


def test_add_a_subfield_to_every_record_then_undo(records, checked, actor, django_capture_on_commit_callbacks):
    before = {r.pk: bytes(Record.objects.get(pk=r.pk).raw) for r in records[:3]}
    with django_capture_on_commit_callbacks(execute=True):
        result = services.edit_field(checked, services.FieldEdit("650", "a", "add", value="Yoxlanılacaq"),
                                     actor=actor)
    assert (result.changed, result.unchanged, result.failures) == (3, 0, [])
    for record in records[:3]:
        assert "Yoxlanılacaq" in [a for f in marc(record).get_fields("650") for a in f.get_subfields("a")]
        latest = RecordVersion.objects.filter(record=record).order_by("-number").first()
        assert (latest.channel, latest.batch_id) == ("batch_edit", result.batch.pk)
    from kitab.search.services import SearchRequest, search

    def found() -> int:
        return search(SearchRequest(query="Yoxlanılacaq")).total

    assert found() == 3  # searchable at once
    with django_capture_on_commit_callbacks(execute=True):
        undo = services.undo_batch_edit(result.batch, actor=actor)
    assert (undo.restored, undo.changed_since) == (3, [])
    for record in records[:3]:
        assert "Yoxlanılacaq" not in [a for f in marc(record).get_fields("650") for a in f.get_subfields("a")]
        assert marc(record).title == editing.as_pymarc(before[record.pk]).title
    assert found() == 0
    with pytest.raises(ListError) as excinfo:
        services.undo_batch_edit(BatchEdit.objects.get(pk=result.batch.pk), actor=actor)
    assert excinfo.value.code == "already_undone"


def test_replace_only_matching_values_and_delete(records, checked, actor):
    first = marc(records[0])
    first.add_ordered_field(pymarc.Field(tag="690", indicators=pymarc.Indicators(" ", " "), subfields=[
        pymarc.Subfield("a", "old"), pymarc.Subfield("a", "keep")]))
    editing.save_record(record=records[0], marc=first, actor=actor, channel="editor")
    result = services.edit_field(checked, services.FieldEdit("690", "a", "replace", value="new", match="old"),
                                 actor=actor)
    assert (result.changed, result.unchanged) == (1, 2)
    assert marc(records[0])["690"].get_subfields("a") == ["new", "keep"]
    result = services.edit_field(checked, services.FieldEdit("690", "a", "delete"), actor=actor)
    assert result.changed == 1
    assert marc(records[0]).get_fields("690") == []  # a field left without subfields goes


def test_a_record_changed_again_is_not_undone(records, checked, actor):
    result = services.edit_field(checked, services.FieldEdit("590", "a", "add", value="x"), actor=actor)
    again = marc(records[1])
    again["590"]["a"] = "edited by hand"
    editing.save_record(record=records[1], marc=again, actor=actor, channel="editor")
    undo = services.undo_batch_edit(result.batch, actor=actor)
    assert (undo.restored, undo.changed_since) == (2, [records[1].pk])
    assert marc(records[1])["590"]["a"] == "edited by hand"


def test_invalid_records_are_reported_and_left_alone(records, checked, actor):
    result = services.edit_field(checked, services.FieldEdit("245", "a", "delete"), actor=actor)
    assert result.changed + len(result.failures) == 3
    assert len(result.failures) == 3  # a title is required
    for record_id, message in result.failures:
        assert message
        assert Record.objects.get(pk=record_id).title


@pytest.mark.parametrize(("edit", "code"), [
    (services.FieldEdit("65", "a", "add", "x"), "invalid_tag"),
    (services.FieldEdit("008", "a", "add", "x"), "control_field"),
    (services.FieldEdit("650", "A", "add", "x"), "invalid_subfield"),
    (services.FieldEdit("650", "a", "replace", ""), "value_missing"),
])
def test_bad_edits_are_refused_before_anything_is_saved(checked, actor, edit, code):
    with pytest.raises(ListError) as excinfo:
        services.edit_field(checked, edit, actor=actor)
    assert excinfo.value.code == code
    assert not BatchEdit.objects.exists()


def test_an_empty_list_has_nothing_to_edit(cataloguer_user, actor):
    empty = services.create_list(owner_id=cataloguer_user.pk, name="Empty", actor=actor)
    with pytest.raises(ListError) as excinfo:
        services.edit_field(empty, services.FieldEdit("590", "a", "add", "x"), actor=actor)
    assert excinfo.value.code == "empty_list"
