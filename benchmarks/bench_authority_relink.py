"""Relinking an authority used by many records: the heading update job after a changed authority heading.

Loads a throw-away KITAB_HOME (production settings, SQLite unless --database-url): one personal-name authority
and --records generated book records whose 700 is that name (they link on import by their folded heading), all
through the import services and indexed. Then changes the authority's heading through
`kitab.authorities.services.save_authority` and times `run_job` (each linked record rewritten through
`kitab.catalogue.editing.save_record`, channel "authority", with a history version, the links kept, and the
search index updated), and checks that a search for the new heading finds every record.

    python benchmarks/bench_authority_relink.py [--records 10000] [--database-url postgres://...]

Prints the figures and writes JSON to var/bench/authority-relink.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks._common import machine, start_throwaway_django  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000, help="records linked to the authority")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--output", type=Path, default=REPO / "var" / "bench" / "authority-relink.json")
    args = parser.parse_args()

    home = start_throwaway_django(prefix="kitab-bench-relink-", secret_key="bench-authority-relink-not-secret",
                                  database_url=args.database_url)
    from django.core.management import call_command

    from kitab.authorities import services
    from kitab.authorities.models import Authority, HeadingLink
    from kitab.catalogue.models import Record, RecordVersion
    from kitab.catalogue.services import import_file
    from kitab.core.actor import Actor
    from kitab.marc.writer import to_iso2709
    from kitab.search import services as search_services
    from kitab.search.types import SearchRequest
    from tests.authorities.records import authority, bib

    try:
        call_command("migrate", verbosity=0)
        actor = Actor(channel="staff", username="bench")
        auth_file = Path(home) / "authority.mrc"
        auth_file.write_bytes(to_iso2709(authority("100", ["aMəmmədquluzadə, Cəlil,", "d1869-1932"], number="n1")))
        services.import_file(auth_file, actor=actor)
        bib_file = Path(home) / "records.mrc"
        with bib_file.open("wb") as out:
            for n in range(args.records):
                record = bib(f"r{n:06d}", f"Molla Nəsrəddin, cild {n}",
                             ("700", "1 ", ["aMəmmədquluzadə, Cəlil,", "d1869-1932,", "eeditor."]))
                out.write(to_iso2709(record))
        started = time.perf_counter()
        import_file(bib_file, actor=actor)
        import_seconds = time.perf_counter() - started
        target = Authority.objects.get(control_number="n1")
        linked = HeadingLink.objects.filter(authority=target).count()
        assert linked == args.records, (linked, args.records)

        new_heading = authority("100", ["aMammadguluzadeh, Jalil,", "d1869-1932"], number="n1",
                                see_from=[("400", ["aMəmmədquluzadə, Cəlil,", "d1869-1932"])])
        outcome = services.save_authority(authority=target, marc=new_heading, actor=actor)
        assert outcome.job is not None
        started, cpu_started = time.perf_counter(), time.process_time()
        job = services.run_job(outcome.job, actor=actor)
        job_seconds = time.perf_counter() - started
        # CPU time of this process: what the job costs whatever else the machine is doing (the index writer's
        # own threads included).
        job_cpu_seconds = time.process_time() - cpu_started
        started = time.perf_counter()
        search_services.index_pending()  # whatever a background drain had not indexed yet
        drain_seconds = time.perf_counter() - started
        found = search_services.search(SearchRequest(query='author:"Mammadguluzadeh, Jalil"', limit=1)).total
        versions = RecordVersion.objects.filter(channel="authority").count()
        result = {
            "records": args.records,
            "import_seconds": round(import_seconds, 2),
            "job_seconds": round(job_seconds, 2),
            "job_cpu_seconds": round(job_cpu_seconds, 2),
            "load_average_1min": round(os.getloadavg()[0], 1),
            "records_per_second": round(job.done / job_seconds, 1) if job_seconds else None,
            "final_index_drain_seconds": round(drain_seconds, 2),
            "changed": job.changed,
            "errors": job.error_count,
            "authority_versions": versions,
            "found_by_new_heading": found,
            "database": "postgresql" if args.database_url else "sqlite",
            "machine": machine(),
        }
        assert job.changed == args.records and found == args.records and Record.objects.count() == args.records
        print(json.dumps(result, indent=2))
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(result, indent=2))
        return 0
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
