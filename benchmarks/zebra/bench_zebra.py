"""Zebra baseline: run the shared query mix (benchmarks/queries.py) against zebrasrv over Z39.50.

    benchmarks/zebra/run.sh                      # build the index and start zebrasrv (once)
    python benchmarks/zebra/bench_zebra.py [--port 21210] [--repeat 5] [--warmup 1] [--fetch 20] [--rank]
    benchmarks/zebra/run.sh stop

One persistent ``yaz-client`` session is driven through a pipe, so process start-up and connection set-up are
not measured. For every query it sends ``find <pqf>`` and then ``show 1+N`` (N = min(--fetch, hits)) with
record syntax XML / element set ``marcxml`` (the stored MARCXML record, what Koha fetches). Latency per query
execution = the ``Elapsed:`` seconds yaz-client reports for the search plus for the present request (time from
sending the request to having decoded the response; printing the records is not included). The wall time seen
from this script (pipe round trip and record printing included) is recorded too.

Every query is run ``--warmup`` times first (not measured), then ``--repeat`` measured rounds over the whole mix
(round-robin, so one query's repeats are not back to back). Results: a table on stdout and
``var/bench/zebra/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
from benchmarks._common import percentile  # noqa: E402
from benchmarks.queries import QUERIES, BenchQuery  # noqa: E402

_ELAPSED = re.compile(rb"Elapsed: ([0-9.]+)")
_HITS = re.compile(rb"Number of hits: (\d+)")
_DIAG = re.compile(rb"\[(\d+)\] ([^\n]*)")


class YazClient:
    """A yaz-client process kept open for the whole run; commands are written to its stdin."""

    def __init__(self, target: str, timeout: float = 60.0) -> None:
        if not shutil.which("yaz-client"):
            raise SystemExit("yaz-client not found: apt-get install -y yaz")
        # line-buffered stdout, otherwise yaz-client's output sits in a 4 KiB stdio buffer on a pipe
        cmd = ["stdbuf", "-oL", "-eL", "yaz-client"] if shutil.which("stdbuf") else ["yaz-client"]
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0
        )
        self.timeout = timeout
        self.buf = b""
        out = self.request(f"open {target}")
        if b"Connection accepted" not in out:
            self.close()
            raise SystemExit(
                f"cannot connect to {target}: {out.decode(errors='replace').strip()}\n"
                "start the server first: benchmarks/zebra/run.sh start"
            )
        # local settings: no reply, so just send them
        self.send("format xml")
        self.send("elements marcxml")

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode("utf-8") + b"\n")

    def request(self, line: str) -> bytes:
        """Send a command that talks to the server and return its output up to and including 'Elapsed: x'."""
        self.send(line)
        fd = self.proc.stdout.fileno()  # type: ignore[union-attr]
        deadline = time.monotonic() + self.timeout
        while True:
            m = _ELAPSED.search(self.buf)
            if m and self.buf.find(b"\n", m.end()) >= 0:
                end = self.buf.find(b"\n", m.end()) + 1
                out, self.buf = self.buf[:end], self.buf[end:]
                return out
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError(f"no answer to {line!r} within {self.timeout} s")
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise RuntimeError(f"yaz-client exited; output so far: {self.buf[-500:]!r}")
            self.buf += chunk

    def close(self) -> None:
        try:
            self.send("quit")
            self.proc.stdin.close()  # type: ignore[union-attr]
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


def ranked(pqf: str) -> str:
    """Add relevance ranking (@attr 2=102) to every term that has no relation attribute of its own."""
    return re.sub(r"(@attr 1=\d+)(?!\d)(?! @attr (?:2=|4=109))", r"\1 @attr 2=102", pqf)


def run_once(client: YazClient, pqf: str, fetch: int) -> dict[str, float | int | str | None]:
    t0 = time.perf_counter()
    out = client.request(f"find {pqf}")
    search_s = float(_ELAPSED.search(out).group(1))  # type: ignore[union-attr]
    m = _HITS.search(out)
    hits = int(m.group(1)) if m else 0
    diag = _DIAG.search(out)
    error = diag.group(0).decode(errors="replace") if diag and b"Diagnostic" in out else None
    present_s = 0.0
    fetched = 0
    n = min(fetch, hits)
    if n > 0 and error is None:
        out = client.request(f"show 1+{n}")
        present_s = float(_ELAPSED.search(out).group(1))  # type: ignore[union-attr]
        fetched = out.count(b"Record type: XML")
        if fetched != n:
            error = f"present returned {fetched} of {n} records"
    wall = time.perf_counter() - t0
    return {
        "hits": hits,
        "search_ms": search_s * 1000,
        "present_ms": present_s * 1000,
        "total_ms": (search_s + present_s) * 1000,
        "wall_ms": wall * 1000,
        "fetched": fetched,
        "error": error,
    }


def zebra_version() -> str:
    try:
        out = subprocess.run(["zebraidx", "-V"], capture_output=True, text=True, timeout=10, check=False)
        return (out.stdout + out.stderr).splitlines()[0].strip()
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=int(os.environ.get("ZEBRA_PORT", "21210")))
    ap.add_argument("--repeat", type=int, default=5, help="measured executions per query (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="unmeasured executions per query first (default 1)")
    ap.add_argument("--fetch", type=int, default=20, help="records fetched after each search (default 20)")
    ap.add_argument("--rank", action="store_true", help="relevance ranking (@attr 2=102) on every term")
    ap.add_argument("--only", nargs="*", help="run only these query names")
    ap.add_argument("--out", type=Path, default=REPO / "var" / "bench" / "zebra" / "results.json")
    args = ap.parse_args()

    queries: list[BenchQuery] = [q for q in QUERIES if not args.only or q.name in args.only]
    client = YazClient(f"tcp:{args.host}:{args.port}")
    load_start = os.getloadavg()[0]
    try:
        for _ in range(args.warmup):
            for q in queries:
                run_once(client, ranked(q.pqf) if args.rank else q.pqf, args.fetch)
        runs: dict[str, list[dict]] = {q.name: [] for q in queries}
        for _ in range(args.repeat):
            for q in queries:
                runs[q.name].append(run_once(client, ranked(q.pqf) if args.rank else q.pqf, args.fetch))
    finally:
        client.close()
    load_end = os.getloadavg()[0]

    per_query = []
    all_totals: list[float] = []
    all_walls: list[float] = []
    for q in queries:
        rs = runs[q.name]
        totals = [r["total_ms"] for r in rs]
        walls = [r["wall_ms"] for r in rs]
        all_totals += totals
        all_walls += walls
        hits = rs[-1]["hits"]
        errors = sorted({r["error"] for r in rs if r["error"]})
        per_query.append(
            {
                "name": q.name,
                "kitab": q.kitab,
                "pqf": ranked(q.pqf) if args.rank else q.pqf,
                "facets": q.facets,
                "hits": hits,
                "expected_min": q.expected_min,
                "expected_max": q.expected_max,
                "hits_meet_expected": hits >= q.expected_min
                and (q.expected_max is None or hits <= q.expected_max),
                "median_ms": round(statistics.median(totals), 3),
                "median_search_ms": round(statistics.median(r["search_ms"] for r in rs), 3),
                "median_present_ms": round(statistics.median(r["present_ms"] for r in rs), 3),
                "max_ms": round(max(totals), 3),
                "median_wall_ms": round(statistics.median(walls), 3),
                "samples_ms": [round(t, 3) for t in totals],
                "errors": errors,
            }
        )
    medians = [p["median_ms"] for p in per_query]
    result = {
        "engine": zebra_version(),
        "target": f"tcp:{args.host}:{args.port}",
        "queries": len(queries),
        "repeat": args.repeat,
        "warmup": args.warmup,
        "fetch": args.fetch,
        "ranking": "rank-1, @attr 2=102" if args.rank else "none (Boolean)",
        "record_syntax": "xml / elementset marcxml",
        "overall": {
            "median_ms": round(statistics.median(all_totals), 3),
            "p95_ms": round(percentile(all_totals, 95), 3),
            "max_ms": round(max(all_totals), 3),
            "mean_ms": round(statistics.fmean(all_totals), 3),
            "median_of_query_medians_ms": round(statistics.median(medians), 3),
            "p95_of_query_medians_ms": round(percentile(medians, 95), 3),
            "wall_median_ms": round(statistics.median(all_walls), 3),
            "wall_p95_ms": round(percentile(all_walls, 95), 3),
        },
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "loadavg_1m_start": round(load_start, 2),
            "loadavg_1m_end": round(load_end, 2),
        },
        "index": _read_json(args.out.parent / "index.json"),
        "per_query": per_query,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")

    print(
        f"{'query':26} {'hits':>7} {'exp.min':>7} {'median':>8} {'search':>8} {'present':>8} {'max':>8}  kitab"
    )
    for p in per_query:
        flag = "" if p["hits_meet_expected"] else "  <-- below expected_min"
        if p["errors"]:
            flag += "  ERR " + "; ".join(p["errors"])
        print(
            f"{p['name']:26} {p['hits']:7d} {p['expected_min']:7d} {p['median_ms']:8.2f} "
            f"{p['median_search_ms']:8.2f} {p['median_present_ms']:8.2f} {p['max_ms']:8.2f}  {p['kitab']}{flag}"
        )
    o = result["overall"]
    print(
        f"\n{len(queries)} queries x {args.repeat} runs (after {args.warmup} warm-up), fetch {args.fetch}, "
        f"ranking: {result['ranking']}"
    )
    print(
        f"overall median {o['median_ms']:.2f} ms, p95 {o['p95_ms']:.2f} ms, max {o['max_ms']:.2f} ms "
        f"(client-reported search+present); wall via pipe: median {o['wall_median_ms']:.2f} ms, "
        f"p95 {o['wall_p95_ms']:.2f} ms"
    )
    print(
        f"load average (1 min) {load_start:.2f} -> {load_end:.2f} on {os.cpu_count()} CPUs; "
        f"results: {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}"
    )
    return 0


def _read_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


if __name__ == "__main__":
    raise SystemExit(main())
