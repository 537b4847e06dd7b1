"""Staged import benchmark: `kitab batches` run and undo of a file into a fresh catalogue.

    python benchmarks/bench_staged_import.py [--file kitab/catalogue/demo/loc-demo.mrc.xz] [--home var/bench/staged]

Stages the file (all records new in the fresh catalogue), runs the batch (`kitab batches run`), runs it again as a
second batch of the same file with "replace" (every record identical: all skipped), then undoes the first batch.
Reports wall time, records/s and peak memory of each step. Results go to var/bench/staged-import.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._common import BENCH_VAR, REPO, machine, write_json

DEMO = REPO / "kitab" / "catalogue" / "demo" / "loc-demo.mrc.xz"


def _kitab(home: Path, *args: str) -> tuple[dict[str, object], float, float]:
    env = dict(os.environ, KITAB_HOME=str(home.resolve()))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kitab.cli", *args], env=env, cwd=REPO, capture_output=True,
                          text=True, check=True)
    elapsed = time.perf_counter() - start
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return json.loads(proc.stdout), elapsed, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DEMO)
    parser.add_argument("--home", type=Path, default=BENCH_VAR / "staged")
    args = parser.parse_args()
    if args.home.exists():
        shutil.rmtree(args.home)
    args.home.mkdir(parents=True)
    env = dict(os.environ, KITAB_HOME=str(args.home.resolve()))
    subprocess.run([sys.executable, "-m", "kitab.cli", "migrate"], env=env, cwd=REPO, check=True, capture_output=True)
    result: dict[str, object] = {"file": args.file.name, "machine": machine(), "load_average": os.getloadavg()}
    first = _kitab(args.home, "batches", "stage", str(args.file), "--limit", "1", "--json")[0]["batch"]["id"]
    run, seconds, peak = _kitab(args.home, "batches", "run", str(first), "--quiet", "--json")
    done = run["added"] + run["updated"] + run["skipped"] + run["rejected"]  # type: ignore[operator]
    result["run_new"] = {"records": done, "seconds": round(seconds, 1), "records_per_second": round(done / seconds, 1),
                         "peak_rss_mib": round(peak, 1), "added": run["added"]}
    second = _kitab(args.home, "batches", "stage", str(args.file), "--limit", "1", "--json")[0]["batch"]["id"]
    run, seconds, _peak = _kitab(args.home, "batches", "run", str(second), "--quiet", "--json")
    result["run_identical"] = {"seconds": round(seconds, 1), "skipped": run["skipped"],
                               "records_per_second": round(done / seconds, 1)}
    undo, seconds, _peak = _kitab(args.home, "batches", "undo", str(first), "--json")
    result["undo"] = {"seconds": round(seconds, 1), **undo}
    write_json(BENCH_VAR / "staged-import.json", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
