"""Cataloguers adding copies with generated barcodes at the same moment never get the same number.

In-process threads when the test database is PostgreSQL (the pattern row lock serialises them); on SQLite, the
same threads in a `kitab` process on a fresh database file with the production settings (the suite's in-memory
SQLite cannot make a second writer wait; see tests/circulation/test_concurrent_checkout.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from kitab.core.actor import Actor
from kitab.items import services
from kitab.items.models import BarcodePattern, Item
from tests.circulation.factories import RecordFactory
from tests.conftest import REPO_ROOT
from tests.patrons.factories import BranchFactory

THREADS, EACH = 6, 5


@pytest.mark.skipif(connection.vendor == "sqlite", reason="in-memory SQLite cannot wait for a writer")
@pytest.mark.django_db(transaction=True)
def test_threads_get_disjoint_barcodes() -> None:
    main = BranchFactory(code="MAIN")
    record = RecordFactory()
    pattern = BarcodePattern.objects.create(code="race", name="Race", prefix="R", width=6)
    barrier = threading.Barrier(THREADS)
    errors: list[str] = []

    def add() -> None:
        barrier.wait()
        try:
            services.add_copies(record, details=services.CopyDetails(home_branch=main), count=EACH, pattern=pattern,
                                actor=Actor.system())
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=add) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    barcodes = list(Item.objects.values_list("barcode", flat=True))
    assert errors == []
    assert len(barcodes) == len(set(barcodes)) == THREADS * EACH
    pattern.refresh_from_db()
    assert pattern.next_number == THREADS * EACH + 1


RACE = """
import json, os, threading
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
import django
django.setup()
from django.db import connection
from kitab.catalogue.models import Record
from kitab.core.actor import Actor
from kitab.items import services
from kitab.items.models import BarcodePattern, Branch, Item
main = Branch.objects.create(code="MAIN", name="Main")
record = Record.objects.create(raw=b"", raw_digest="0" * 40, title="Race")
pattern = BarcodePattern.objects.create(code="race", name="Race", prefix="R", width=6)
threads, each = int(os.environ["THREADS"]), int(os.environ["EACH"])
barrier = threading.Barrier(threads)
errors = []

def add():
    barrier.wait()
    try:
        services.add_copies(record, details=services.CopyDetails(home_branch=main), count=each, pattern=pattern,
                            actor=Actor.system())
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

workers = [threading.Thread(target=add) for _ in range(threads)]
for w in workers: w.start()
for w in workers: w.join()
pattern.refresh_from_db()
print(json.dumps({"errors": errors, "barcodes": list(Item.objects.values_list("barcode", flat=True)),
                  "next": pattern.next_number}))
"""


@pytest.mark.slow  # a migration of a fresh database file takes most of its 20 s
def test_threads_get_disjoint_barcodes_sqlite(tmp_path: Path) -> None:
    env = dict(os.environ, KITAB_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.prod",
               THREADS=str(THREADS), EACH=str(EACH))
    env.pop("KITAB_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "kitab.cli", "migrate"], env=env, cwd=REPO_ROOT, check=True,
                   capture_output=True)
    done = subprocess.run([sys.executable, "-c", RACE], env=env, cwd=REPO_ROOT, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["errors"] == []
    assert len(result["barcodes"]) == len(set(result["barcodes"])) == THREADS * EACH
    assert result["next"] == THREADS * EACH + 1
