"""Make a 1,000,000-record catalogue file from the LoC 250k file: the real records, then copies of them with new
control numbers (001 prefixed `rN-`) and without 035, so every copy imports as a new record.

    python benchmarks/make_replicated.py --copies 4 --out var/bench/loc-1m.mrc
"""

from __future__ import annotations

import argparse
import lzma
import sys
from pathlib import Path

import pymarc

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._common import BENCH_VAR, LOC_250K  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=4, help="total copies of the file, the original included")
    parser.add_argument("--out", type=Path, default=BENCH_VAR / "loc-1m.mrc")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with args.out.open("wb") as out:
        for copy in range(args.copies):
            with lzma.open(LOC_250K, "rb") as handle:
                for record in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True):
                    if copy:
                        record["001"].data = f"r{copy}-{record['001'].data.strip()}"
                        record.remove_fields("035")
                    out.write(record.as_marc())
                    count += 1
            print(f"copy {copy + 1}/{args.copies}: {count:,} records", flush=True)
    print(f"wrote {count:,} records to {args.out}")


if __name__ == "__main__":
    main()
