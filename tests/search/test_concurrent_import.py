"""Web workers keep searching while an import writes (separate processes, as in production).

Runs whole `kitab` processes against a throw-away KITAB_HOME: one imports the demo file, another searches in a
loop through the search service. On SQLite by default; on PostgreSQL too when KITAB_PG_URL points at a server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import DEMO_FILE, REPO_ROOT

SEARCH_LOOP = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
import django
django.setup()
from kitab.search.services import SearchRequest, search
deadline = time.monotonic() + float(sys.argv[1])
totals = []
while time.monotonic() < deadline:
    totals.append(search(SearchRequest(query="", limit=1, facets=True)).total)
    time.sleep(0.05)
print(json.dumps(totals))
"""


def _run_concurrently(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "kitab.cli", "migrate"], env=env, cwd=REPO_ROOT, check=True,
                   capture_output=True)
    # Create the (empty) index first, so the searcher has something to open from its first query.
    subprocess.run([sys.executable, "-m", "kitab.cli", "reindex", "--quiet"], env=env, cwd=REPO_ROOT, check=True,
                   capture_output=True)
    importer = subprocess.Popen(
        [sys.executable, "-m", "kitab.cli", "import", str(DEMO_FILE), "--json", "--quiet"],
        env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    searcher = subprocess.Popen(
        [sys.executable, "-c", SEARCH_LOOP, "12"],
        env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    out, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err
    assert json.loads(out)["added"] == 4049
    s_out, s_err = searcher.communicate(timeout=300)
    assert searcher.returncode == 0, s_err
    totals = json.loads(s_out)
    assert len(totals) > 10
    assert totals == sorted(totals)  # a reader never sees the index go backwards
    assert totals[-1] == 4049  # and it sees the import's final commit without a restart


def test_search_while_importing_sqlite(tmp_path: Path) -> None:
    env = dict(os.environ, KITAB_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.prod")
    env.pop("KITAB_DATABASE_URL", None)
    _run_concurrently(env)


@pytest.mark.postgres
def test_search_while_importing_postgres(tmp_path: Path) -> None:
    url = os.environ.get("KITAB_PG_URL")
    if not url:
        pytest.skip("KITAB_PG_URL is not set (CI sets it)")
    import psycopg

    name = f"kitab_conc_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        env = dict(os.environ, KITAB_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.prod",
                   KITAB_DATABASE_URL=url.rsplit("/", 1)[0] + "/" + name)
        _run_concurrently(env)
    finally:
        time.sleep(0.5)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
