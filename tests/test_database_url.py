"""KITAB_DATABASE_URL becomes Django's DATABASES entry; PostgreSQL options come from its query string."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kitab.core.env import database_from_url

HOME = Path("/srv/kitab")


def test_plain_postgres_url_has_no_options():
    db = database_from_url("postgres://lib:s%40cret@db.example:5433/kitab", home=HOME)
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "kitab", "lib", "s@cret", "db.example", "5433")
    assert "OPTIONS" not in db


def test_prepare_threshold_turns_on_server_side_binding():
    db = database_from_url("postgres://lib@127.0.0.1/kitab?prepare_threshold=2", home=HOME)
    assert db["OPTIONS"] == {"prepare_threshold": 2, "server_side_binding": True}


def test_server_side_binding_alone_and_off():
    assert database_from_url("postgres://h/kitab?server_side_binding=on", home=HOME)["OPTIONS"] == {
        "server_side_binding": True}
    assert "OPTIONS" not in database_from_url("postgres://h/kitab?server_side_binding=off", home=HOME)
    assert "OPTIONS" not in database_from_url("postgres://h/kitab?prepare_threshold=none", home=HOME)


@pytest.mark.parametrize("query, word", [
    ("prepare_threshold=often", "prepare_threshold"),
    ("prepare_threshold=-1", "prepare_threshold"),
    ("prepare_threshold=0", ">= 1"),
    ("server_side_binding=maybe", "server_side_binding"),
    ("sslmode=require", "unknown option 'sslmode'"),
])
def test_bad_options_name_what_to_fix(query, word):
    with pytest.raises(ImproperlyConfigured, match=word):
        database_from_url(f"postgres://h/kitab?{query}", home=HOME)


def test_sqlite_urls_still_work():
    assert database_from_url("sqlite:///var/lib/kitab.db", home=HOME)["NAME"] == "/var/lib/kitab.db"
    assert database_from_url("sqlite://kitab.db", home=HOME)["NAME"] == str(HOME / "kitab.db")
