"""Record lists: create, add (ids, search results, another list), remove, export, copies for labels."""

from __future__ import annotations

import io

import pymarc
import pytest

from kitab.worklists import policy, selectors, services
from kitab.worklists.errors import ListError
from tests.circulation.factories import ItemFactory


def test_create_add_remove(records, cataloguer_user, actor):
    checked = services.create_list(owner_id=cataloguer_user.pk, name="To be checked", actor=actor)
    assert services.add_records(checked, [records[2].pk, records[0].pk, records[2].pk, 999999], actor=actor) == 2
    assert services.add_records(checked, [records[0].pk, records[1].pk], actor=actor) == 1
    assert selectors.record_ids(checked) == [records[2].pk, records[0].pk, records[1].pk]
    assert services.remove_records(checked, [records[0].pk], actor=actor) == 1
    assert selectors.record_ids(checked) == [records[2].pk, records[1].pk]


def test_names_are_required_and_unique_per_owner(cataloguer_user, django_user_model, actor):
    services.create_list(owner_id=cataloguer_user.pk, name="New books", actor=actor)
    with pytest.raises(ListError) as excinfo:
        services.create_list(owner_id=cataloguer_user.pk, name=" New books ", actor=actor)
    assert excinfo.value.code == "name_taken"
    with pytest.raises(ListError) as excinfo:
        services.create_list(owner_id=cataloguer_user.pk, name="  ", actor=actor)
    assert excinfo.value.code == "name_missing"
    other = django_user_model.objects.create_user("other", is_staff=True)
    assert services.create_list(owner_id=other.pk, name="New books", actor=actor).name == "New books"


def test_shared_lists_are_usable_but_not_managed_by_others(cataloguer_user, django_user_model, actor):
    mine = services.create_list(owner_id=cataloguer_user.pk, name="Mine", actor=actor)
    other = django_user_model.objects.create_user("other", is_staff=True)
    assert not policy.may_use(mine, other.pk)
    services.update_list(mine, name="Ours", description="", shared=True, actor=actor)
    assert policy.may_use(mine, other.pk) and not policy.may_manage(mine, other.pk)
    assert [lst.name for lst in selectors.lists_for(other.pk)] == ["Ours"]


def test_add_to_another_list_and_from_a_search(records, cataloguer_user, actor):
    first = services.create_list(owner_id=cataloguer_user.pk, name="First", actor=actor)
    second = services.create_list(owner_id=cataloguer_user.pk, name="Second", actor=actor)
    services.add_records(first, [r.pk for r in records[:3]], actor=actor)
    assert services.add_to_other_list(first, second, actor=actor) == 3
    title_word = records[4].title.split()[0]
    assert services.add_search_results(second, f'title:"{title_word}"', actor=actor) >= 1
    assert records[4].pk in selectors.record_ids(second)


def test_export_writes_the_list_in_order(records, cataloguer_user, actor):
    chosen = services.create_list(owner_id=cataloguer_user.pk, name="Export", actor=actor)
    services.add_records(chosen, [records[3].pk, records[1].pk], actor=actor)
    stream = io.BytesIO()
    assert services.export_list(chosen, stream) == 2
    exported = list(pymarc.MARCReader(stream.getvalue(), to_unicode=True, force_utf8=True))
    assert [r["001"].data.strip() for r in exported] == [records[3].control_number, records[1].control_number]
    xml = io.BytesIO()
    assert services.export_list(chosen, xml, fmt="marcxml") == 2
    assert xml.getvalue().count(b"<record") == 2


def test_copies_of_a_list_for_labels(records, cataloguer_user, actor):
    chosen = services.create_list(owner_id=cataloguer_user.pk, name="Labels", actor=actor)
    ItemFactory(record=records[1], barcode="L2", call_number="B")
    ItemFactory(record=records[0], barcode="L1", call_number="A")
    ItemFactory(record=records[1], barcode="L3", call_number="A")
    services.add_records(chosen, [records[1].pk, records[0].pk], actor=actor)
    assert [i.barcode for i in selectors.copies_of_list(chosen)] == ["L3", "L2", "L1"]
