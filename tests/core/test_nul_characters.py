"""A NUL character in a query string or form field gets a clear 400 from every adapter, never a server error."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_opac_search_with_a_nul_character(client):
    response = client.get("/search/", {"q": "kitab\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_form_post_with_a_nul_character(client):
    response = client.post("/account/login/", {"identifier": "a\x00b", "password": "x"})
    assert response.status_code == 400


def test_api_query_parameter_with_a_nul_character(client):
    response = client.get("/api/v1/search/", {"q": "\x00"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_api_json_code_field_with_a_nul_character():
    from kitab.api.serializers.patrons import PatronWriteSerializer

    serializer = PatronWriteSerializer(data={"card_number": "123", "last_name": "X", "category": "A\x00",
                                             "home_branch": "MAIN"})
    assert not serializer.is_valid()
    assert "category" in serializer.errors


def test_ordinary_requests_pass(client):
    assert client.get("/search/", {"q": "kitab"}).status_code == 200
