"""Import benchmark: `kitab import` of the Library of Congress 250k file into a fresh embedded catalogue.

    python benchmarks/bench_import.py [--file PATH] [--home var/bench/import]

Reports wall time, records/s, peak memory (max RSS of the import process) and the ratio to pymarc merely parsing
the same file. Results go to var/bench/import-NAME.json.
"""

from __future__ import annotations

import argparse
import json
import lzma
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pymarc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._common import BENCH_VAR, LOC_250K, REPO, machine, write_json  # noqa: E402


def pymarc_parse_rate(path: Path) -> tuple[int, float]:
    opener = lzma.open if path.suffix == ".xz" else open
    start = time.perf_counter()
    count = 0
    with opener(path, "rb") as handle:
        for _record in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True):
            count += 1
    return count, time.perf_counter() - start


def _sample_memory(child: subprocess.Popen) -> tuple[int, list[float]]:
    """Poll /proc/PID/status while the import runs: peak RssAnon (KiB) and its value at each quarter of the run."""
    readings: list[int] = []
    while child.poll() is None:
        try:
            status = Path(f"/proc/{child.pid}/status").read_text()
        except OSError:
            break
        for line in status.splitlines():
            if line.startswith("RssAnon:"):
                readings.append(int(line.split()[1]))
        time.sleep(0.5)
    if not readings:
        return 0, []
    quarters = [readings[min(len(readings) - 1, len(readings) * q // 4)] / 1024 for q in (1, 2, 3, 4)]
    return max(readings), [round(q, 1) for q in quarters]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=LOC_250K)
    parser.add_argument("--home", type=Path, default=BENCH_VAR / "import")
    parser.add_argument("--skip-pymarc", action="store_true")
    parser.add_argument("--name", default="250k", help="label for the result file var/bench/import-NAME.json")
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"{args.file} not found (needs ../shared/data/marc)")
    if args.home.exists():
        shutil.rmtree(args.home)
    args.home.mkdir(parents=True)
    env_cmd = [sys.executable, "-m", "kitab.cli"]
    import os

    env = dict(os.environ, KITAB_HOME=str(args.home.resolve()))
    subprocess.run([*env_cmd, "migrate"], env=env, cwd=REPO, check=True, capture_output=True)
    start = time.perf_counter()
    child = subprocess.Popen(
        [*env_cmd, "import", str(args.file), "--json", "--quiet"], env=env, cwd=REPO,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    anon_peak, samples = _sample_memory(child)
    stdout, stderr = child.communicate()
    elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if child.returncode != 0:
        sys.exit(stderr)
    proc = subprocess.CompletedProcess(child.args, 0, stdout, stderr)
    report = json.loads(proc.stdout)
    records = report["added"] + report["updated"] + report["skipped"] + report["rejected"]
    result: dict[str, object] = {
        "file": args.file.name,
        "records": records,
        "wall_seconds": round(elapsed, 1),
        "records_per_second": round(records / elapsed, 1),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        # RSS also counts pages of memory-mapped files (SQLite mmap, index segments), which the kernel can drop;
        # anonymous memory is what the process itself holds.
        "peak_anon_mib": round(anon_peak / 1024, 1),
        "anon_mib_by_quarter": samples,
        "report": {k: v for k, v in report.items() if k != "rejects"},
        "machine": machine(),
    }
    if not args.skip_pymarc:
        count, seconds = pymarc_parse_rate(args.file)
        result["pymarc_parse_seconds"] = round(seconds, 1)
        result["pymarc_records_per_second"] = round(count / seconds, 1)
        result["import_time_over_parse_time"] = round(elapsed / seconds, 2)
    write_json(BENCH_VAR / f"import-{args.name}.json", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
