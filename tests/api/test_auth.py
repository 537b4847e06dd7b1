"""Authentication and authorisation: anonymous, token, session, staff without the permission, the branch header."""

from __future__ import annotations

from rest_framework.test import APIClient

from kitab.core.actor import Actor
from kitab.patrons.services import assign_staff_role


def test_anonymous_gets_401_with_token_challenge_on_staff_endpoints(anon, db):
    response = anon.get("/api/v1/patrons/", {"q": "x"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


def test_a_bad_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer kitab_not-a-real-token")
    response = client.get("/api/v1/records/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_staff_without_the_permission_gets_403_naming_it(roleless, patron):
    response = roleless.get("/api/v1/patrons/", {"q": patron.card_number})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "patrons.view" in response.json()["message"]


def test_token_and_session_both_authenticate(desk, desk_user, patron):
    assert desk.get("/api/v1/patrons/", {"q": patron.card_number}).status_code == 200
    session = APIClient()
    session.force_login(desk_user)
    response = session.get("/api/v1/patrons/", {"q": patron.card_number})
    assert response.status_code == 200
    assert [p["card_number"] for p in response.json()] == [patron.card_number]


def test_permissions_come_from_the_roles_held_at_the_branch_header(django_user_model, patron, east):
    user = django_user_model.objects.create_user("eastdesk", password="x" * 12)
    assign_staff_role(user, role="desk", branch_code="EAST", actor=Actor.system())
    client = APIClient()
    client.force_login(user)
    assert client.get("/api/v1/patrons/", {"q": patron.card_number}).status_code == 403
    response = client.get("/api/v1/patrons/", {"q": patron.card_number}, HTTP_X_KITAB_BRANCH="EAST")
    assert response.status_code == 200


def test_session_writes_need_the_csrf_token(desk_user, patron, item):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(desk_user)
    response = client.post("/api/v1/loans/", {"patron": patron.card_number, "item": item.barcode}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]


def test_error_messages_follow_accept_language(desk, patron, item):
    body = {"patron": patron.card_number, "item": item.barcode}
    desk.post("/api/v1/loans/", body, format="json")
    english = desk.post("/api/v1/loans/", body, format="json").json()["message"]
    russian = desk.post("/api/v1/loans/", body, format="json", HTTP_ACCEPT_LANGUAGE="ru").json()["message"]
    assert russian != english
    assert item.barcode in russian
