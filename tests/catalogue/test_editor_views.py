"""The cataloguing pages: thin adapters over kitab.catalogue (parsing, permission, error display)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from kitab.catalogue import editing, editor_state
from kitab.catalogue.models import DeletedRecord, Framework, Record, RecordDraft, RecordVersion
from kitab.core.actor import Actor
from kitab.search import services as search_services
from kitab.search.types import SearchRequest
from tests.catalogue.marcdata import bib, book
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import BranchFactory
from tests.staff_accounts import signed_in, staff_user

ACTOR = Actor(channel="staff", username="seed")


@pytest.fixture
def cataloguer(django_user_model, db) -> Client:  # type: ignore[no-untyped-def]
    BranchFactory(code="MAIN", name="Main library")
    return signed_in(staff_user("cataloguer", role="cataloguer"))


def _post(client, url, state, **extra):
    data = {"record_json": json.dumps(state), "mode": "marc", "framework": "book", "action": "save"}
    data.update(extra)
    return client.post(url, data)


def _state(marc):
    return editor_state.to_state(marc)


def test_pages_need_the_catalogue_edit_permission(client, django_user_model, db):
    record = editing.save_record(record=None, marc=bib(), actor=ACTOR, channel="editor")
    user = django_user_model.objects.create_user("newcomer", password="x", is_staff=True)
    client.force_login(user)
    for url in (
        reverse("staff:cataloguing"),
        reverse("staff:cataloguing_new"),
        reverse("staff:record_edit", args=[record.pk]),
        reverse("staff:record_history", args=[record.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_new_record_page_starts_from_the_framework_template(cataloguer):
    page = cataloguer.get(reverse("staff:cataloguing_new") + "?framework=map")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="255"' in html  # the map framework's scale field
    assert "Type of cartographic material" in html  # 008 laid out for maps
    assert 'dir="auto"' in html


def test_save_new_record_then_it_is_searchable(cataloguer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            cataloguer, reverse("staff:cataloguing_new"), _state(book("Şuşa qalası")), reason="first"
        )
    assert response.status_code == 302
    record = Record.objects.get()
    assert response["Location"].startswith(reverse("staff:record_edit", args=[record.pk]))
    assert RecordVersion.objects.get(record=record).reason == "first"
    assert [h.record_id for h in search_services.search(SearchRequest("qalası")).hits] == [record.pk]


def test_invalid_record_is_shown_again_with_the_reasons(cataloguer):
    response = _post(cataloguer, reverse("staff:cataloguing_new"), _state(book(isbn="978-0-19-852663-7")))
    assert response.status_code == 422
    html = response.content.decode()
    assert "is not a valid ISBN" in html and "978-0-19-852663-7" in html
    assert 'class="mf has-issue" data-tag="020"' in html
    assert not Record.objects.exists()


def test_switching_views_keeps_changes_both_ways(cataloguer):
    url = reverse("staff:cataloguing_new")
    state = _state(book("Original"))
    state["fields"].append({"tag": "500", "ind1": " ", "ind2": " ", "subfields": [["a", "Kept note"]]})
    guided = _post(cataloguer, url, state, action="guided")
    assert guided.status_code == 200
    assert 'name="g-title" value="Original"' in guided.content.decode()
    assert "Kept note" in guided.content.decode()
    # edit in the guided form, switch back to MARC: the change and the untouched fields are there
    posted_state = json.loads(guided.context["state_json"])
    back = cataloguer.post(
        url,
        {
            "record_json": json.dumps(posted_state),
            "mode": "guided",
            "framework": "book",
            "action": "marc",
            "g-title": "Changed in the form",
            "g-notes": "Kept note",
            "g-language": "aze",
        },
    )
    html = back.content.decode()
    assert 'value="Changed in the form' in html and 'value="Kept note"' in html


def test_duplicates_are_shown_before_saving_and_can_be_confirmed(
    cataloguer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        existing = editing.save_record(
            record=None, marc=bib("Existing", isbn="0-19-852663-6"), actor=ACTOR, channel="editor"
        )
    state = _state(book("Another title", isbn="9780198526636"))
    response = _post(cataloguer, reverse("staff:cataloguing_new"), state)
    assert response.status_code == 409
    assert "same ISBN" in response.content.decode()
    assert reverse("staff:record_edit", args=[existing.pk]) in response.content.decode()
    confirmed = _post(cataloguer, reverse("staff:cataloguing_new"), state, confirm_duplicates="1")
    assert confirmed.status_code == 302
    assert Record.objects.count() == 2


def test_draft_is_stored_outside_the_catalogue_and_becomes_a_record(cataloguer):
    state = _state(book("Unfinished"))
    state["fields"].append({"tag": "50", "ind1": " ", "ind2": " ", "subfields": [["a", "bad tag"]]})
    response = _post(cataloguer, reverse("staff:cataloguing_new"), state, action="draft")
    draft = RecordDraft.objects.get()
    assert response["Location"] == reverse("staff:cataloguing_draft", args=[draft.pk])
    assert draft.title == "Unfinished" and draft.record is None
    assert not Record.objects.exists()
    assert "Unfinished" in cataloguer.get(reverse("staff:cataloguing")).content.decode()
    state["fields"].pop()
    saved = _post(cataloguer, reverse("staff:cataloguing_draft", args=[draft.pk]), state)
    assert saved.status_code == 302
    assert Record.objects.get().title == "Unfinished"
    assert not RecordDraft.objects.exists()


def test_history_diff_and_restore(cataloguer):
    record = editing.save_record(record=None, marc=bib("First"), actor=ACTOR, channel="editor")
    editing.save_record(
        record=record, marc=bib("Second", control=record.control_number), actor=ACTOR, channel="editor"
    )
    history = cataloguer.get(reverse("staff:record_history", args=[record.pk]))
    assert history.status_code == 200 and "seed" in history.content.decode()
    diff = cataloguer.get(reverse("staff:record_version", args=[record.pk, 2]))
    rows = diff.context["diff"]
    assert ("removed", "245 10 $aFirst") in rows and ("added", "245 10 $aSecond") in rows
    restored = cataloguer.post(reverse("staff:record_restore", args=[record.pk, 1]), {"reason": "oops"})
    assert restored.status_code == 302
    record.refresh_from_db()
    assert record.title == "First"
    assert RecordVersion.objects.filter(record=record).count() == 3


def test_delete_page_explains_refusals_and_deletes(cataloguer):
    record = editing.save_record(record=None, marc=bib("Doomed"), actor=ACTOR, channel="editor")
    page = cataloguer.get(reverse("staff:record_delete", args=[record.pk]))
    assert page.status_code == 200 and page.context["refusal"] is None
    response = cataloguer.post(reverse("staff:record_delete", args=[record.pk]))
    assert response.status_code == 302
    assert DeletedRecord.objects.filter(pk=record.pk).exists()


def test_merge_page_merges_into_the_chosen_record(cataloguer):
    first = editing.save_record(
        record=None, marc=bib("Twin", isbn="0-19-852663-6"), actor=ACTOR, channel="editor"
    )
    second = editing.save_record(
        record=None, marc=bib("Twin (copy)", isbn="0-19-852663-6"), actor=ACTOR, channel="editor"
    )
    item = ItemFactory(record=second)
    duplicates = cataloguer.get(reverse("staff:record_duplicates", args=[first.pk]))
    assert [c["record"].pk for c in duplicates.context["candidates"]] == [second.pk]
    page = cataloguer.get(reverse("staff:record_merge", args=[first.pk, second.pk]))
    assert page.status_code == 200
    response = cataloguer.post(
        reverse("staff:record_merge", args=[first.pk, second.pk]),
        {"survivor": str(first.pk), "description": "survivor"},
    )
    assert response["Location"] == reverse("staff:record_edit", args=[first.pk])
    item.refresh_from_db()
    assert item.record_id == first.pk
    assert not Record.objects.filter(pk=second.pk).exists()
    bad = cataloguer.post(
        reverse("staff:record_merge", args=[first.pk, first.pk]), {"survivor": str(first.pk)}
    )
    assert bad.status_code == 302  # refused with a message, nothing merged


def test_broken_json_is_an_empty_record_not_a_server_error(cataloguer):
    response = cataloguer.post(
        reverse("staff:cataloguing_new"),
        {"record_json": "{not json", "mode": "marc", "action": "save", "framework": "book"},
    )
    assert response.status_code == 422
    assert "The record has no title" in response.content.decode()


def test_home_finds_records_and_reports_a_bad_query(cataloguer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = editing.save_record(
            record=None, marc=book("Naxçıvan abidələri"), actor=ACTOR, channel="editor"
        )
    page = cataloguer.get(reverse("staff:cataloguing"), {"q": "abidələri"})
    assert [hit.record_id for hit in page.context["hits"]] == [record.pk]
    assert cataloguer.get(reverse("staff:cataloguing"), {"q": str(record.pk)})["Location"] == reverse(
        "staff:record_edit", args=[record.pk]
    )
    bad = cataloguer.get(reverse("staff:cataloguing"), {"q": "year:abc"})
    assert bad.status_code == 200 and bad.context["hits"] == []


def test_frameworks_are_edited_in_the_admin(client, django_user_model, db):
    admin = django_user_model.objects.create_superuser("admin", password="x")
    client.force_login(admin)
    framework = Framework.objects.get(code="map")
    page = client.get(reverse("admin:catalogue_framework_change", args=[framework.pk]))
    assert page.status_code == 200
    assert 'value="255"' in page.content.decode()


def test_an_old_record_missing_framework_fields_can_still_be_corrected(cataloguer):
    # imported before RDA: no 336/337/338, which the book framework requires of new work
    record = editing.save_record(
        record=None, marc=bib("Old import with a typo"), actor=ACTOR, channel="import"
    )
    state = _state(bib("Old import without the typo", control=record.control_number))
    response = _post(cataloguer, reverse("staff:record_edit", args=[record.pk]), state)
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert record.title == "Old import without the typo"
    # a new violation is still refused: an ISBN with a wrong check digit
    worse = _state(bib("Old import", control=record.control_number, isbn="978-0-19-852663-7"))
    assert _post(cataloguer, reverse("staff:record_edit", args=[record.pk]), worse).status_code == 422
    checked = _post(cataloguer, reverse("staff:record_edit", args=[record.pk]), state, action="validate")
    assert "already lacked" in checked.content.decode()


def test_editing_a_record_mentions_drafts_of_it(cataloguer):
    record = editing.save_record(record=None, marc=book("Drafted"), actor=ACTOR, channel="editor")
    draft = editing.save_draft(
        state=_state(book("Drafted, revised")), actor=ACTOR, record=record, framework="book"
    )
    page = cataloguer.get(reverse("staff:record_edit", args=[record.pk])).content.decode()
    assert reverse("staff:cataloguing_draft", args=[draft.pk]) in page and "saved a draft" in page
    own = cataloguer.get(reverse("staff:cataloguing_draft", args=[draft.pk])).content.decode()
    assert "saved a draft of changes" not in own
