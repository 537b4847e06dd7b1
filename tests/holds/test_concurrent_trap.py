"""The last copy offered to the queue from two desks at the same moment: one trap, for the first hold.

Like tests/circulation/test_concurrent_checkout.py: threads in a `kitab` process on a fresh SQLite file with
the production settings (the suite's in-memory SQLite cannot make a writer wait), and separate processes on
PostgreSQL when KITAB_PG_URL is set (CI).
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

from tests.conftest import REPO_ROOT

RACERS = 4

SETUP = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
import django
django.setup()
from datetime import date, datetime, timezone
from kitab.catalogue.models import Record
from kitab.core.actor import Actor
from kitab.holds.services import place_hold
from kitab.items.models import Branch, Item
from kitab.patrons.models import Patron, PatronCategory
now = datetime.now(timezone.utc)
main = Branch.objects.create(code="MAIN", name="Main")
category = PatronCategory.objects.create(code="ADULT", name="Adult")
record = Record.objects.create(raw=b"", raw_digest="0" * 40, title="Race")
Item.objects.create(record=record, barcode="RACE-1", home_branch=main, holding_branch=main)
for n in range(2):
    patron = Patron.objects.create(card_number=f"WAITER-{n}", last_name="Waiter", home_branch=main,
                                   category=category, expires_on=date(2099, 1, 1), created_at=now, updated_at=now)
    place_hold(patron, record, pickup_branch=main, actor=Actor.system(), at=now)
"""

THREADS = """
import json, os, threading
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
import django
django.setup()
from django.db import connection
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.holds.errors import HoldError
from kitab.holds.models import Hold
from kitab.holds.services import trap_item
from kitab.items.models import Item
item = Item.objects.get(barcode="RACE-1")
racers = int(os.environ["RACERS"])
outcomes = []
barrier = threading.Barrier(racers)

def race(n):
    barrier.wait()
    try:
        trap = trap_item(item, actor=Actor(channel="staff", username=f"desk{n}"), at=clock.now())
        outcomes.append(trap.hold.patron.card_number if trap else "none")
    except HoldError as refusal:
        outcomes.append(refusal.code)
    finally:
        connection.close()

threads = [threading.Thread(target=race, args=(n,)) for n in range(racers)]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({"outcomes": sorted(outcomes),
                  "holds": sorted(Hold.objects.values_list("patron__card_number", "status", "position")),
                  "item": Item.objects.get(pk=item.pk).status}))
"""

WORKER = """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
import django
django.setup()
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.holds.errors import HoldError
from kitab.holds.services import trap_item
from kitab.items.models import Item
item = Item.objects.get(barcode="RACE-1")
while time.time() < float(sys.argv[1]):
    time.sleep(0.001)
try:
    trap = trap_item(item, actor=Actor(channel="staff", username="desk"), at=clock.now())
    print(json.dumps(trap.hold.patron.card_number if trap else "none"))
except HoldError as refusal:
    print(json.dumps(refusal.code))
"""

EXPECTED = ["WAITER-0"] + ["item_not_available"] * (RACERS - 1)


def _prepare(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "kitab.cli", "migrate"], env=env, cwd=REPO_ROOT, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=REPO_ROOT, check=True, capture_output=True)


def test_threads_trap_the_last_copy_once_sqlite(tmp_path: Path) -> None:
    env = dict(os.environ, KITAB_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.prod",
               RACERS=str(RACERS))
    env.pop("KITAB_DATABASE_URL", None)
    _prepare(env)
    done = subprocess.run([sys.executable, "-c", THREADS], env=env, cwd=REPO_ROOT, capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert sorted(result["outcomes"]) == sorted(EXPECTED)
    assert result["holds"] == [["WAITER-0", "ready", 0], ["WAITER-1", "waiting", 1]]
    assert result["item"] == "on_hold_shelf"


@pytest.mark.postgres
def test_processes_trap_the_last_copy_once_postgres(tmp_path: Path) -> None:
    url = os.environ.get("KITAB_PG_URL")
    if not url:
        pytest.skip("KITAB_PG_URL is not set (CI sets it)")
    import psycopg

    name = f"kitab_holds_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        env = dict(os.environ, KITAB_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.prod",
                   KITAB_DATABASE_URL=url.rsplit("/", 1)[0] + "/" + name)
        _prepare(env)
        go = str(time.time() + 4)  # every worker has started Django by then
        workers = [subprocess.Popen([sys.executable, "-c", WORKER, go], env=env, cwd=REPO_ROOT,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(RACERS)]
        outcomes = []
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
            outcomes.append(json.loads(out))
        assert sorted(outcomes) == sorted(EXPECTED)
        with psycopg.connect(env["KITAB_DATABASE_URL"].replace("postgres://", "postgresql://")) as conn:
            rows = conn.execute("SELECT status, count(*) FROM holds_hold GROUP BY status ORDER BY status").fetchall()
        assert rows == [("ready", 1), ("waiting", 1)]
    finally:
        time.sleep(0.5)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
