"""Copy pages: search with paging, a record's copies, the wizard, edit, batch actions; refusals on the page."""

from __future__ import annotations

import pytest
from django.test import Client

from kitab.items.models import Item
from tests.circulation.factories import ItemFactory
from tests.staff_accounts import signed_in, staff_user


@pytest.fixture
def cataloguer_client(django_user_model, main, rule):  # type: ignore[no-untyped-def]
    return signed_in(staff_user("cat", role="cataloguer"))


@pytest.fixture
def plain_staff(django_user_model, db):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(django_user_model.objects.create_user("desk", password="x", is_staff=True))
    return client


def test_search_pages_through_copies(cataloguer_client, record, main):
    for n in range(60):
        ItemFactory(record=record, home_branch=main, barcode=f"P{n:04d}")
    page1 = cataloguer_client.get("/staff/copies/", {"barcode": "P*"})
    assert page1.status_code == 200
    assert "1–50 of 60 copies" in page1.content.decode()
    page2 = cataloguer_client.get("/staff/copies/", {"barcode": "P*", "page": 2})
    assert page2.content.decode().count('name="item"') == 10
    bad = cataloguer_client.get("/staff/copies/", {"added_from": "not a date"})
    assert bad.status_code == 200 and "field-error" in bad.content.decode()


def test_wizard_adds_copies_from_a_range(cataloguer_client, record, main, book):
    page = cataloguer_client.get(f"/staff/record/{record.pk}/copies/add/")
    assert page.status_code == 200
    response = cataloguer_client.post(f"/staff/record/{record.pk}/copies/add/", {
        "barcode_mode": "range", "barcode_range": "W001-W003", "count": "1", "home_branch": main.pk,
        "call_number": "PL 314", "item_type": book.pk, "price": "12,5", "loanable": "on"})
    assert response.status_code == 302
    assert sorted(Item.objects.values_list("barcode", "price")) == [("W001", "12.50"), ("W002", "12.50"),
                                                                   ("W003", "12.50")]
    shown = cataloguer_client.get(response["Location"])
    assert "3 copies added." in shown.content.decode()
    assert shown.content.decode().count("just-added") == 3


def test_wizard_shows_refusals_and_adds_nothing(cataloguer_client, record, main):
    ItemFactory(barcode="W002", home_branch=main)
    response = cataloguer_client.post(f"/staff/record/{record.pk}/copies/add/", {
        "barcode_mode": "range", "barcode_range": "W001-W003", "home_branch": main.pk, "price": "abc"})
    assert response.status_code == 200
    assert "Enter the price as a number" in response.content.decode()
    response = cataloguer_client.post(f"/staff/record/{record.pk}/copies/add/", {
        "barcode_mode": "range", "barcode_range": "W001-W003", "home_branch": main.pk})
    assert "already used by another copy: W002" in response.content.decode()
    assert Item.objects.filter(record=record).count() == 0


def test_batch_withdraw_asks_for_a_reason_then_withdraws(cataloguer_client, record, main):
    items = [ItemFactory(record=record, home_branch=main, barcode=f"B{n}") for n in range(3)]
    ids = [str(i.pk) for i in items[:2]]
    step1 = cataloguer_client.post("/staff/copies/batch/", {"action": "withdraw", "item": ids, "next": "/staff/copies/"})
    assert step1.status_code == 200 and "Withdraw the selected copies" in step1.content.decode()
    refused = cataloguer_client.post("/staff/copies/batch/", {"action": "withdraw", "item": ids, "confirmed": "1"})
    assert "Say why the copies are withdrawn." in refused.content.decode()
    done = cataloguer_client.post("/staff/copies/batch/", {"action": "withdraw", "item": ids, "confirmed": "1",
                                                            "note": "Weeded", "next": "/staff/copies/"})
    assert done.status_code == 302 and done["Location"] == "/staff/copies/"
    assert sorted(Item.objects.values_list("status", flat=True)) == ["available", "withdrawn", "withdrawn"]


def test_batch_edit_and_labels_redirect(cataloguer_client, record, main, east):
    items = [ItemFactory(record=record, home_branch=main, barcode=f"E{n}") for n in range(2)]
    ids = [str(i.pk) for i in items]
    response = cataloguer_client.post("/staff/copies/batch/", {
        "action": "edit", "item": ids, "confirmed": "1", "home_branch": east.pk, "location": "Annex"})
    assert response.status_code == 302
    assert set(Item.objects.values_list("home_branch__code", "location")) == {("EAST", "Annex")}
    labels = cataloguer_client.post("/staff/copies/batch/", {"action": "labels", "item": ids})
    assert labels["Location"].startswith("/staff/labels/?item=")


def test_edit_one_copy(cataloguer_client, record, main, east):
    item = ItemFactory(record=record, home_branch=main, barcode="X1")
    response = cataloguer_client.post(f"/staff/copies/{item.pk}/edit/", {
        "home_branch": main.pk, "holding_branch": main.pk, "call_number": "QA 76", "location": "",
        "price": "", "acquisition_source": "Gift"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.call_number, item.acquisition_source, item.status) == ("QA 76", "Gift", "not_for_loan")


def test_writes_need_the_catalogue_permission(plain_staff, record, main):
    item = ItemFactory(record=record, home_branch=main)
    assert plain_staff.get("/staff/copies/", {"barcode": item.barcode}).status_code == 200
    assert plain_staff.get(f"/staff/record/{record.pk}/copies/add/").status_code == 403
    assert plain_staff.post("/staff/copies/batch/", {"action": "withdraw", "item": [item.pk]}).status_code == 403


def test_record_page_offers_copies_and_lists(cataloguer_client, record):
    page = cataloguer_client.get(f"/staff/record/{record.pk}/marc/")
    if page.status_code != 200:
        pytest.skip("the record page needs a MARC record")
    html = page.content.decode()
    assert f"/staff/record/{record.pk}/copies/add/" in html
    assert "/staff/lists/add/" in html
