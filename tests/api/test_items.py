"""Copies: a record's items and one item by barcode, public."""

from __future__ import annotations

from tests.circulation.factories import ItemFactory


def test_record_items_with_status(anon, item, main):
    other = ItemFactory(record=item.record, home_branch=main, status="on_loan")
    data = anon.get(f"/api/v1/records/{item.record_id}/items/").json()
    assert [(i["barcode"], i["status"]) for i in data] == [(item.barcode, "available"), (other.barcode, "on_loan")]
    assert data[0]["home_branch"] == "MAIN"
    assert data[1]["status_label"] == "On loan"


def test_item_by_barcode(anon, item):
    data = anon.get(f"/api/v1/items/{item.barcode}/").json()
    assert data["record"] == item.record_id
    assert data["item_type"] == "BOOK"


def test_unknown_barcode_is_404(anon, db):
    response = anon.get("/api/v1/items/NOPE/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
