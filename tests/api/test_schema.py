"""The OpenAPI 3 document: valid, and it describes every API URL."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from kitab.api import urls as api_urls


@pytest.fixture
def schema(anon, db) -> dict:  # type: ignore[type-arg]
    response = anon.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_every_api_url_is_in_the_schema(schema):
    documented = set(schema["paths"])
    for pattern in api_urls.urlpatterns:
        if pattern.name == "not-found":
            continue
        route = "/api/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{" + ("id" if m[1] == "pk" else m[1]) + "}",
                                 str(pattern.pattern))
        assert route in documented, route


def test_staff_operations_document_their_refusals_and_the_error_body(schema):
    checkout = schema["paths"]["/api/v1/loans/"]["post"]
    assert {"200", "201", "401", "403", "404", "409", "422"} <= set(checkout["responses"])
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in checkout["parameters"])
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"code", "message"}
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    assert checkout["x-kitab-scope"] == "loans:write"
    assert checkout["x-kitab-permission"] == "circulation.checkout"


def test_every_operation_names_the_token_scope_it_needs(schema):
    from kitab.api.scopes import SCOPES

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if path == "/api/v1/schema/":
                continue
            assert operation.get("x-kitab-scope") in SCOPES, (method, path)


def test_unknown_api_urls_get_the_json_404(anon, db):
    for url in ("/api/v1/nothing/", "/api/v1/records/-1/", "/api/v2/search/"):
        response = anon.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
