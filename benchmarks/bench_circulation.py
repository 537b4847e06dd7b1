"""Circulation throughput: checkout + checkin pairs per second through the services.

Loads synthetic patrons and items in bulk into a throw-away KITAB_HOME (SQLite by default, or the
PostgreSQL database given with --database-url, which must be empty and is migrated), then times
`checkout` followed by `checkin` of random copies to random patrons, each pair two transactions, as a desk
would. The search index queue is written inside each transaction as in production; indexing itself is left
to the indexer (KITAB_INDEX_AFTER_CIRCULATION=False), so the figure is circulation's own cost.

    python benchmarks/bench_circulation.py [--patrons 10000] [--items 250000] [--pairs 3000]
                                           [--database-url postgres://...]

Prints the figure and writes JSON to var/bench/circulation.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patrons", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=250_000)
    parser.add_argument("--pairs", type=int, default=3_000)
    parser.add_argument("--branches", type=int, default=5)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--output", type=Path, default=REPO / "var" / "bench" / "circulation.json")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="kitab-bench-circ-")
    os.environ["KITAB_HOME"] = home
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.prod"
    if args.database_url:
        os.environ["KITAB_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("KITAB_DATABASE_URL", None)
    sys.path.insert(0, str(REPO))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.KITAB_INDEX_AFTER_CIRCULATION = False
    call_command("migrate", verbosity=0)

    from kitab.catalogue.models import Record
    from kitab.circulation import services
    from kitab.circulation.models import CirculationRule, Loan
    from kitab.core.actor import Actor
    from kitab.items.models import Branch, Item, ItemType
    from kitab.patrons.models import Patron, PatronCategory

    started = time.perf_counter()
    now = datetime.now(UTC)
    branches = Branch.objects.bulk_create([Branch(code=f"B{n}", name=f"Branch {n}") for n in range(args.branches)])
    book = ItemType.objects.create(code="BOOK", name="Book")
    category = PatronCategory.objects.create(code="ADULT", name="Adult")
    CirculationRule.objects.filter(branch=None, patron_category=None, item_type=None).update(max_loans=1000)
    batch = 5000
    for start in range(0, args.patrons, batch):
        Patron.objects.bulk_create([
            Patron(card_number=f"P{n:08d}", first_name="Bench", last_name=f"Patron {n}", name_folded=f" bench patron {n} ",
                   name_key=f" banch patron {n} ", home_branch=branches[n % len(branches)], category=category,
                   expires_on=date(2099, 1, 1), created_at=now, updated_at=now)
            for n in range(start, min(start + batch, args.patrons))
        ])
    records = args.items // 10 or 1
    for start in range(0, records, batch):
        Record.objects.bulk_create([Record(raw=b"", raw_digest=f"{n:040d}", title=f"Title {n}")
                                    for n in range(start, min(start + batch, records))])
    record_ids = list(Record.objects.values_list("pk", flat=True))
    for start in range(0, args.items, batch):
        Item.objects.bulk_create([
            Item(record_id=record_ids[n % len(record_ids)], barcode=f"I{n:09d}", home_branch=branches[n % len(branches)],
                 holding_branch=branches[n % len(branches)], item_type=book)
            for n in range(start, min(start + batch, args.items))
        ])
    load_seconds = time.perf_counter() - started

    rng = random.Random(42)
    patron_ids = list(Patron.objects.values_list("pk", flat=True))
    item_rows = list(Item.objects.values_list("pk", "home_branch__code"))
    desks = {b.code: Actor(channel="staff", username="bench", branch_code=b.code) for b in branches}
    plan = [(Item(pk=pk), Patron(pk=rng.choice(patron_ids)), desks[code])
            for pk, code in rng.sample(item_rows, min(args.pairs, len(item_rows)))]

    warmup = plan[:50]
    for item, patron, desk in warmup:
        services.checkout(item, patron, actor=desk)
        services.checkin(item, actor=desk)
    timed = plan[50:]
    t0 = time.perf_counter()
    for item, patron, desk in timed:
        services.checkout(item, patron, actor=desk)
        services.checkin(item, actor=desk)
    elapsed = time.perf_counter() - t0
    pairs_per_second = len(timed) / elapsed
    assert Loan.objects.filter(status=Loan.Status.RETURNED).count() == len(plan)

    result = {
        "benchmark": "circulation checkout+checkin pairs",
        "database": connection.vendor,
        "patrons": args.patrons,
        "items": args.items,
        "records": records,
        "pairs": len(timed),
        "seconds": round(elapsed, 3),
        "pairs_per_second": round(pairs_per_second, 1),
        "ms_per_pair": round(1000 * elapsed / len(timed), 3),
        "load_seconds": round(load_seconds, 1),
        "index": "queued in each transaction; indexing not timed",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{pairs_per_second:.0f} checkout+checkin pairs/s on {connection.vendor} "
          f"({len(timed)} pairs, {1000 * elapsed / len(timed):.2f} ms each; "
          f"{args.patrons} patrons, {args.items} items loaded in {load_seconds:.0f} s)")
    connection.close()
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
