"""Test settings: a throw-away data folder, fast hashing, local mail.

The search index lives in a temporary folder per test session (tests/conftest.py points KITAB_INDEX_DIR at it).
`KITAB_TEST_DATABASE_URL=postgres://…` runs the same suite on PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("KITAB_HOME", tempfile.mkdtemp(prefix="kitab-test-"))

from kitab.core.env import database_from_url, sqlite_database

from .base import *

_test_db = os.environ.get("KITAB_TEST_DATABASE_URL")
DATABASES = {"default": database_from_url(_test_db, home=KITAB_HOME) if _test_db else sqlite_database(KITAB_HOME / "test.sqlite3")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
KITAB_INDEX_WRITER_HEAP_MB = 32
# Index small changes at once, so a test can search right after a loan or a delete (production defers it).
KITAB_INDEX_SYNC = True
