"""Export benchmark: `kitab export` of a whole catalogue in each format, and of a small selection, with memory.

    python benchmarks/bench_export.py [--home var/bench/import] [--small 4000]

Uses the catalogue `bench_import.py` builds (250k Library of Congress records; run that first). For each format
(ISO 2709 as stored, ISO 2709 with copies as 952, MARCXML, CSV) it runs the export as a child process writing to
a file, samples the child's anonymous memory every 0.5 s (peak, and the value at each quarter of the run: flat
means no growth with size), and repeats it for the first `--small` record ids to compare. Results go to
var/bench/export-NAME.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._common import BENCH_VAR, REPO, machine, write_json
from benchmarks.bench_import import _sample_memory

RUNS = [("iso2709", []), ("iso2709", ["--with-items"]), ("marcxml", []), ("csv", [])]


def _export(home: Path, fmt: str, extra: list[str], out: Path) -> dict[str, object]:
    env = dict(os.environ, KITAB_HOME=str(home.resolve()))
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "kitab.cli", "export", "--format", fmt, "-o", str(out), *extra],
        env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    anon_peak, quarters = _sample_memory(child)
    _stdout, stderr = child.communicate()
    elapsed = time.perf_counter() - start
    if child.returncode != 0:
        sys.exit(stderr)
    records = int(stderr.strip().split()[-2].replace(",", ""))  # "exported N records"
    return {
        "format": fmt + (" " + " ".join(extra[:1]) if extra and extra[0] == "--with-items" else ""),
        "records": records,
        "wall_seconds": round(elapsed, 1),
        "records_per_second": round(records / elapsed, 1),
        "output_mib": round(out.stat().st_size / 2**20, 1),
        "peak_anon_mib": round(anon_peak / 1024, 1),
        "anon_mib_by_quarter": quarters,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, default=BENCH_VAR / "import")
    parser.add_argument("--small", type=int, default=4000, help="size of the small selection to compare with")
    parser.add_argument("--name", default="250k")
    args = parser.parse_args()
    database = args.home / "kitab.sqlite3"
    if not database.exists():
        sys.exit(f"{database} not found: run benchmarks/bench_import.py first")
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM catalogue_record ORDER BY id LIMIT ?", (args.small,))]
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="kitab-export-") as tmp:
        id_file = Path(tmp) / "ids.txt"
        id_file.write_text("\n".join(map(str, ids)))
        for fmt, extra in RUNS:
            out = Path(tmp) / f"out.{fmt}"
            whole = _export(args.home, fmt, extra, out)
            small = _export(args.home, fmt, [*extra, "--ids", f"@{id_file}"], out)
            whole["small_selection"] = {k: small[k] for k in ("records", "wall_seconds", "peak_anon_mib")}
            results.append(whole)
            print(json.dumps(whole), flush=True)
    write_json(BENCH_VAR / f"export-{args.name}.json", {"runs": results, "machine": machine()})


if __name__ == "__main__":
    main()
