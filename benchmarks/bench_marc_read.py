"""Records per second of the MARC edge: plain pymarc vs kitab.marc's reader, alone and with summarize().

    python benchmarks/bench_marc_read.py                  # first_10000.mrc and the 250k-record .xz file
    python benchmarks/bench_marc_read.py --quick          # first_10000.mrc only

The data is read from ../shared/data/marc (or $KITAB_SHARED_DATA). Each figure is end to end for one pass over
the file, decompression included, single process.
"""

from __future__ import annotations

import argparse
import lzma
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pymarc

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from kitab.marc.mapping import summarize
from kitab.marc.reader import iter_records


def shared_dir() -> Path:
    env = os.environ.get("KITAB_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data" / "marc"


def plain_pymarc(path: Path) -> int:
    opener = lzma.open if path.suffix == ".xz" else open
    count = 0
    with opener(path, "rb") as fh:
        for record in pymarc.MARCReader(fh, to_unicode=True, force_utf8=True):
            if record is not None:
                count += 1
    return count


def kitab_reader(path: Path) -> int:
    count = 0
    for result in iter_records(path):
        if result.record is not None:
            count += 1
    return count


def kitab_reader_summarize(path: Path) -> int:
    count = 0
    for result in iter_records(path):
        if result.record is not None:
            summarize(result.record)
            count += 1
    return count


def decompress_only(path: Path) -> int:
    with lzma.open(path, "rb") as fh:
        while fh.read(1 << 20):
            pass
    return 0


def measure(label: str, func: Callable[[Path], int], path: Path) -> float:
    start = time.perf_counter()
    count = func(path)
    elapsed = time.perf_counter() - start
    rate = count / elapsed if count else 0.0
    extra = f"{rate:>10,.0f} records/s" if count else ""
    print(f"  {label:<32} {count:>8,} records {elapsed:>7.2f} s {extra}", flush=True)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="only the 10,000-record file")
    args = parser.parse_args()
    loc = shared_dir() / "loc-booksall-2016"
    files = [loc / "first_10000.mrc"]
    if not args.quick:
        files.append(loc / "BooksAll.2016.part01.utf8.mrc.xz")
    for path in files:
        print(path.name)
        if path.suffix == ".xz":
            measure("xz decompression alone", decompress_only, path)
        base = measure("pymarc MARCReader", plain_pymarc, path)
        ours = measure("kitab iter_records", kitab_reader, path)
        both = measure("kitab iter_records + summarize", kitab_reader_summarize, path)
        print(f"  reader vs pymarc: {base / ours:.2f}x faster; summarize adds {both - ours:.2f} s")
    summarize_alone(loc / "first_10000.mrc")


def summarize_alone(path: Path) -> None:
    """summarize() by itself, on records already in memory: the per-record mapping cost."""
    records = [r.record for r in iter_records(path) if r.record is not None]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for record in records:
            summarize(record)
        best = min(best, time.perf_counter() - start)
    print(f"summarize alone ({path.name}, best of 3): {best / len(records) * 1e6:.1f} µs/record")


if __name__ == "__main__":
    main()
