"""Holds (staff): place with an idempotency key, read, cancel; a patron's holds; errors by code."""

from __future__ import annotations

from kitab.holds.models import Hold


def _place(client, patron, copy, key=None, **extra):  # type: ignore[no-untyped-def]
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    body = {"patron": patron.card_number, "record": copy.record_id, "pickup_branch": "MAIN", **extra}
    return client.post("/api/v1/holds/", body, format="json", **headers)


def test_place_hold_and_replay(desk, patron, item):
    first = _place(desk, patron, item, key="h-1")
    assert first.status_code == 201, first.json()
    data = first.json()
    assert (data["record"], data["patron_card"], data["pickup_branch"], data["position"]) == (
        item.record_id, patron.card_number, "MAIN", 1)
    again = _place(desk, patron, item, key="h-1")
    assert again.status_code == 200
    assert again.json()["id"] == data["id"]
    assert Hold.objects.count() == 1


def test_place_hold_refusals(desk, cataloguer, patron, item):
    assert _place(desk, patron, item).status_code == 201
    twice = _place(desk, patron, item)
    assert (twice.status_code, twice.json()["code"]) == (409, "hold_exists")
    branch = _place(desk, patron, item, pickup_branch="NOWHERE")
    assert (branch.status_code, branch.json()["code"]) == (422, "unknown_branch")
    record = desk.post("/api/v1/holds/", {"patron": patron.card_number, "record": 999999, "pickup_branch": "MAIN"},
                       format="json")
    assert record.status_code == 404
    assert _place(cataloguer, patron, item).status_code == 403


def test_item_level_hold(desk, patron, item):
    response = _place(desk, patron, item, item=item.barcode)
    assert response.status_code == 201, response.json()
    assert response.json()["item"] == item.barcode


def test_read_list_and_cancel(desk, roleless, patron, item):
    hold_id = _place(desk, patron, item).json()["id"]
    assert desk.get(f"/api/v1/holds/{hold_id}/").json()["status"] == "waiting"
    assert [h["id"] for h in desk.get("/api/v1/holds/", {"patron": patron.card_number}).json()] == [hold_id]
    assert roleless.get("/api/v1/holds/", {"patron": patron.card_number}).status_code == 403
    assert roleless.delete(f"/api/v1/holds/{hold_id}/?reason=x").status_code == 403
    no_reason = desk.delete(f"/api/v1/holds/{hold_id}/")
    assert no_reason.status_code == 400
    cancelled = desk.delete(f"/api/v1/holds/{hold_id}/?reason=Patron+asked")
    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancellation_reason"] == "Patron asked"
    again = desk.delete(f"/api/v1/holds/{hold_id}/?reason=again")
    assert (again.status_code, again.json()["code"]) == (409, "hold_not_active")
    assert desk.get("/api/v1/holds/", {"patron": patron.card_number}).json() == []
    assert desk.get("/api/v1/holds/999999/").status_code == 404
