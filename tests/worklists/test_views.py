"""List pages: create, add from a record page, batch edit and undo, export, permissions."""

from __future__ import annotations

import pytest
from django.test import Client

from kitab.catalogue import editing
from kitab.catalogue.models import Record
from kitab.worklists.models import RecordList


@pytest.fixture
def staff(client, cataloguer_user):  # type: ignore[no-untyped-def]
    cataloguer_user.is_superuser = True
    cataloguer_user.save()
    client.force_login(cataloguer_user)
    return client


def test_create_add_from_record_page_edit_undo_export(staff, records):
    response = staff.post("/staff/lists/", {"name": "To be checked"})
    lst = RecordList.objects.get()
    assert response["Location"] == f"/staff/lists/{lst.pk}/"
    for record in records[:2]:
        back = staff.post("/staff/lists/add/", {"record": record.pk, "list": lst.pk,
                                                "next": f"/staff/record/{record.pk}/marc/"})
        assert back["Location"] == f"/staff/record/{record.pk}/marc/"
    staff.post("/staff/lists/add/", {"record": records[2].pk, "new_name": "Display"})
    assert RecordList.objects.get(name="Display").entries.count() == 1

    page = staff.post(f"/staff/lists/{lst.pk}/", {"action": "edit_field", "tag": "590", "code": "a",
                                                   "operation": "add", "value": "Yoxlanılıb"})
    assert "Batch edit done: 2 changed" in page.content.decode()
    assert editing.as_pymarc(Record.objects.get(pk=records[0].pk).raw)["590"]["a"] == "Yoxlanılıb"
    batch = lst.batch_edits.get()
    staff.post(f"/staff/lists/{lst.pk}/batch/{batch.pk}/undo/")
    assert editing.as_pymarc(Record.objects.get(pk=records[0].pk).raw).get_fields("590") == []

    export = staff.get(f"/staff/lists/{lst.pk}/export/", {"format": "marcxml"})
    assert export["Content-Type"].startswith("application/marcxml+xml")
    assert b"".join(export.streaming_content).count(b"<record") == 2


def test_bad_edit_is_shown_not_applied(staff, records):
    staff.post("/staff/lists/", {"name": "L"})
    lst = RecordList.objects.get()
    staff.post("/staff/lists/add/", {"record": records[0].pk, "list": lst.pk})
    page = staff.post(f"/staff/lists/{lst.pk}/", {"action": "edit_field", "tag": "001", "code": "a",
                                                   "operation": "add", "value": "x"}, follow=True)
    assert "Control fields (001-009) have no subfields" in page.content.decode()
    assert not lst.batch_edits.exists()


def test_other_staff_see_only_shared_lists(staff, records, django_user_model):
    staff.post("/staff/lists/", {"name": "Private"})
    lst = RecordList.objects.get()
    other = Client()
    other.force_login(django_user_model.objects.create_user("o", is_staff=True, is_superuser=True))
    assert other.get(f"/staff/lists/{lst.pk}/").status_code == 404
    lst.shared = True
    lst.save()
    assert other.get(f"/staff/lists/{lst.pk}/").status_code == 200
    other.post(f"/staff/lists/{lst.pk}/", {"action": "delete"})
    assert RecordList.objects.filter(pk=lst.pk).exists()  # only the owner deletes


def test_opac_results_lead_staff_to_add_them_to_a_list(staff, records):
    word = records[4].title.split()[0]
    results = staff.get("/search/", {"q": f'title:"{word}"'})
    assert "/staff/lists/?q=" in results.content.decode()
    page = staff.get("/staff/lists/", {"q": f'title:"{word}"'})
    assert "Add the records the search" in page.content.decode()
    done = staff.post("/staff/lists/add-search/", {"q": f'title:"{word}"', "new_name": "From a search"})
    lst = RecordList.objects.get(name="From a search")
    assert done["Location"] == f"/staff/lists/{lst.pk}/"
    assert records[4].pk in lst.entries.values_list("record_id", flat=True)
    refused = staff.post("/staff/lists/add-search/", {"q": "x", "new_name": " "}, follow=True)
    assert refused.status_code == 200
