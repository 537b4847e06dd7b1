"""Protocols under load (issue #6): concurrent SIP2 terminals and Z39.50 / SRU clients against live servers.

    python benchmarks/bench_protocols_load.py                 # 60 s, 50 SIP2 + 25 Z39.50 + 25 SRU clients
    python benchmarks/bench_protocols_load.py --seconds 10    # a quick run
    python benchmarks/bench_protocols_load.py --z3950 0 --sru 0                 # SIP2 terminals alone
    python benchmarks/bench_protocols_load.py --database-url postgres://kitab@127.0.0.1:5432/kitab_load
                                              # on PostgreSQL: that database is DROPPED and created afresh

Builds a throw-away KITAB_HOME in var/bench/protocols-load/ (the demo catalogue, one branch, 50 patrons, 2,000
barcoded copies, one SIP2 terminal account), starts `kitab sip2 serve`, `kitab z3950 serve` and `kitab serve`
(SRU at /sru) on loopback, then for --seconds runs, each client in its own thread and on its own connection:

* SIP2: login (93), then checkout (11) + checkin (09) in a loop, over a pool of copies no other terminal uses,
  with sequence numbers and checksums; a reply that is not ok, or not a valid response, is an error;
* Z39.50: Init once, then Search + Present of up to 10 USMARC records per query;
* SRU: searchRetrieve with maximumRecords=10 over one HTTP connection (kept alive when the server allows).

Afterwards the servers are stopped and the database is checked for double loans: two loans of one copy whose
periods overlap, or two current loans of one copy. Results: var/bench/protocols-load.json.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._common import BENCH_VAR, REPO, kitab, machine, summary, write_json

DEMO = REPO / "kitab" / "catalogue" / "demo" / "loc-demo.mrc.xz"
LOGIN, PASSWORD = "loadkiosk", "load-pa55"
QUERIES = [{"title": "history"}, {"title": "türk"}, {"author": "smith"}, {"title": "tarihi"},
           {"title": "language"}, {"author": "united states"}, {"title": "war"}, {"title": "poems"}]


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, ms: float) -> None:
        with self.lock:
            self.latencies.append(ms)

    def fail(self, ms: float | None, what: str) -> None:
        with self.lock:
            if ms is not None:
                self.latencies.append(ms)
            self.errors.append(what)


# --- setup -----------------------------------------------------------------------------------------------------


def fresh_postgres(url: str) -> None:
    """Drop and create the (throw-away) database `url` names, through the server's `postgres` database."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or not re.fullmatch(r"\w+", name):
        raise SystemExit(f"--database-url needs a plain database name: {url}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup(home: Path, patrons: int, items: int, database_url: str) -> None:
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    if database_url:
        fresh_postgres(database_url)
        os.environ["KITAB_DATABASE_URL"] = database_url
    else:
        os.environ.pop("KITAB_DATABASE_URL", None)
    kitab(["import", "--quiet", str(DEMO)], home=home)
    os.environ["KITAB_HOME"] = str(home)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.prod"
    import django

    django.setup()
    from datetime import date

    from django.db import connections, transaction
    from django.utils import timezone

    from kitab.catalogue.models import Record
    from kitab.circulation.models import CirculationRule
    from kitab.items.models import Branch, Item, ItemType
    from kitab.patrons.models import Patron, PatronCategory
    from kitab.protocols.sip2.services import add_terminal

    with transaction.atomic():
        branch = Branch.objects.create(code="LOAD", name="Load test branch")
        book = ItemType.objects.create(code="LOADBOOK", name="Book")
        category = PatronCategory.objects.create(code="LOAD", name="Load test")
        rule, _created = CirculationRule.objects.get_or_create(branch=None, patron_category=None, item_type=None)
        rule.max_loans, rule.loan_period, rule.max_holds = 1000, 14, 1000
        rule.save()
        now = timezone.now()
        Patron.objects.bulk_create(
            Patron(card_number=f"P{n:04d}", first_name="Load", last_name=f"Patron {n}", home_branch=branch,
                   category=category, expires_on=date(2099, 1, 1), created_at=now, updated_at=now)
            for n in range(1, patrons + 1)
        )
        records = list(Record.objects.order_by("pk").values_list("pk", flat=True)[:items])
        Item.objects.bulk_create(
            Item(record_id=records[n % len(records)], barcode=f"L{n:05d}", home_branch=branch,
                 holding_branch=branch, item_type=book)
            for n in range(1, items + 1)
        )
    add_terminal(LOGIN, password=PASSWORD, branch_code="LOAD", charset="", enabled=True)
    connections.close_all()


def start(home: Path, args: list[str], pattern: str | None) -> tuple[subprocess.Popen, int | None]:
    env = dict(os.environ, KITAB_HOME=str(home), DJANGO_SETTINGS_MODULE="config.settings.prod")
    proc = subprocess.Popen([sys.executable, "-m", "kitab.cli", *args], env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if pattern is None:
        return proc, None
    line = proc.stdout.readline() if proc.stdout else ""
    found = re.search(pattern, line)
    if found is None:
        proc.kill()
        raise SystemExit(f"{args}: server did not start: {line!r}")
    return proc, int(found.group(1))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children so far (Linux /proc), in seconds."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    pids += [int(c) for c in children]  # gunicorn's workers
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def wait_http(port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/sru?operation=explain")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("kitab serve did not answer")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    if proc.stdout:
        proc.stdout.close()


# --- clients ---------------------------------------------------------------------------------------------------


class Terminal:
    def __init__(self, port: int) -> None:
        import socket

        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buf = b""
        self.seq = 0

    def ask(self, body: bytes) -> bytes:
        from kitab.protocols.sip2 import codec

        head = body + b"AY" + str(self.seq).encode() + b"AZ"
        self.seq = (self.seq + 1) % 10
        self.sock.sendall(head + codec.checksum(head).encode() + b"\r")
        while b"\r" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk
        line, _sep, self.buf = self.buf.partition(b"\r")
        return line.rstrip(b"\n")


def sip2_client(port: int, card: str, barcodes: list[str], until: float, stats: Stats) -> None:
    from kitab.protocols.sip2 import codec

    try:
        t = Terminal(port)
        if t.ask(f"9300CN{LOGIN}|CO{PASSWORD}|".encode())[:3] != b"941":
            stats.fail(None, "login refused")
            return
    except OSError as exc:
        stats.fail(None, f"connect/login: {exc}")
        return
    n = 0
    while time.monotonic() < until:
        barcode = barcodes[n % len(barcodes)]
        n += 1
        for command, reply_code in (("11", "12"), ("09", "10")):  # a checkin always follows its checkout
            date = time.strftime("%Y%m%d    %H%M%S").encode()
            if command == "11":
                body = b"11NN" + date + b" " * 18 + f"AOKitab|AA{card}|AB{barcode}|".encode()
            else:
                body = b"09N" + date + date + f"APLOAD|AOKitab|AB{barcode}|".encode()
            began = time.perf_counter()
            try:
                reply = t.ask(body)
            except OSError as exc:
                stats.fail(None, f"{command}: {exc}")
                return
            ms = (time.perf_counter() - began) * 1000
            try:
                message = codec.decode(reply, responses=True)
                good = message.command == reply_code and message.fixed.get("ok") == "1"
            except codec.SIP2Error as exc:
                good, message = False, exc
            if good:
                stats.ok(ms)
            else:
                stats.fail(ms, f"{command} {barcode}: {reply[:120]!r}")
    t.sock.close()


def z3950_client(port: int, offset: int, until: float, stats: Stats) -> None:
    from kitab.copycat.clients import TargetError
    from kitab.copycat.clients.z3950 import Connection, build_query
    from kitab.protocols.z3950 import codec

    try:
        conn = Connection("127.0.0.1", port, timeout=30)
        init = conn.ask(codec.InitializeRequest(options=frozenset({"search", "present"}),
                                                implementation_name="Kitab load benchmark"))
        if not isinstance(init, codec.InitializeResponse) or not init.result:
            stats.fail(None, "init refused")
            return
    except TargetError as exc:
        stats.fail(None, f"init: {exc}")
        return
    n = offset
    while time.monotonic() < until:
        fields = QUERIES[n % len(QUERIES)]
        n += 1
        conn.deadline = time.monotonic() + 30  # the client's deadline covers a whole exchange: one per request
        began = time.perf_counter()
        try:
            found = conn.ask(codec.SearchRequest(query=build_query(fields), database_names=("Default",),
                                                 preferred_record_syntax=codec.USMARC))
            if not isinstance(found, codec.SearchResponse) or found.diagnostics or not found.search_status:
                stats.fail((time.perf_counter() - began) * 1000, f"search {fields}: {found!r:.200}")
                continue
            wanted = min(10, found.result_count)
            if wanted:
                shown = conn.ask(codec.PresentRequest(start_point=1, number_of_records=wanted,
                                                      element_set_names="F", preferred_record_syntax=codec.USMARC))
                records = [r for r in (getattr(shown, "records", None) or [])
                           if isinstance(r.record, codec.ExternalRecord)]
                if not isinstance(shown, codec.PresentResponse) or len(records) != wanted:
                    stats.fail((time.perf_counter() - began) * 1000, f"present {fields}: {shown!r:.200}")
                    continue
            stats.ok((time.perf_counter() - began) * 1000)
        except TargetError as exc:
            stats.fail(None, f"z39.50 {fields}: {exc}")
            return
    conn.close()


def sru_client(port: int, offset: int, until: float, stats: Stats, reconnects: list[int]) -> None:
    from kitab.copycat.clients import TargetError
    from kitab.copycat.clients.sru import MARCXML_SCHEMA, build_cql, parse_response

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    n = offset
    while time.monotonic() < until:
        fields = QUERIES[n % len(QUERIES)]
        n += 1
        query = urllib.parse.urlencode({"operation": "searchRetrieve", "version": "1.2", "query": build_cql(fields),
                                        "maximumRecords": "10", "recordSchema": MARCXML_SCHEMA})
        began = time.perf_counter()
        try:
            conn.request("GET", "/sru?" + query)
            response = conn.getresponse()
            body = response.read()
            if response.will_close:
                reconnects[0] += 1  # http.client opens a new connection for the next request
            ms = (time.perf_counter() - began) * 1000
            if response.status != 200:
                stats.fail(ms, f"sru {fields}: HTTP {response.status}")
                continue
            retrieved = parse_response(body)
            if len(retrieved.records) != min(10, retrieved.total):
                stats.fail(ms, f"sru {fields}: {len(retrieved.records)} of {retrieved.total} records")
                continue
            stats.ok(ms)
        except (OSError, http.client.HTTPException, TargetError) as exc:
            stats.fail(None, f"sru {fields}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.close()


# --- checks ----------------------------------------------------------------------------------------------------


def double_loans() -> dict[str, int]:
    from datetime import UTC, datetime

    from django.db import connection

    FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)

    from kitab.circulation.models import Loan

    table = Loan._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT COUNT(*) FROM {table} a JOIN {table} b ON a.item_id = b.item_id AND a.id < b.id
            WHERE a.issued_at < COALESCE(b.returned_at, %s) AND b.issued_at < COALESCE(a.returned_at, %s)""",
                       [FAR_FUTURE, FAR_FUTURE])
        overlapping = cursor.fetchone()[0]
        cursor.execute(f"""SELECT COUNT(*) FROM (SELECT item_id FROM {table} WHERE returned_at IS NULL
                           GROUP BY item_id HAVING COUNT(*) > 1) AS doubled""")
        two_open = cursor.fetchone()[0]
        cursor.execute(f"SELECT COUNT(*), COUNT(returned_at) FROM {table}")
        loans, returned = cursor.fetchone()
    return {"overlapping_pairs": overlapping, "items_with_two_open_loans": two_open, "loans": loans,
            "returned": returned}


def report(name: str, clients: int, stats: Stats, seconds: float, cpu: float) -> dict[str, object]:
    requests = len(stats.latencies)
    row: dict[str, object] = {"protocol": name, "clients": clients, "requests": requests,
                              "req_per_s": round(requests / seconds, 1), "errors": len(stats.errors),
                              "server_cpu_s": round(cpu, 1),
                              "server_cpu_ms_per_request": round(1000 * cpu / requests, 2) if requests else None,
                              "first_errors": stats.errors[:5]}
    if stats.latencies:
        row.update(summary(stats.latencies))
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--sip2", type=int, default=50, help="SIP2 terminals")
    parser.add_argument("--z3950", type=int, default=25, help="Z39.50 clients")
    parser.add_argument("--sru", type=int, default=25, help="SRU clients")
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of `kitab serve` (SRU)")
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL database to use instead of SQLite (it is dropped and created afresh)")
    args = parser.parse_args()
    home = (BENCH_VAR / "protocols-load").resolve()

    began = time.monotonic()
    setup(home, patrons=max(args.sip2, 1), items=args.items, database_url=args.database_url)
    print(f"setup: {time.monotonic() - began:.1f} s", flush=True)
    sip2, sip2_port = start(home, ["sip2", "serve", "--port", "0"], r"listening on tcp:127\.0\.0\.1:(\d+)")
    z3950, z_port = start(home, ["z3950", "serve", "--port", "0"], r"listening on tcp:127\.0\.0\.1:(\d+)")
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        http_port = s.getsockname()[1]
    web, _none = start(home, ["serve", "--port", str(http_port), "--workers", str(args.workers)], None)
    servers = [sip2, z3950, web]
    try:
        wait_http(http_port)
        assert sip2_port and z_port
        stats = {"sip2": Stats(), "z3950": Stats(), "sru": Stats()}
        reconnects = [0]
        per_terminal = args.items // args.sip2
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=sip2_client, args=(sip2_port, f"P{n + 1:04d}",
                             [f"L{k:05d}" for k in range(n * per_terminal + 1, (n + 1) * per_terminal + 1)],
                             until, stats["sip2"]))
            for n in range(args.sip2)
        ]
        threads += [threading.Thread(target=z3950_client, args=(z_port, n, until, stats["z3950"]))
                    for n in range(args.z3950)]
        threads += [threading.Thread(target=sru_client, args=(http_port, n, until, stats["sru"], reconnects))
                    for n in range(args.sru)]
        load_before = os.getloadavg()
        print(f"running {len(threads)} clients for {args.seconds:g} s (load average {load_before[0]:.2f})",
              flush=True)
        cpu_before = {name: cpu_seconds(proc.pid) for name, proc in zip(("sip2", "z3950", "sru"), servers)}
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        cpu_used = {name: cpu_seconds(proc.pid) - cpu_before[name]
                    for name, proc in zip(("sip2", "z3950", "sru"), servers)}
    finally:
        for proc in servers:
            stop(proc)

    checks = double_loans()
    rows = [report("SIP2 checkout+checkin", args.sip2, stats["sip2"], elapsed, cpu_used["sip2"]),
            report("Z39.50 search+present(10)", args.z3950, stats["z3950"], elapsed, cpu_used["z3950"]),
            report("SRU searchRetrieve(10)", args.sru, stats["sru"], elapsed, cpu_used["sru"])]
    result = {"seconds": round(elapsed, 1), "machine": machine(), "protocols": rows, "double_loans": checks,
              "database": "postgresql" if args.database_url else "sqlite", "load_average_before": load_before,
              "sru_responses_closing_connection": reconnects[0], "load_average_after": os.getloadavg(),
              "machine_cpu_s": round(sum(cpu_used.values()), 1)}
    print(f"\n{'protocol':<28}{'clients':>8}{'requests':>10}{'req/s':>8}{'median':>9}{'p95':>9}{'max':>9}"
          f"{'errors':>8}{'cpu s':>8}{'cpu ms/req':>11}")
    for row in rows:
        print(f"{row['protocol']:<28}{row['clients']:>8}{row['requests']:>10}{row['req_per_s']:>8}"
              f"{row.get('median_ms', 0):>9.1f}{row.get('p95_ms', 0):>9.1f}{row.get('max_ms', 0):>9.1f}"
              f"{row['errors']:>8}{row['server_cpu_s']:>8}{row['server_cpu_ms_per_request'] or 0:>11}")
        for error in row["first_errors"]:  # type: ignore[union-attr]
            print(f"    {error}")
    print(f"double loans: {checks}; SRU responses that closed the connection: {reconnects[0]}")
    name = "protocols-load" + ("-postgresql" if args.database_url else "")
    if not (args.z3950 or args.sru):
        name += "-sip2-only"
    write_json(BENCH_VAR / f"{name}.json", result)
    print(f"results: var/bench/{name}.json")


if __name__ == "__main__":
    main()
