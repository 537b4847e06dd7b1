"""Server time of the circulation desk page for a patron with 50 loans.

Loads a throw-away KITAB_HOME (SQLite by default, or the empty PostgreSQL database given with --database-url)
with background data (other patrons and copies, bulk-inserted) and one busy patron: 50 loans made through the
circulation service (a few of them overdue), three holds (one waiting on the hold shelf) and a fine ledger.
A librarian with the desk role then opens `/staff/desk/patron/<pk>/` through Django's full request handler
(middleware, session, authentication, view, templates: everything but the network), --requests times after a
few warm-up requests. Server time is measured around each request in the same process.

    python benchmarks/bench_desk_page.py [--loans 50] [--requests 200] [--patrons 10000] [--items 50000]
                                         [--database-url postgres://...]

Prints the median and p95 (wall clock, and the median CPU time of the serving process) and writes JSON to var/bench/desk-page.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks._common import start_throwaway_django  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loans", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--patrons", type=int, default=10_000, help="other patrons in the database")
    parser.add_argument("--items", type=int, default=50_000, help="other copies in the database")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--output", type=Path, default=REPO / "var" / "bench" / "desk-page.json")
    args = parser.parse_args()

    home = start_throwaway_django(prefix="kitab-bench-desk-", secret_key="bench-desk-page-not-secret",
                                  database_url=args.database_url)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.KITAB_INDEX_AFTER_CIRCULATION = False
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production settings: hashed static names

    from kitab.catalogue.models import Record
    from kitab.circulation import fines, services
    from kitab.circulation.models import CirculationRule
    from kitab.core.actor import OVERRIDE_ANY, Actor
    from kitab.holds import services as holds
    from kitab.items.models import Branch, Item, ItemType
    from kitab.patrons.models import Patron, PatronCategory
    from kitab.patrons.services import assign_staff_role

    now = datetime.now(UTC)
    main_branch = Branch.objects.create(code="MAIN", name="Main library")
    east = Branch.objects.create(code="EAST", name="East branch")
    book = ItemType.objects.create(code="BOOK", name="Book")
    adult = PatronCategory.objects.create(code="ADULT", name="Adult", fine_limit=Decimal("100.00"))
    rule = CirculationRule.objects.get(branch=None, patron_category=None, item_type=None)
    rule.max_loans = args.loans + 10
    rule.fine_per_day = Decimal("0.20")
    rule.save()

    batch = 5000
    for start in range(0, args.patrons, batch):
        Patron.objects.bulk_create([
            Patron(card_number=f"P{n:08d}", first_name="Other", last_name=f"Patron {n}", home_branch=main_branch,
                   category=adult, expires_on=date(2099, 1, 1), created_at=now, updated_at=now)
            for n in range(start, min(start + batch, args.patrons))])
    records = max(1, args.items // 5)
    for start in range(0, records, batch):
        Record.objects.bulk_create([Record(raw=b"", raw_digest=f"{n:040d}", title=f"Background title {n}")
                                    for n in range(start, min(start + batch, records))])
    record_ids = list(Record.objects.values_list("pk", flat=True))
    for start in range(0, args.items, batch):
        Item.objects.bulk_create([
            Item(record_id=record_ids[n % len(record_ids)], barcode=f"B{n:09d}", home_branch=main_branch,
                 holding_branch=main_branch, item_type=book) for n in range(start, min(start + batch, args.items))])

    # The setup lends past the overdue block (a supervisor's override), so some loans can be overdue.
    desk = Actor(channel="staff", username="bench", branch_code="MAIN", permissions=frozenset({OVERRIDE_ANY}))
    patron = Patron.objects.create(card_number="C-500500", first_name="Leyla", last_name="Məmmədova",
                                   email="leyla@example.org", home_branch=main_branch, category=adult,
                                   expires_on=date(2099, 1, 1), created_at=now, updated_at=now)
    for n in range(args.loans):
        record = Record.objects.create(raw=b"", raw_digest=f"desk{n:036d}",
                                       title=f"Kitab-i Dədə Qorqud, volume {n + 1}: a long enough title to truncate")
        item = Item.objects.create(record=record, barcode=f"D{n:09d}", home_branch=main_branch,
                                   holding_branch=main_branch, item_type=book)
        # A few loans were made long ago and are overdue.
        issued = now - timedelta(days=30) if n % 10 == 0 else now - timedelta(days=n % 7)
        services.checkout(item, patron, actor=desk, at=issued, override=True)
    other = Patron.objects.create(card_number="C-500501", last_name="Other reader", home_branch=main_branch,
                                  category=adult, expires_on=date(2099, 1, 1), created_at=now, updated_at=now)
    for n in range(3):
        record = Record.objects.create(raw=b"", raw_digest=f"hold{n:036d}", title=f"Held title {n + 1}")
        copy = Item.objects.create(record=record, barcode=f"H{n:09d}", home_branch=main_branch,
                                   holding_branch=main_branch, item_type=book)
        services.checkout(copy, other, actor=desk, at=now - timedelta(days=1))
        holds.place_hold(patron, record, pickup_branch=main_branch if n else east, actor=desk, at=now, override=True)
        if n == 1:
            services.checkin(copy, actor=desk, at=now)  # fills the hold: on the hold shelf at MAIN
    fines.accrue_overdue_fines(at=now, actor=desk)
    fines.charge(patron, Decimal("2.50"), actor=desk, at=now, note="Damaged barcode label")
    fines.pay(patron, Decimal("1.00"), actor=desk, at=now)

    user = get_user_model().objects.create_user("bench-librarian", password="not used", is_staff=True)
    assign_staff_role(user, role="desk", branch_code=None, actor=Actor.system())
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = f"/staff/desk/patron/{patron.pk}/"
    for _warm in range(5):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert f"{args.loans} items on loan" in page, "the page does not list the loans"
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured.captured_queries)

    timings: list[float] = []
    cpu: list[float] = []  # this process's CPU time per request: less sensitive to other jobs on the machine
    for _n in range(args.requests):
        c0, t0 = time.process_time(), time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    result = {
        "benchmark": "staff desk page, one patron",
        "database": connection.vendor,
        "loans": args.loans,
        "holds": 3,
        "background_patrons": args.patrons,
        "background_items": args.items,
        "requests": args.requests,
        "queries_per_page": queries,
        "page_bytes": len(response.content),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(p95, 2),
        "min_ms": round(timings[0], 2),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "max_ms": round(timings[-1], 2),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"desk page with {args.loans} loans on {connection.vendor}: median {result['median_ms']} ms, "
          f"p95 {result['p95_ms']} ms (CPU median {result['cpu_median_ms']} ms), {queries} queries, {len(response.content) // 1024} KiB "
          f"({args.requests} requests)")
    connection.close()
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
