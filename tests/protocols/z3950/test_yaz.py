"""Real Z39.50 clients (YAZ's yaz-client and zoomsh, Debian package yaz) against `kitab z3950 serve`
running as its own process over a throw-away KITAB_HOME with 200 imported LoC demo records. Marked `yaz`."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pymarc
import pytest

from kitab.marc.iso2709 import parse_record
from kitab.protocols.z3950 import codec
from tests.conftest import REPO_ROOT, demo_raw_records
from tests.live_servers import protocol_server

pytestmark = pytest.mark.yaz


@dataclass
class Live:
    port: int
    env: dict[str, str]
    home: Path

    @property
    def target(self) -> str:
        return f"tcp:127.0.0.1:{self.port}/Default"

    def kitab(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "kitab.cli", *args],
            env=self.env,
            cwd=REPO_ROOT,
            capture_output=True,
            check=True,
            timeout=120,
        )

    def export(self, query: str) -> bytes:
        return self.kitab("export", "--query", query).stdout


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    for tool in ("yaz-client", "zoomsh"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian package yaz)")
    home = tmp_path_factory.mktemp("kitab-z3950")
    env = dict(os.environ, KITAB_HOME=str(home), DJANGO_SETTINGS_MODULE="config.settings.prod")
    for name in ("KITAB_DATABASE_URL", "KITAB_INDEX_DIR"):
        env.pop(name, None)
    demo = home / "demo.mrc"
    demo.write_bytes(b"".join(demo_raw_records(200)))
    subprocess.run(
        [sys.executable, "-m", "kitab.cli", "import", str(demo), "--quiet", "--json"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
        timeout=120,
    )
    with protocol_server("z3950", env) as port:
        yield Live(port, env, home)


def yaz_client(live: Live, *commands: str, marc_file: Path | None = None) -> str:
    args = ["yaz-client"] + (["-m", str(marc_file)] if marc_file else [])
    script = "\n".join([f"open {live.target}", *commands, "quit"]) + "\n"
    done = subprocess.run(args, input=script, capture_output=True, text=True, timeout=60, check=False)
    return done.stdout + done.stderr


def _hits(out: str) -> list[int]:
    return [int(n) for n in re.findall(r"Number of hits: (\d+)", out)]


def test_usmarc_records_are_the_exported_bytes(live, tmp_path):
    expected = live.export("title:history")
    n = expected.count(b"\x1d")
    assert n > 5
    marc = tmp_path / "retrieved.mrc"
    out = yaz_client(live, "find @attr 1=4 history", "format usmarc", f"show 1+{n}", "close", marc_file=marc)
    assert _hits(out) == [n]
    assert f"Records: {n}" in out
    assert marc.read_bytes() == expected  # byte for byte, in the search service's order


def test_xml_records_are_marcxml_of_the_stored_records(live, tmp_path):
    expected = [chunk + b"\x1d" for chunk in live.export("subject:history").split(b"\x1d")[:-1]]
    assert len(expected) >= 3
    xml_file = tmp_path / "retrieved.xml"
    out = yaz_client(
        live, "find @attr 1=21 history", "format xml", "elements F", "show 1+3", marc_file=xml_file
    )
    assert "Record type: XML" in out
    docs = [d for d in xml_file.read_bytes().split(b'<?xml version="1.0" encoding="UTF-8"?>') if d.strip()]
    assert len(docs) == 3
    for doc, raw in zip(docs, expected[:3], strict=True):
        from_xml = pymarc.parse_xml_to_array(io.BytesIO(doc))[0]
        stored, _warnings = parse_record(raw)
        assert str(from_xml.leader) == str(stored.leader)
        assert [str(f) for f in from_xml.fields] == [str(f) for f in stored.fields]


def test_boolean_queries_and_counts(live):
    cases = {
        "@and @attr 1=4 history @attr 1=31 @attr 2=4 1900": "title:history year:>=1900",
        "@or @attr 1=4 history @attr 1=21 poetry": "title:history OR subject:poetry",
        "@not @attr 1=1016 history @attr 1=4 history": "history -title:history",
        "@attr 1=4 @attr 5=1 hist": "title:hist*",
        '@attr 1=4 @attr 4=1 "philosophy of history"': 'title:"philosophy of history"',
    }
    out = yaz_client(live, *[f"find {q}" for q in cases])
    expected = [live.export(q).count(b"\x1d") for q in cases.values()]
    assert _hits(out) == expected
    assert "Diagnostic" not in out


def test_scan(live):
    out = yaz_client(live, "scan @attr 1=4 history", "scan @attr 1=1003 smith")
    assert out.count("Received ScanResponse") == 2
    entries = re.findall(r"^[* ] (.+) \((\d+)\)$", out, re.MULTILINE)
    assert len(entries) == 40
    titles = [t for t, _n in entries[:20]]
    assert titles == sorted(titles, key=str.lower)
    assert titles[0].lower() >= "history"
    assert all(int(n) >= 1 for _t, n in entries)


def test_diagnostics(live):
    out = yaz_client(
        live,
        "find @attr 1=9999 x",
        "find @attr 1=4 @attr 5=2 x",
        "find @attr 1=4 history",
        "format sutrs",
        "show 1",
        "format usmarc",
        "show 10000",
        "scan @attr 1=21 history",
        "base Nowhere",
        "find history",
    )
    print(out)
    assert "[114] Unsupported Use attribute -- v3 addinfo '9999'" in out
    assert "[120] Unsupported Truncation attribute -- v3 addinfo '2'" in out
    assert "[239] Record syntax not supported -- v3 addinfo '1.2.840.10003.5.101'" in out
    assert "[13] Present request out of range -- v3 addinfo 'start 10000" in out
    assert "[114] Unsupported Use attribute -- v3 addinfo '21'" in out
    assert "[235] Database does not exist -- v3 addinfo 'Nowhere'" in out


def test_named_result_sets(live, tmp_path):
    # yaz-client names its result sets 1, 2, ...; "show POS+COUNT+SET" presents from an earlier one
    marc = tmp_path / "sets.mrc"
    out = yaz_client(
        live,
        "find @attr 1=4 history",
        "find @attr 1=31 1899",
        "show 2+1+1",
        "show 1+1+2",
        "show 1+1+1",
        marc_file=marc,
    )
    assert "Diagnostic" not in out
    history = [c + b"\x1d" for c in live.export("title:history").split(b"\x1d")[:2]]
    year = live.export("year:1899").split(b"\x1d")[0] + b"\x1d"
    assert marc.read_bytes() == history[1] + year + history[0]


def test_concurrent_sessions(live):
    n = live.export("title:history").count(b"\x1d")

    def yaz(_i: int) -> str:
        return yaz_client(live, "find @attr 1=4 history", f"show 1+{n}", "scan @attr 1=4 a", "close")

    def zoom(_i: int) -> str:
        done = subprocess.run(
            [
                "zoomsh",
                f"connect {live.target}",
                "set preferredRecordSyntax usmarc",
                "search @attr 1=4 history",
                f"show 0 {n}",
                "quit",
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return done.stdout + done.stderr

    with ThreadPoolExecutor(max_workers=10) as pool:
        yaz_runs = [pool.submit(yaz, i) for i in range(6)]
        zoom_runs = [pool.submit(zoom, i) for i in range(4)]
        for run in yaz_runs:
            out = run.result()
            assert _hits(out) == [n] and f"Records: {n}" in out and "Received ScanResponse" in out
        for run in zoom_runs:
            out = run.result()
            assert f"{live.target}: {n} hits" in out
            assert out.count("syntax=USmarc") == n


def test_garbage_and_truncated_apdus_do_not_hurt_other_clients(live):
    # garbage on one connection
    with socket.create_connection(("127.0.0.1", live.port), timeout=10) as s:
        s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + os.urandom(200))  # a TLS hello, say
        s.settimeout(10)
        while s.recv(4096):
            pass  # the server closes the connection
    # a truncated search request after a proper Init, left hanging on another
    hanging = socket.create_connection(("127.0.0.1", live.port), timeout=10)
    hanging.sendall(codec.encode_apdu(codec.InitializeRequest()))
    search = codec.encode_apdu(
        codec.SearchRequest(
            query=codec.RPNQuery(
                codec.BIB1_ATTRIBUTES,
                codec.AttributesPlusTerm((codec.Attribute(1, 4),), codec.Term("general", b"history")),
            )
        )
    )
    hanging.sendall(search[: len(search) // 2])
    # a huge length field on a third
    with socket.create_connection(("127.0.0.1", live.port), timeout=10) as s:
        s.sendall(b"\xb4\x84\x7f\xff\xff\xff")
        s.settimeout(10)
        while s.recv(4096):
            pass
    try:
        out = yaz_client(live, "find @attr 1=4 history", "show 1", "close")
        assert _hits(out) == [live.export("title:history").count(b"\x1d")]
        assert "Record type: USmarc" in out
    finally:
        hanging.close()
