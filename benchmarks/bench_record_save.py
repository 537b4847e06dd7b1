"""Time from saving a changed record in the cataloguing editor's save path to finding it in the catalogue search.

Loads a throw-away KITAB_HOME (production settings, SQLite unless --database-url) with the shipped demo records
(real Library of Congress records, imported and indexed through the import service), then --saves times: gives
one record a new title holding a word found nowhere else, saves it through `kitab.catalogue.editing.save_record`
(validation, history version, identifiers, outbox, index update on commit) and searches for that word until the
record is found. Each figure is the wall time from the call to save_record to the first search that finds it.

    python benchmarks/bench_record_save.py [--records 2000] [--saves 100] [--database-url postgres://...]

Prints the median, p95 and maximum and writes JSON to var/bench/record-save.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks._common import machine, start_throwaway_django, summary  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000, help="demo records loaded first")
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--output", type=Path, default=REPO / "var" / "bench" / "record-save.json")
    args = parser.parse_args()

    home = start_throwaway_django(prefix="kitab-bench-save-", secret_key="bench-record-save-not-secret",
                                  database_url=args.database_url)
    from django.core.management import call_command
    from django.db import transaction

    from kitab.catalogue import editing
    from kitab.catalogue.models import Record
    from kitab.catalogue.services import import_file
    from kitab.core.actor import Actor
    from kitab.marc.iso2709 import parse_record
    from kitab.search import services as search_services
    from kitab.search.types import SearchRequest
    from tests.conftest import demo_raw_records

    try:
        call_command("migrate", verbosity=0)
        source = Path(home) / "demo.mrc"
        source.write_bytes(b"".join(demo_raw_records(args.records)))
        import_file(source, actor=Actor.system())
        loaded = Record.objects.count()
        actor = Actor(channel="staff", username="bench")
        ids = list(Record.objects.order_by("pk").values_list("pk", flat=True)[: args.saves])
        timings: list[float] = []
        committed: list[float] = []  # save_record plus the index update run on commit
        for n, record_id in enumerate(ids * (args.saves // max(len(ids), 1) + 1)):
            if n >= args.saves:
                break
            record = Record.objects.get(pk=record_id)
            marc = parse_record(bytes(record.raw))[0]
            word = f"benchword{n:05d}x"
            marc["245"]["a"] = f"{word} {marc['245']['a'] or ''}"
            started = time.perf_counter()
            with transaction.atomic():
                editing.save_record(record=record, marc=marc, actor=actor, channel="editor", validate=True)
            committed.append((time.perf_counter() - started) * 1000)
            while True:
                hits = search_services.search(SearchRequest(query=word, limit=1, facets=False)).hits
                if hits and hits[0].record_id == record_id:
                    break
                if time.perf_counter() - started > 10:
                    raise SystemExit(f"record {record_id} not found 10 s after saving")
                time.sleep(0.002)
            timings.append((time.perf_counter() - started) * 1000)
        result = {"records": loaded, "saves": len(timings), **summary(timings),
                  "save_and_index_commit": summary(committed), "machine": machine(),
                  "database": "postgresql" if args.database_url else "sqlite"}
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(result, indent=2))
        print(json.dumps(result, indent=2))
        return 0
    finally:
        search_services.reset_engine()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
