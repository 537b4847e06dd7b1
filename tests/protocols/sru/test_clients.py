"""Third-party SRU clients against a live Kitab server on loopback: sruthi (Python, from PyPI) and YAZ's
yaz-client and zoomsh (Debian package yaz; marked `yaz`)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from kitab.search.services import search
from kitab.search.types import SearchRequest


def _total(query: str) -> int:
    return search(SearchRequest(query=query, limit=0, facets=False)).total


@pytest.fixture
def sru_url(live_server, transactional_db, import_demo) -> str:  # type: ignore[no-untyped-def]
    import_demo(200)
    return live_server.url + "/sru"


def test_sruthi_searchretrieve_pages_and_explain(sru_url):
    sruthi = pytest.importorskip("sruthi")
    client = sruthi.Client(url=sru_url, maximum_records=4, record_schema="dc", sru_version="1.2")
    records = client.searchretrieve(query="dc.title = history")
    assert records.count == _total("title:history") > 8
    fetched = list(records)  # sruthi follows nextRecordPosition page by page
    assert len(fetched) == records.count
    assert all(r["title"] and "history" in r["title"].lower() for r in fetched)
    assert all(r["schema"] == "info:srw/schema/1/dc-v1.1" for r in fetched)

    marc = sruthi.Client(url=sru_url, maximum_records=2, record_schema="marcxml").searchretrieve("history")
    assert marc.count == _total("history")
    assert marc[0]["leader"] and any(f["tag"] == "245" for f in marc[0]["datafield"])

    info = sruthi.explain(sru_url)
    assert info.sru_version == "1.2"
    assert info.index["dc"]["title"] == "Title"
    assert info.index["bath"]["isbn"] == "ISBN"
    assert set(info.schema) == {"marcxml", "dc"}
    assert info.config["maximumRecords"] == 100
    assert info.config["defaults"]["numberOfRecords"] == 10


def test_sruthi_reports_diagnostics(sru_url):
    sruthi = pytest.importorskip("sruthi")
    with pytest.raises(sruthi.errors.SruError, match="Unsupported index"):
        list(sruthi.searchretrieve(sru_url, query="dc.nothing = x"))


def _run(tool: str, args: list[str], stdin: str | None = None) -> str:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed (Debian package yaz)")
    done = subprocess.run([exe, *args], check=False, input=stdin, capture_output=True, text=True, timeout=60)
    return done.stdout + done.stderr


def _yaz_client(*commands: str) -> str:
    return _run("yaz-client", [], "\n".join([*commands, "quit"]) + "\n")


@pytest.mark.yaz
@pytest.mark.parametrize("transport", ["sru get 1.2", "sru post 1.2", "sru get 2.0"])
def test_yaz_client_find_show_scan(sru_url, transport):
    out = _yaz_client(f"open {sru_url}", transport, "querytype cql", "find dc.title = history", "show 1",
                      "scan dc.title=historical")
    print(out)
    assert f"Number of hits: {_total('title:history')}" in out
    assert "pos=1 schema=info:srw/schema/1/marcxml-v1.1" in out
    assert '<datafield tag="245"' in out
    assert "Historical encyclopedia of Illinois: 1" in out
    assert "Diagnostic" not in out


@pytest.mark.yaz
def test_yaz_client_shows_diagnostics_and_dublin_core(sru_url):
    out = _yaz_client(f"open {sru_url}", "sru get 1.2", "querytype cql", "find dc.nothing = x")
    assert "info:srw/diagnostic/1/16" in out or "Unsupported index" in out
    out = _yaz_client(f"open {sru_url}", "sru get 1.2", "querytype cql", "schema dc",
                      'find dc.title = "philosophy of history"', "show 1")
    print(out)
    assert "pos=1 schema=info:srw/schema/1/dc-v1.1" in out
    assert "<dc:title>The philosophy of history</dc:title>" in out


@pytest.mark.yaz
def test_zoomsh_search_and_show(sru_url):
    # options apply to the next connection; without "sru get" ZOOM would speak SRW (SOAP), which Kitab lacks
    out = _run("zoomsh", ["set sru get", "set sru_version 1.2", f"connect {sru_url}",
                          'search cql:dc.title="philosophy of history"', "show 0 1", "quit"])
    # zoomsh reads PQF unless the query starts with "cql:"
    print(out)
    hits = _total('title:"philosophy of history"')
    assert f"{sru_url}: {hits} hits" in out
    assert "The philosophy of history" in out
