"""Search benchmark: the shared query mix (benchmarks/queries.py) through Kitab's search service and through the
OPAC search page over HTTP, with facets, on a catalogue built by bench_import.py; optionally Zebra side by side.

    python benchmarks/bench_import.py                        # builds var/bench/import (250k)
    python benchmarks/bench_search.py --home var/bench/import --http --zebra

With --http, record pages are timed too: 100 records spread evenly over the catalogue, each fetched --repeat
times (the OPAC record page with copies and the patron actions a visitor sees).

Each query runs once to warm up, then --repeat times; we report per-query median and overall median / p95.
Results: var/bench/search-<name>.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._common import BENCH_VAR, REPO, machine, summary, write_json  # noqa: E402
from benchmarks.queries import QUERIES  # noqa: E402


def bench_service(home: Path, repeat: int) -> dict[str, object]:
    os.environ["KITAB_HOME"] = str(home.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    import django

    django.setup()
    from kitab.search.bench import time_requests
    from kitab.search.services import SearchRequest

    requests = [SearchRequest(query=q.kitab, filters=q.facets, limit=20, facets=True) for q in QUERIES]
    result = time_requests(requests, repeat=repeat)
    rows = [
        {"name": q.name, "query": t.query, "facets": t.filters, "hits": t.hits,
         "median_ms": round(t.median_ms, 3), "p95_ms": round(t.p95_ms, 3)}
        for q, t in zip(QUERIES, result.timings)
    ]
    overall = {"median_ms": round(result.median_ms, 3), "p95_ms": round(result.p95_ms, 3)}
    return {"queries": rows, "overall": overall}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_http(home: Path, repeat: int, workers: int) -> dict[str, object]:
    port = _free_port()
    env = dict(os.environ, KITAB_HOME=str(home.resolve()))
    server = subprocess.Popen(
        [sys.executable, "-m", "kitab.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        rows = []
        every: list[float] = []
        for q in QUERIES:
            params = [("q", q.kitab)] + [(name, value) for name, values in q.facets.items() for value in values]
            url = "/search/?" + urllib.parse.urlencode(params)
            for _ in range(workers):  # warm each worker
                conn.request("GET", url)
                conn.getresponse().read()
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                conn.request("GET", url)
                response = conn.getresponse()
                body = response.read()
                times.append((time.perf_counter() - start) * 1000)
                if response.status != 200:
                    raise SystemExit(f"{url}: HTTP {response.status}")
            every.extend(times)
            rows.append({"name": q.name, "url": url, "bytes": len(body), **summary(times)})
        return {"queries": rows, "overall": summary(every), "workers": workers,
                "record_pages": _time_record_pages(conn, home, repeat)}
    finally:
        server.terminate()
        server.wait(10)


def _record_ids(home: Path, count: int = 100) -> list[int]:
    """`count` record ids spread evenly over the catalogue (the embedded SQLite database of `home`)."""
    with sqlite3.connect(home / "kitab.sqlite3") as db:
        ids = [row[0] for row in db.execute("SELECT id FROM catalogue_record ORDER BY id")]
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def _time_record_pages(conn: http.client.HTTPConnection, home: Path, repeat: int) -> dict[str, object]:
    every: list[float] = []
    for record_id in _record_ids(home):
        url = f"/record/{record_id}/"
        conn.request("GET", url)
        conn.getresponse().read()  # warm
        for _ in range(repeat):
            start = time.perf_counter()
            conn.request("GET", url)
            response = conn.getresponse()
            response.read()
            every.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                raise SystemExit(f"{url}: HTTP {response.status}")
    return summary(every)


def bench_zebra(repeat: int) -> dict[str, object] | None:
    """Start zebrasrv on the index benchmarks/zebra/run.sh built, run the same mix, stop it."""
    zebra = REPO / "benchmarks" / "zebra"
    out = BENCH_VAR / "zebra" / "results-side-by-side.json"
    started = subprocess.run([str(zebra / "run.sh"), "start"], cwd=REPO, capture_output=True, text=True)
    if started.returncode != 0:
        print(f"zebra could not start (build it with benchmarks/zebra/run.sh):\n{started.stderr[-2000:]}",
              file=sys.stderr)
        return None
    try:
        proc = subprocess.run(
            [sys.executable, str(zebra / "bench_zebra.py"), "--repeat", str(repeat), "--warmup", "1", "--out",
             str(out)],
            cwd=REPO, capture_output=True, text=True,
        )
    finally:
        subprocess.run([str(zebra / "run.sh"), "stop"], cwd=REPO, capture_output=True)
    if proc.returncode != 0:
        print(f"zebra benchmark failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
        return None
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, default=BENCH_VAR / "import")
    parser.add_argument("--name", default=None, help="label for the result file (default: the home's name)")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--http", action="store_true", help="also measure the OPAC search page over HTTP")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--zebra", action="store_true", help="also run benchmarks/zebra/bench_zebra.py in this run")
    args = parser.parse_args()
    name = args.name or args.home.name
    result: dict[str, object] = {"catalogue": str(args.home), "repeat": args.repeat, "machine": machine()}
    result["service"] = bench_service(args.home, args.repeat)
    print_table("search service (in-process, facets on)", result["service"])  # type: ignore[arg-type]
    if args.http:
        result["http"] = bench_http(args.home, args.repeat, args.workers)
        print_table("OPAC /search/ over HTTP (facets on)", result["http"])  # type: ignore[arg-type]
        pages = result["http"]["record_pages"]  # type: ignore[index]
        print(f"\nOPAC /record/N/ over HTTP: median {pages['median_ms']:.2f} ms, p95 {pages['p95_ms']:.2f} ms")
    if args.zebra:
        zebra = bench_zebra(args.repeat)
        if zebra is not None:
            result["zebra"] = zebra
            service = result["service"]["overall"]  # type: ignore[index]
            zo = zebra.get("overall", {})
            if zo:
                result["ratio_zebra_over_kitab"] = {
                    "median": round(zo["median_ms"] / service["median_ms"], 1),
                    "p95": round(zo["p95_ms"] / service["p95_ms"], 1),
                }
            print(json.dumps({"zebra_overall": zo, "ratio": result.get("ratio_zebra_over_kitab")}, indent=2))
    write_json(BENCH_VAR / f"search-{name}.json", result)


def print_table(title: str, data: dict[str, object]) -> None:
    print(f"\n{title}")
    for row in data["queries"]:  # type: ignore[union-attr]
        hits = row.get("hits", "")
        print(f"  {row['name']:<22} {row['median_ms']:>8.2f} ms  p95 {row['p95_ms']:>8.2f}  {hits}")
    overall = data["overall"]
    print(f"  overall median {overall['median_ms']:.2f} ms, p95 {overall['p95_ms']:.2f} ms")  # type: ignore[index]


if __name__ == "__main__":
    main()
