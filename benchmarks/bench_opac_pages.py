"""OPAC page times on the server: the search results page (the shared query mix, facets on) and 100 record pages
spread over the catalogue, through the whole Django stack in-process (middleware, sessions, database, search
index, template rendering) with Django's test client, so the figure is server time without HTTP or the load of a
client on the same machine. Each page type is timed for a visitor and for a signed-in patron (whose pages add the
holds, lists, cart and comment controls), in English, Azerbaijani and Persian; the SQL queries per page are counted
(an N+1 shows up as a count that grows with the hits or copies shown).

    python benchmarks/bench_opac_pages.py --home var/bench/import [--repeat 3] [--languages en,az,fa]

The patron is created inside a transaction that is rolled back: the catalogue under test is left as it was.
Results: var/bench/opac-pages-<name>.json. bench_search.py --http gives the same pages over HTTP (gunicorn).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks._common import BENCH_VAR, machine, summary, write_json
from benchmarks.queries import QUERIES

PASSWORD = "a long benchmark password"


class _Rollback(Exception):
    pass


def _record_ids(home: Path, count: int = 100) -> list[int]:
    with sqlite3.connect(home / "kitab.sqlite3") as db:
        ids = [row[0] for row in db.execute("SELECT id FROM catalogue_record ORDER BY id")]
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def _search_urls() -> list[str]:
    urls = []
    for q in QUERIES:
        params = [("q", q.kitab)] + [(name, value) for name, values in q.facets.items() for value in values]
        urls.append("/search/?" + urllib.parse.urlencode(params))
    return urls


def _time(client, urls: list[str], repeat: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: list[float] = []
    queries: list[int] = []
    for url in urls:
        client.get(url)  # warm: template and index caches
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
            queries.append(len(captured))
    return {**summary(times), "pages": len(urls), "queries_median": sorted(queries)[len(queries) // 2],
            "queries_max": max(queries)}


def _patron_client(client):  # type: ignore[no-untyped-def]
    from django.contrib.auth.hashers import make_password

    from kitab.accounts import services as accounts
    from kitab.core import clock
    from kitab.items.models import Branch
    from kitab.patrons.models import Patron, PatronCategory

    branch = Branch.objects.order_by("pk").first() or Branch.objects.create(code="BENCH", name="Bench branch")
    category = PatronCategory.objects.order_by("pk").first() or PatronCategory.objects.create(code="BENCH",
                                                                                              name="Bench")
    patron = Patron.objects.create(card_number="BENCH00001", last_name="Bench", first_name="Reader",
                                   email="bench-reader@example.org", category=category, home_branch=branch,
                                   expires_on=clock.now().date() + timedelta(days=365), created_at=clock.now(),
                                   updated_at=clock.now())
    accounts._create_account(patron, password_hash=make_password(PASSWORD), at=clock.now())
    response = client.post("/account/login/", {"identifier": "BENCH00001", "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit("the benchmark patron could not sign in")
    return client


def run(home: Path, repeat: int, languages: list[str]) -> dict[str, object]:
    os.environ["KITAB_HOME"] = str(home.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.test import Client

    # Static file names as written, so the pages render without `collectstatic` into the catalogue's home.
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    search_urls = _search_urls()
    record_urls = [f"/record/{pk}/" for pk in _record_ids(home)]
    results: dict[str, object] = {}
    try:
        with transaction.atomic():
            for who in ("visitor", "patron"):
                client = Client(HTTP_HOST="127.0.0.1")
                if who == "patron":
                    _patron_client(client)
                for language in languages:
                    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                    for kind, urls in (("search", search_urls), ("record", record_urls)):
                        row = _time(client, urls, repeat)
                        results[f"{kind}/{who}/{language}"] = row
                        print(f"{kind:7} {who:8} {language}  median {row['median_ms']:7.2f} ms  "
                              f"p95 {row['p95_ms']:7.2f} ms  max {row['max_ms']:7.2f} ms  "
                              f"queries {row['queries_median']}..{row['queries_max']}", flush=True)
            raise _Rollback
    except _Rollback:
        pass
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=BENCH_VAR / "import")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--languages", default="en,az,fa")
    args = parser.parse_args()
    results = run(args.home, args.repeat, args.languages.split(","))
    name = args.home.resolve().name
    write_json(BENCH_VAR / f"opac-pages-{name}.json",
               {"home": str(args.home), "repeat": args.repeat, "machine": machine(), "load": os.getloadavg(),
                "pages": results})


if __name__ == "__main__":
    main()
