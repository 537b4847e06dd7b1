"""Application tokens: scopes per endpoint (403 naming the scope), revocation and expiry (401), the owner's staff
permissions still apply, digests only are stored, and the `kitab api-token` commands."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from rest_framework.test import APIClient

from kitab.api import selectors, services
from kitab.api.errors import ApiError
from kitab.api.models import ApiApplication
from kitab.api.scopes import SCOPES, parse_scopes
from kitab.cli import main
from kitab.core import clock
from kitab.core.actor import Actor
from tests.api.conftest import app_token, token_client


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_read_scope_allows_reads_but_not_writes(desk_user, patron, item):
    client = token_client(desk_user, "loans:read", "patrons:read")
    assert client.get("/api/v1/loans/", {"patron": patron.card_number}).status_code == 200
    response = client.post("/api/v1/loans/", {"patron": patron.card_number, "item": item.barcode}, format="json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "missing_scope"
    assert "loans:write" in body["message"]
    assert "loans:read" in body["message"]  # what the token has, to help whoever set it up
    assert not item.loans.exists()


@pytest.mark.parametrize(("method", "url", "scope"), [
    ("get", "/api/v1/search/?q=x", "search:read"),
    ("get", "/api/v1/records/", "records:read"),
    ("get", "/api/v1/items/NOPE/", "items:read"),
    ("get", "/api/v1/patrons/?q=x", "patrons:read"),
    ("post", "/api/v1/patrons/", "patrons:write"),
    ("post", "/api/v1/loans/checkin/", "loans:write"),
    ("post", "/api/v1/loans/1/renew/", "loans:write"),
    ("get", "/api/v1/holds/?patron=x", "holds:read"),
    ("post", "/api/v1/holds/", "holds:write"),
    ("delete", "/api/v1/holds/1/?reason=x", "holds:write"),
    ("delete", "/api/v1/records/1/", "records:write"),
])
def test_every_endpoint_checks_its_scope_before_anything_else(desk_user, method, url, scope):
    others = [s for s in SCOPES if s != scope]
    response = getattr(token_client(desk_user, *others), method)(url, {}, format="json")
    assert response.status_code == 403, (url, response.content)
    assert response.json()["code"] == "missing_scope"
    assert scope in response.json()["message"]


def test_the_scope_does_not_add_to_the_owners_staff_permissions(cataloguer_user, patron, item):
    client = token_client(cataloguer_user)  # every scope, but a cataloguer cannot lend
    response = client.post("/api/v1/loans/", {"patron": patron.card_number, "item": item.barcode}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "circulation.checkout" in response.json()["message"]


def test_a_token_with_the_scope_lends_as_its_owner(desk_user, patron, item):
    client = token_client(desk_user, "loans:write")
    response = client.post("/api/v1/loans/", {"patron": patron.card_number, "item": item.barcode}, format="json")
    assert response.status_code == 201, response.content
    assert item.loans.get().events.get().actor_name == "api:desk"


def test_a_revoked_token_gets_401_at_once(desk_user, patron):
    key = app_token(desk_user, "patrons:read", name="kiosk")
    client = bearer(key)
    assert client.get("/api/v1/patrons/", {"q": patron.card_number}).status_code == 200
    services.revoke_application(selectors.live_application("kiosk"), actor=Actor.system(), at=clock.now())
    response = client.get("/api/v1/patrons/", {"q": patron.card_number})
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert "revoked" in response.json()["message"]
    # Public reads too: a revoked token is refused, not silently treated as anonymous.
    assert client.get("/api/v1/records/").status_code == 401


def test_an_expired_token_and_an_inactive_owner_get_401(desk_user, patron):
    at = clock.now()
    issued = services.create_application(name="short", owner_username="desk", scopes=["patrons:read"],
                                         actor=Actor.system(), at=at - timedelta(days=2),
                                         expires_at=at - timedelta(days=1) + timedelta(seconds=1))
    response = bearer(issued.key).get("/api/v1/patrons/", {"q": "x"})
    assert (response.status_code, response.json()["code"]) == (401, "token_expired")
    key = app_token(desk_user, "patrons:read", name="live")
    desk_user.is_active = False
    desk_user.save()
    response = bearer(key).get("/api/v1/patrons/", {"q": "x"})
    assert (response.status_code, response.json()["code"]) == (401, "owner_inactive")


def test_unknown_and_malformed_tokens_get_401(db):
    for header in ("Bearer kitab_nope", "Bearer", "Bearer a b", "Token 0123456789abcdef0123456789abcdef01234567"):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=header)
        response = client.get("/api/v1/records/")
        assert response.status_code == 401, header
        assert response.json()["code"] == "authentication_failed"


def test_the_token_keyword_is_accepted_too(desk_user, patron):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {app_token(desk_user, 'patrons:read')}")
    assert client.get("/api/v1/patrons/", {"q": patron.card_number}).status_code == 200


def test_only_a_digest_is_stored_and_use_is_recorded(desk_user, patron):
    key = app_token(desk_user, "patrons:read", name="kiosk")
    application = ApiApplication.objects.get(name="kiosk")
    assert key not in json.dumps([application.key_digest, application.prefix, application.scopes])
    assert key.startswith(application.prefix)
    assert application.last_used_at is None
    bearer(key).get("/api/v1/patrons/", {"q": "x"})
    application.refresh_from_db()
    assert application.last_used_at is not None


def test_create_refuses_bad_input(desk_user, roleless_user, django_user_model):
    def create(**kwargs):  # type: ignore[no-untyped-def]
        args = {"name": "app", "owner_username": "desk", "scopes": ["search:read"], "actor": Actor.system(),
                "at": clock.now(), **kwargs}
        with pytest.raises(ApiError) as refused:
            services.create_application(**args)
        return refused.value.code

    django_user_model.objects.create_user("reader", password="x" * 12)  # not a staff account
    assert create(name=" ") == "missing_field"
    assert create(owner_username="ghost") == "unknown_user"
    assert create(owner_username="reader") == "unknown_user"
    assert create(scopes=[]) == "no_scope"
    assert create(scopes=["loans:delete"]) == "unknown_scope"
    assert create(expires_at=clock.now() - timedelta(minutes=1)) == "invalid_expiry"
    services.create_application(name="app", owner_username="desk", scopes=["search:read"], actor=Actor.system(),
                                at=clock.now())
    assert create() == "name_taken"
    # Once revoked, the name may be used again.
    services.revoke_application(selectors.live_application("app"), actor=Actor.system(), at=clock.now())
    services.create_application(name="app", owner_username="desk", scopes=["search:read"], actor=Actor.system(),
                                at=clock.now())
    assert ApiApplication.objects.filter(name="app").count() == 2


def test_parse_scopes_accepts_commas_repeats_and_all():
    assert parse_scopes(["loans:write,records:read", "records:read"]) == (["records:read", "loans:write"], [])
    assert parse_scopes(["all"]) == (list(SCOPES), [])
    assert parse_scopes(["loans:write", "bogus"]) == (["loans:write"], ["bogus"])


def test_token_commands_create_list_and_revoke(desk_user, patron):
    runner = CliRunner()
    created = runner.invoke(main, ["api-token", "create", "--app", "selfcheck-3", "--owner", "desk",
                                   "--scope", "loans:write,patrons:read", "--scope", "search:read",
                                   "--expires", "2099-12-31"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("kitab_")
    assert bearer(key).get("/api/v1/patrons/", {"q": patron.card_number}).status_code == 200

    listed = runner.invoke(main, ["api-token", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    [row] = json.loads(listed.stdout)
    assert row["name"] == "selfcheck-3"
    assert row["owner"] == "desk"
    assert row["scopes"] == ["search:read", "patrons:read", "loans:write"]
    assert row["expires_at"].startswith("2100-01-01")
    assert row["last_used_at"] is not None
    assert key not in listed.output

    revoked = runner.invoke(main, ["api-token", "revoke", row["prefix"]])
    assert revoked.exit_code == 0, revoked.output
    assert bearer(key).get("/api/v1/patrons/", {"q": "x"}).status_code == 401
    assert json.loads(runner.invoke(main, ["api-token", "list", "--json"]).stdout) == []
    assert json.loads(runner.invoke(main, ["api-token", "list", "--all", "--json"]).stdout)[0]["revoked_at"]
    again = runner.invoke(main, ["api-token", "revoke", "selfcheck-3"])
    assert again.exit_code == 2
    assert "selfcheck-3" in again.output


def test_token_create_command_refuses_unknown_scopes_and_owners(desk_user):
    runner = CliRunner()
    bad_scope = runner.invoke(main, ["api-token", "create", "--app", "x", "--owner", "desk", "--scope", "loans"])
    assert bad_scope.exit_code == 2
    assert "loans:write" in bad_scope.output  # the known scopes are listed
    ghost = runner.invoke(main, ["api-token", "create", "--app", "x", "--owner", "ghost", "--scope", "all"])
    assert ghost.exit_code == 2
    assert "ghost" in ghost.output
