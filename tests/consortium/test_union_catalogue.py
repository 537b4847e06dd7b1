"""End to end: two Kitab sites on loopback, each a `kitab serve` with its own KITAB_HOME and its own real records,
harvested by a third (the union catalogue) with `kitab harvest run`, as operators would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pymarc import Field, Subfield

from kitab.marc.iso2709 import parse_record
from kitab.marc.writer import to_iso2709
from tests.conftest import REPO_ROOT, demo_raw_records
from tests.live_servers import free_port

pytestmark = pytest.mark.slow

SNIPPET_HEAD = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
import django
django.setup()
"""



def _env(home: Path, name: str) -> dict[str, str]:
    env = dict(os.environ, KITAB_HOME=str(home), DJANGO_SETTINGS_MODULE="config.settings.prod",
               KITAB_LIBRARY_NAME=name, KITAB_OAI_PAGE_SIZE="25", KITAB_OAI_REPOSITORY_ID=name.lower())
    for key in ("KITAB_DATABASE_URL", "KITAB_INDEX_DIR", "KITAB_STATIC_ROOT"):
        env.pop(key, None)
    return env


def _kitab(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kitab.cli", *args], check=False, env=env, cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=300)


def _python(env: dict[str, str], code: str) -> object:
    done = subprocess.run([sys.executable, "-c", SNIPPET_HEAD + code], check=False, env=env, cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _wait_for(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            assert server.poll() is None, server.stdout.read() if server.stdout else ""
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)


class Site:
    def __init__(self, root: Path, name: str) -> None:
        self.home = root / name
        self.home.mkdir()
        self.name = name
        self.env = _env(self.home, name)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen[str] | None = None

    def import_records(self, raws: list[bytes], label: str) -> dict[str, object]:
        path = self.home / f"{label}.mrc"
        path.write_bytes(b"".join(raws))
        done = _kitab(self.env, "import", str(path), "--json", "--quiet")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def serve(self) -> None:
        self.server = subprocess.Popen(
            [sys.executable, "-m", "kitab.cli", "serve", "--port", str(self.port), "--workers", "1"],
            env=self.env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        _wait_for(self.url + "/oai?verb=Identify", self.server)

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(15)


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[tuple[Site, Site, Site]]:
    made = (Site(tmp_path, "ALPHA"), Site(tmp_path, "BETA"), Site(tmp_path, "UNION"))
    try:
        yield made
    finally:
        for site in made:
            site.stop()


def _harvest(union: Site, *codes: str) -> dict[str, dict[str, object]]:
    done = _kitab(union.env, "harvest", "run", *codes, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    return {run["member"]: run for run in json.loads(done.stdout)}


def test_union_catalogue_harvests_two_kitab_sites(sites: tuple[Site, Site, Site]) -> None:
    alpha, beta, union = sites
    raws = list(demo_raw_records(130))
    # Different real records, overlapping by ten: those ten are held by both libraries.
    assert alpha.import_records(raws[0:70], "alpha")["added"] == 70
    assert beta.import_records(raws[60:130], "beta")["added"] == 70
    alpha.serve()
    beta.serve()

    for site in (alpha, beta):
        done = _kitab(union.env, "harvest", "add", site.name, f"Library {site.name}", site.url + "/oai")
        assert done.returncode == 0, done.stderr
    runs = _harvest(union)
    for code in ("ALPHA", "BETA"):
        assert (runs[code]["status"], runs[code]["added"], runs[code]["rejected"]) == ("finished", 70, 0)
        assert runs[code]["pages"] == 3  # 25 per page: resumption tokens followed

    # Every record of each member arrived, with the right source.
    by_source = _python(union.env, """
from kitab.catalogue.models import Record
out = {}
for source, cn in Record.objects.values_list("source", "control_number"):
    out.setdefault(source, []).append(cn)
print(json.dumps({k: sorted(v) for k, v in out.items()}))
""")
    member_numbers = """
from kitab.catalogue.models import Record
print(json.dumps(sorted(Record.objects.values_list("control_number", flat=True))))
"""
    assert by_source == {"ALPHA": _python(alpha.env, member_numbers), "BETA": _python(beta.env, member_numbers)}

    # Change one record and delete another at ALPHA; the next harvest picks up exactly those.
    record, _warnings = parse_record(raws[3])
    record.add_ordered_field(Field(tag="500", indicators=[" ", " "], subfields=[Subfield("a", "Rebound 2025.")]))
    assert alpha.import_records([to_iso2709(record)], "changed")["updated"] == 1
    gone = _python(alpha.env, """
from kitab.catalogue.models import Record
from kitab.catalogue.services import delete_records
from kitab.core.actor import Actor
record = Record.objects.order_by("pk")[10]
delete_records([record.pk], actor=Actor.system())
print(json.dumps(record.control_number))
""")
    time.sleep(1.1)  # datestamps have seconds granularity
    runs = _harvest(union)
    assert (runs["ALPHA"]["added"], runs["ALPHA"]["updated"], runs["ALPHA"]["deleted"]) == (0, 1, 1)
    assert (runs["BETA"]["added"], runs["BETA"]["updated"], runs["BETA"]["deleted"]) == (0, 0, 0)
    assert runs["ALPHA"]["from"]  # incremental

    state = _python(union.env, f"""
from kitab.catalogue.models import Record
from kitab.search.services import SearchRequest, search
changed = Record.objects.get(source="ALPHA", control_number={parse_record(raws[3])[0]['001'].data.strip()!r})
shared = Record.objects.filter(source="BETA").order_by("pk").first()
title = shared.title
alpha = search(SearchRequest(filters={{"library": ["ALPHA"]}}, limit=1))
beta = search(SearchRequest(filters={{"library": ["BETA"]}}, limit=1))
grouped = search(SearchRequest(query='title:"' + title + '"', group=True, limit=50))
print(json.dumps({{
    "changed": b"Rebound 2025." in bytes(changed.raw),
    "deleted_gone": not Record.objects.filter(source="ALPHA", control_number={gone!r}).exists(),
    "alpha": alpha.total, "beta": beta.total,
    "library_facet": {{v.value: v.count for v in alpha.facets["library"]}},
    "shared_cn": shared.control_number,
    "grouped": [[h.control_number, h.group_size, sorted(h.holders), h.holder_records] for h in grouped.hits],
}}))
""")
    assert state["changed"] and state["deleted_gone"]
    assert (state["alpha"], state["beta"]) == (69, 70)
    assert state["library_facet"] == {"ALPHA": 69, "BETA": 70}  # counted under the other filters only
    shared = [g for g in state["grouped"] if g[0] == state["shared_cn"]]
    assert len(shared) == 1  # held by both, shown once
    assert shared[0][1] == 2 and shared[0][2] == ["ALPHA", "BETA"]
    assert set(shared[0][3]) == {"ALPHA", "BETA"}

    # The union's OPAC groups (it has two sources) and links to each member's record.
    union.serve()
    query = urllib.request.quote(f'title:"{_python(union.env, _title_of(state["shared_cn"]))}"')
    html = urllib.request.urlopen(f"{union.url}/search/?q={query}", timeout=10).read().decode("utf-8")
    assert "Library ALPHA" in html and "Library BETA" in html
    record_ids = shared[0][3]
    assert f'/record/{record_ids["ALPHA"]}/' in html and f'/record/{record_ids["BETA"]}/' in html


def _title_of(control_number: str) -> str:
    return f"""
from kitab.catalogue.models import Record
print(json.dumps(Record.objects.filter(source="BETA", control_number={control_number!r}).first().title))
"""
