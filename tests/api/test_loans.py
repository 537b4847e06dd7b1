"""Loans (staff): checkout with an idempotency key, checkin, renewal, a patron's loans; errors by code."""

from __future__ import annotations

from kitab.circulation.models import Loan
from tests.circulation.factories import ItemFactory


def _checkout(client, patron, item, key=None):  # type: ignore[no-untyped-def]
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/loans/", {"patron": patron.card_number, "item": item.barcode}, format="json",
                       **headers)


def test_checkout_creates_a_loan(desk, patron, item):
    response = _checkout(desk, patron, item)
    assert response.status_code == 201, response.json()
    loan = Loan.objects.get()
    data = response.json()
    assert (data["id"], data["item"], data["patron_card"], data["branch"]) == (loan.pk, item.barcode,
                                                                              patron.card_number, "MAIN")
    item.refresh_from_db()
    assert item.status == "on_loan"


def test_repeated_checkout_with_the_same_key_returns_the_same_loan_with_200(desk, patron, item):
    first = _checkout(desk, patron, item, key="till-7-0001")
    again = _checkout(desk, patron, item, key="till-7-0001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Loan.objects.count() == 1


def test_a_key_reused_for_another_copy_is_422(desk, patron, item, main):
    _checkout(desk, patron, item, key="k-1")
    other = ItemFactory(home_branch=main)
    response = _checkout(desk, patron, other, key="k-1")
    assert (response.status_code, response.json()["code"]) == (422, "idempotency_key_reused")
    assert Loan.objects.count() == 1


def test_checkout_refusals(desk, patron, item):
    assert _checkout(desk, patron, item).status_code == 201
    on_loan = _checkout(desk, patron, item)
    assert (on_loan.status_code, on_loan.json()["code"]) == (409, "item_on_loan")
    assert on_loan.json()["message"]
    unknown = desk.post("/api/v1/loans/", {"patron": patron.card_number, "item": "NOPE"}, format="json")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    missing = desk.post("/api/v1/loans/", {"patron": patron.card_number}, format="json")
    assert missing.status_code == 400 and "item" in missing.json()["fields"]


def test_checkout_needs_circulation_permission(cataloguer, anon, patron, item):
    assert _checkout(cataloguer, patron, item).status_code == 403
    assert _checkout(anon, patron, item).status_code == 401
    assert not Loan.objects.exists()


def test_checkin(desk, patron, item):
    loan_id = _checkout(desk, patron, item).json()["id"]
    response = desk.post("/api/v1/loans/checkin/", {"barcode": item.barcode}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["loan"]["id"] == loan_id and data["loan"]["returned_at"]
    assert data["destination"] == "shelve"
    assert data["replayed"] is False
    again = desk.post("/api/v1/loans/checkin/", {"barcode": item.barcode}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "not_on_loan")


def test_checkin_replay_with_a_key(desk, patron, item):
    _checkout(desk, patron, item)
    first = desk.post("/api/v1/loans/checkin/", {"barcode": item.barcode}, format="json", HTTP_IDEMPOTENCY_KEY="r1")
    again = desk.post("/api/v1/loans/checkin/", {"barcode": item.barcode}, format="json", HTTP_IDEMPOTENCY_KEY="r1")
    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert again.json()["loan"]["id"] == first.json()["loan"]["id"]


def test_renew(desk, patron, item):
    loan = _checkout(desk, patron, item).json()
    response = desk.post(f"/api/v1/loans/{loan['id']}/renew/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["renewals"] == 1
    desk.post(f"/api/v1/loans/{loan['id']}/renew/", {}, format="json")
    refused = desk.post(f"/api/v1/loans/{loan['id']}/renew/", {}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "no_renewals_left")
    assert desk.post("/api/v1/loans/999999/renew/", {}, format="json").status_code == 404


def test_a_patrons_loans(desk, cataloguer, roleless, patron, item, main):
    _checkout(desk, patron, item)
    second = ItemFactory(home_branch=main)
    _checkout(desk, patron, second)
    data = desk.get("/api/v1/loans/", {"patron": patron.card_number}).json()
    assert sorted(loan["item"] for loan in data) == sorted([item.barcode, second.barcode])
    assert cataloguer.get("/api/v1/loans/", {"patron": patron.card_number}).status_code == 200
    assert roleless.get("/api/v1/loans/", {"patron": patron.card_number}).status_code == 403
    assert desk.get("/api/v1/loans/", {"patron": "NOPE"}).status_code == 404
    assert desk.get("/api/v1/loans/").status_code == 400
