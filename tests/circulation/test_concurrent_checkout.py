"""The same copy checked out twice at the same moment: exactly one loan and one item_on_loan refusal.

- Threads, each with its own connection, in a `kitab` process on a fresh SQLite file with the production
  settings (WAL, BEGIN IMMEDIATE serialises writers). The test suite's own SQLite database is in memory with a
  shared cache, where a second writer fails at once with "table is locked" instead of waiting, so SQLite races
  run in a subprocess.
- The same threads in-process on the test database when that is PostgreSQL (the item row lock serialises).
- Separate processes on a fresh PostgreSQL database when KITAB_PG_URL points at a server (CI sets it), as
  production runs several workers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from kitab.circulation import services
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import Loan
from kitab.core.actor import Actor
from kitab.items.models import Item
from tests.circulation.factories import ItemFactory, default_rule
from tests.conftest import REPO_ROOT
from tests.patrons.factories import BranchFactory, PatronFactory

ATTEMPTS = 4


def _race(item: Item, patrons: list, actor: Actor) -> list[str]:  # type: ignore[type-arg]
    outcomes: list[str] = []
    start = threading.Barrier(len(patrons))

    def attempt(patron) -> None:  # type: ignore[no-untyped-def]
        start.wait()
        try:
            services.checkout(item, patron, actor=actor)
            outcomes.append("ok")
        except CirculationError as refusal:
            outcomes.append(refusal.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in patrons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


needs_server_database = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="in-memory SQLite cannot wait for a writer; see the subprocess test")


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_threads_race_for_one_copy() -> None:
    default_rule()
    main = BranchFactory(code="MAIN")
    item = ItemFactory(home_branch=main)
    patrons = [PatronFactory(home_branch=main) for _ in range(ATTEMPTS)]
    outcomes = _race(item, patrons, Actor(channel="sip2", username="sc", branch_code="MAIN"))
    assert outcomes == ["item_on_loan"] * (ATTEMPTS - 1) + ["ok"]
    assert Loan.objects.filter(item=item).count() == 1


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_threads_retry_with_one_key() -> None:
    default_rule()
    main = BranchFactory(code="MAIN")
    item = ItemFactory(home_branch=main)
    patron = PatronFactory(home_branch=main)
    loans: list[int] = []

    def attempt() -> None:
        try:
            loans.append(services.checkout(item, patron, actor=Actor.system(), idempotency_key="retry-1").pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(loans) == 3 and len(set(loans)) == 1
    assert Loan.objects.count() == 1


WORKER = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
import django
django.setup()
from kitab.circulation import services
from kitab.circulation.errors import CirculationError
from kitab.core.actor import Actor
from kitab.items.models import Item
from kitab.patrons.models import Patron
item = Item.objects.get(barcode="RACE-1")
patron = Patron.objects.get(card_number=sys.argv[1])
while time.time() < float(sys.argv[2]):
    time.sleep(0.001)
try:
    services.checkout(item, patron, actor=Actor(channel="sip2", username=sys.argv[1], branch_code="MAIN"))
    print(json.dumps("ok"))
except CirculationError as refusal:
    print(json.dumps(refusal.code))
"""

SETUP = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
import django
django.setup()
from datetime import date, datetime, timezone
from kitab.catalogue.models import Record
from kitab.items.models import Branch, Item
from kitab.patrons.models import Patron, PatronCategory
now = datetime.now(timezone.utc)
main = Branch.objects.create(code="MAIN", name="Main")
category = PatronCategory.objects.create(code="ADULT", name="Adult")
record = Record.objects.create(raw=b"", raw_digest="0" * 40, title="Race")
Item.objects.create(record=record, barcode="RACE-1", home_branch=main, holding_branch=main)
for n in range(int(os.environ["RACERS"])):
    Patron.objects.create(card_number=f"RACER-{n}", last_name="Racer", home_branch=main, category=category,
                          expires_on=date(2099, 1, 1), created_at=now, updated_at=now)
"""


THREADS = """
import json, os, threading
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
import django
django.setup()
from django.db import connection
from kitab.circulation import services
from kitab.circulation.errors import CirculationError
from kitab.circulation.models import Loan
from kitab.core.actor import Actor
from kitab.items.models import Item
from kitab.patrons.models import Patron
item = Item.objects.get(barcode="RACE-1")
patrons = list(Patron.objects.order_by("card_number"))
outcomes, keyed = [], []
barrier = threading.Barrier(len(patrons))

def race(patron, key):
    barrier.wait()
    try:
        loan = services.checkout(item, patron, actor=Actor(channel="sip2", username="sc"), idempotency_key=key)
        (keyed if key else outcomes).append(loan.pk if key else "ok")
    except CirculationError as refusal:
        (keyed if key else outcomes).append(refusal.code)
    finally:
        connection.close()

def run(key_for):
    threads = [threading.Thread(target=race, args=(p, key_for(p))) for p in patrons]
    for t in threads: t.start()
    for t in threads: t.join()

run(lambda p: None)
loans_after_race = Loan.objects.filter(item=item).count()
services.checkin(item, actor=Actor.system())
patrons = [patrons[0]] * len(patrons)  # the same request retried by every thread
run(lambda p: "retry-1")
print(json.dumps({"race": sorted(outcomes), "loans": loans_after_race, "keyed": keyed,
                  "total_loans": Loan.objects.count()}))
"""


def test_threads_race_for_one_copy_sqlite(tmp_path: Path) -> None:
    env = dict(os.environ, KITAB_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.prod")
    env.pop("KITAB_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "kitab.cli", "migrate"], env=env, cwd=REPO_ROOT, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-c", SETUP], env=dict(env, RACERS=str(ATTEMPTS)), cwd=REPO_ROOT, check=True,
                   capture_output=True)
    done = subprocess.run([sys.executable, "-c", THREADS], env=env, cwd=REPO_ROOT, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["race"] == ["item_on_loan"] * (ATTEMPTS - 1) + ["ok"]
    assert result["loans"] == 1
    assert len(result["keyed"]) == ATTEMPTS and len(set(result["keyed"])) == 1  # one loan, returned to all
    assert result["total_loans"] == 2


def _race_processes(env: dict[str, str]) -> list[str]:
    subprocess.run([sys.executable, "-m", "kitab.cli", "migrate"], env=env, cwd=REPO_ROOT, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-c", SETUP], env=dict(env, RACERS=str(ATTEMPTS)), cwd=REPO_ROOT, check=True,
                   capture_output=True)
    go = str(time.time() + 4)  # every worker has started Django by then
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, f"RACER-{n}", go], env=env, cwd=REPO_ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(ATTEMPTS)]
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outcomes.append(json.loads(out))
    return sorted(outcomes)


@pytest.mark.postgres
def test_processes_race_for_one_copy_postgres(tmp_path: Path) -> None:
    url = os.environ.get("KITAB_PG_URL")
    if not url:
        pytest.skip("KITAB_PG_URL is not set (CI sets it)")
    import psycopg

    name = f"kitab_circ_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        env = dict(os.environ, KITAB_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.prod",
                   KITAB_DATABASE_URL=url.rsplit("/", 1)[0] + "/" + name)
        assert _race_processes(env) == ["item_on_loan"] * (ATTEMPTS - 1) + ["ok"]
        with psycopg.connect(env["KITAB_DATABASE_URL"].replace("postgres://", "postgresql://")) as conn:
            assert conn.execute("SELECT count(*) FROM circulation_loan").fetchone()[0] == 1
    finally:
        time.sleep(0.5)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
