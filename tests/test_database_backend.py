"""The suite really runs on the database CI asked for."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.postgres
def test_running_on_postgresql(db):
    if not os.environ.get("KITAB_TEST_DATABASE_URL"):
        pytest.skip("KITAB_TEST_DATABASE_URL is not set (CI sets it for the PostgreSQL run)")
    assert connection.vendor == "postgresql"


def test_default_database_is_sqlite_unless_configured(db):
    expected = "postgresql" if os.environ.get("KITAB_TEST_DATABASE_URL") else "sqlite"
    assert connection.vendor == expected
