"""Circulation throughput: checkout + checkin pairs per second through the services.

Loads synthetic patrons and items in bulk into a throw-away KITAB_HOME (SQLite by default, or the
PostgreSQL database given with --database-url, which must be empty and is migrated), then times
`checkout` followed by `checkin` of random copies to random patrons, each pair two transactions, as a desk
would. The search index queue is written inside each transaction as in production; indexing itself is left
to the indexer (KITAB_INDEX_AFTER_CIRCULATION=False), so the figure is circulation's own cost.

    python benchmarks/bench_circulation.py [--patrons 10000] [--items 250000] [--pairs 3000]
                                           [--database-url postgres://...] [--workers 4]

With --workers N, N processes each run their own share of the pairs, on distinct copies and patrons, at
the same time; the figure is all pairs over the wall-clock time, and the run ends by checking that no copy
was ever lent twice at once (zero double loans).

Besides the wall clock it reports what depends much less on other jobs sharing the machine: the CPU time of
the lending processes per pair, on PostgreSQL running on this machine the CPU time of their server backends
per pair (from /proc), the statements one pair sends (counted on a warm-up pair), the load average, and the
server's commit durability settings. Add `?prepare_threshold=N` to the URL for server-side prepared
statements (kitab.core.env.database_from_url).

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
    parser.add_argument("--workers", type=int, default=1, help="processes lending at the same time")
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
    default_rule = CirculationRule.objects.get(branch=None, patron_category=None, item_type=None)
    default_rule.max_loans = 1000
    default_rule.save()  # through the model, so the settings cache token changes
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
    workers = max(1, args.workers)
    # Worker n lends copies and patrons of its own (index % workers == n), so shares never overlap.
    plan = [(Item(pk=pk), Patron(pk=rng.choice(patron_ids[n % workers::workers])), desks[code], n % workers)
            for n, (pk, code) in enumerate(rng.sample(item_rows, min(args.pairs, len(item_rows))))]

    def run_pairs(pairs: list[tuple[Item, Patron, Actor, int]]) -> None:
        for item, patron, desk, _worker in pairs:
            services.checkout(item, patron, actor=desk)
            services.checkin(item, actor=desk)

    warmup_count = 50 * workers
    run_pairs(plan[:warmup_count - 1])
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run_pairs(plan[warmup_count - 1:warmup_count])
    statements = len(captured.captured_queries)
    durability = _durability()
    timed = plan[warmup_count:]
    load_before = os.getloadavg()
    if workers == 1:
        s0 = _backend_cpu()
        c0, t0 = time.process_time(), time.perf_counter()
        run_pairs(timed)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        server_cpu = _backend_cpu() - s0 if s0 is not None else None
    else:
        elapsed, cpu, server_cpu = _run_workers(run_pairs, timed, workers)
    load_after = os.getloadavg()
    pairs_per_second = len(timed) / elapsed
    assert Loan.objects.filter(status=Loan.Status.RETURNED).count() == len(plan)
    double_loans = _double_loans()
    assert double_loans == 0, f"{double_loans} copies were lent twice at once"

    result = {
        "benchmark": "circulation checkout+checkin pairs",
        "database": connection.vendor,
        "patrons": args.patrons,
        "items": args.items,
        "records": records,
        "pairs": len(timed),
        "workers": workers,
        "double_loans": double_loans,
        "seconds": round(elapsed, 3),
        "pairs_per_second": round(pairs_per_second, 1),
        "ms_per_pair": round(1000 * elapsed / len(timed), 3),
        # CPU time of the lending process(es) alone (not the database server): what a pair costs in Python,
        # much less sensitive than the wall clock to other jobs sharing the machine.
        "client_cpu_ms_per_pair": round(1000 * cpu / len(timed), 3),
        # CPU time of their PostgreSQL backends (same machine only; background writers not included).
        "server_cpu_ms_per_pair": round(1000 * server_cpu / len(timed), 3) if server_cpu is not None else None,
        "statements_per_pair": statements,
        "database_options": {k: v for k, v in connection.settings_dict.get("OPTIONS", {}).items()
                             if k in ("prepare_threshold", "server_side_binding")},
        "durability": durability,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "load_seconds": round(load_seconds, 1),
        "index": "queued in each transaction; indexing not timed",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    server = f", server CPU {result['server_cpu_ms_per_pair']:.2f} ms" if server_cpu is not None else ""
    print(f"{pairs_per_second:.0f} checkout+checkin pairs/s on {connection.vendor}, {workers} worker(s) "
          f"({len(timed)} pairs, {1000 * elapsed / len(timed):.2f} ms each, client CPU "
          f"{1000 * cpu / len(timed):.2f} ms{server} each; {statements} statements per pair; "
          f"{args.patrons} patrons, {args.items} items loaded in {load_seconds:.0f} s; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; {durability or 'sqlite'})")
    connection.close()
    shutil.rmtree(home, ignore_errors=True)
    return 0


def _backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when it runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # a server on another machine
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _durability() -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('fsync'), current_setting('synchronous_commit')")
        fsync, synchronous_commit = cursor.fetchone()
    return f"fsync={fsync}, synchronous_commit={synchronous_commit}"


def _run_workers(run_pairs, timed, workers: int) -> tuple[float, float, float | None]:  # type: ignore[no-untyped-def]
    """Fork `workers` processes, each running its share of `timed` once all are ready; the wall-clock time,
    the CPU time the workers used and that of their database server backends (None when not measurable)."""
    import multiprocessing
    import resource

    from django.db import connections

    connections.close_all()  # each child opens its own connection
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(workers + 1)
    failures = context.Queue()
    backend_seconds = context.Queue()

    def work(n: int) -> None:
        try:
            share = [pair for pair in timed if pair[3] == n]
            start = _backend_cpu()  # also opens the connection before the clock starts
            ready.wait()
            run_pairs(share)
            end = _backend_cpu()
            backend_seconds.put(end - start if start is not None and end is not None else None)
        except BaseException as exc:  # report it: the parent fails the run
            failures.put(f"worker {n}: {exc!r}")
            raise
        finally:
            connections.close_all()

    processes = [context.Process(target=work, args=(n,)) for n in range(workers)]
    for process in processes:
        process.start()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    ready.wait()
    t0 = time.perf_counter()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if failures.qsize() or any(p.exitcode for p in processes):
        raise SystemExit(f"a worker failed: {failures.get() if failures.qsize() else 'exit code'}")
    # Includes the few milliseconds each child spends before the barrier: negligible against the run.
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    servers = [backend_seconds.get(timeout=10) for _n in range(workers)]
    server_cpu = None if any(s is None for s in servers) else sum(servers)
    return elapsed, cpu, server_cpu


def _double_loans() -> int:
    """Copies lent again before their previous loan ended, from the loan rows themselves."""
    from django.db.models import Count

    from kitab.circulation.models import Loan

    current = (Loan.objects.filter(status=Loan.Status.ON_LOAN).values("item_id").annotate(n=Count("pk"))
               .filter(n__gt=1).count())
    overlapping = 0
    last_end: dict[int, object] = {}
    for item_id, issued_at, returned_at in Loan.objects.order_by("item_id", "issued_at", "pk").values_list(
            "item_id", "issued_at", "returned_at"):
        end = last_end.get(item_id)
        if end is not None and issued_at < end:  # type: ignore[operator]
            overlapping += 1
        last_end[item_id] = returned_at or issued_at
    return current + overlapping


if __name__ == "__main__":
    raise SystemExit(main())
