"""Patrons (staff): search, register, read, change; refusals mapped to 400 / 404 / 409 / 422."""

from __future__ import annotations

from kitab.patrons.models import Patron
from tests.patrons.factories import PatronCategoryFactory

NEW = {"card_number": "C-1001", "last_name": "Məmmədov", "first_name": "Əli", "category": "ADULT",
       "home_branch": "MAIN", "email": "ali@example.org", "language": "az"}


def test_search_by_name_across_scripts(desk, patron):
    patron.last_name = "Məmmədov"
    patron.save()
    data = desk.get("/api/v1/patrons/", {"q": "Мамедов"}).json()
    assert [p["id"] for p in data] == [patron.pk]
    assert data[0]["category"] == "ADULT"


def test_search_needs_q(desk, db):
    assert desk.get("/api/v1/patrons/").status_code == 400


def test_register(desk, main):
    PatronCategoryFactory()
    response = desk.post("/api/v1/patrons/", NEW, format="json")
    assert response.status_code == 201, response.json()
    patron = Patron.objects.get(card_number="C-1001")
    assert response.json()["id"] == patron.pk
    assert patron.home_branch == main and patron.language == "az"


def test_register_refusals(desk, patron):
    taken = desk.post("/api/v1/patrons/", {**NEW, "card_number": patron.card_number}, format="json")
    assert (taken.status_code, taken.json()["code"]) == (409, "card_number_taken")
    bad_card = desk.post("/api/v1/patrons/", {**NEW, "card_number": "no spaces!"}, format="json")
    assert (bad_card.status_code, bad_card.json()["code"]) == (422, "invalid_card_number")
    no_name = desk.post("/api/v1/patrons/", {**NEW, "last_name": " "}, format="json")
    assert (no_name.status_code, no_name.json()["code"]) == (422, "missing_field")
    bad_language = desk.post("/api/v1/patrons/", {**NEW, "language": "xx"}, format="json")
    assert (bad_language.status_code, bad_language.json()["code"]) == (422, "invalid_language")
    unknown_category = desk.post("/api/v1/patrons/", {**NEW, "category": "NOPE"}, format="json")
    assert unknown_category.status_code == 400
    assert "category" in unknown_category.json()["fields"]
    assert not Patron.objects.filter(card_number="C-1001").exists()


def test_register_needs_patrons_edit(cataloguer, patron):
    response = cataloguer.post("/api/v1/patrons/", NEW, format="json")
    assert response.status_code == 403
    assert cataloguer.get(f"/api/v1/patrons/{patron.pk}/").status_code == 200


def test_read_and_update(desk, patron):
    assert desk.get(f"/api/v1/patrons/{patron.pk}/").json()["card_number"] == patron.card_number
    response = desk.patch(f"/api/v1/patrons/{patron.pk}/", {"phone": "+994 12 555 0101", "expires_on": "2031-06-30"},
                          format="json")
    assert response.status_code == 200, response.json()
    patron.refresh_from_db()
    assert patron.phone == "+994 12 555 0101" and str(patron.expires_on) == "2031-06-30"


def test_update_refusals(desk, patron, db):
    assert desk.get("/api/v1/patrons/999999/").status_code == 404
    unknown = desk.patch(f"/api/v1/patrons/{patron.pk}/", {"is_anonymised": True}, format="json")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_field")
    bad = desk.patch(f"/api/v1/patrons/{patron.pk}/", {"email": "not-an-email"}, format="json")
    assert bad.status_code == 400
    patron.refresh_from_db()
    assert not patron.is_anonymised
