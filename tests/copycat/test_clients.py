"""The Z39.50 and SRU clients against Kitab's own servers, running as separate processes, and against targets
that refuse connections or never answer."""

from __future__ import annotations

import time

import pytest

from kitab.copycat.clients import QueryFields, TargetError, sru, z3950
from kitab.marc.iso2709 import parse_record
from tests.conftest import demo_raw_records

from .conftest import RemoteLibrary

TRANSVAAL = QueryFields(title="Transvaal condensed")


def _demo(control_number: str) -> bytes:
    for raw in demo_raw_records(60):
        if parse_record(raw)[0]["001"].data.strip() == control_number:
            return raw
    raise AssertionError(control_number)


def test_queries_from_fields():
    fields = QueryFields(title='war  and "peace"', author="Tolstoy", isbn="")
    assert sru.build_cql(fields) == 'dc.title all "war and \\"peace\\"" and dc.creator all "Tolstoy"'
    query = z3950.build_query(fields)
    assert query.rpn.op == "and"
    assert query.rpn.left.term.value == b'war and "peace"'
    assert [(a.type, a.value) for a in query.rpn.right.attributes] == [(1, 1003), (4, 6)]
    with pytest.raises(ValueError):
        sru.build_cql(QueryFields(title="  "))


def test_z3950_usmarc_records_are_the_stored_bytes(remote_library: RemoteLibrary):
    got = z3950.search("127.0.0.1", remote_library.z3950_port, "Default", TRANSVAAL, timeout=10)
    assert got.total == 1
    assert got.records == [(1, _demo("00000200"))]


def test_z3950_xml_and_limits(remote_library: RemoteLibrary):
    got = z3950.search(
        "127.0.0.1", remote_library.z3950_port, "Default", QueryFields(title="history"),
        limit=2, record_syntax="xml", timeout=10,
    )
    assert got.total >= 3
    assert [position for position, _data in got.records] == [1, 2]
    assert all(data.lstrip().startswith(b"<") for _position, data in got.records)


def test_z3950_diagnostic_is_a_clear_error(remote_library: RemoteLibrary):
    with pytest.raises(TargetError, match=r"\[235\].*Nowhere"):
        z3950.search("127.0.0.1", remote_library.z3950_port, "Nowhere", TRANSVAAL, timeout=10)


def test_sru_marcxml_records(remote_library: RemoteLibrary):
    got = sru.search("127.0.0.1", remote_library.http_port, "/sru", TRANSVAAL, timeout=10)
    assert got.total == 1
    [(position, data)] = got.records
    assert position == 1 and b"Transvaal" in data


def test_sru_diagnostics_and_non_sru_answers(remote_library: RemoteLibrary):
    with pytest.raises(TargetError, match="HTTP 404"):
        sru.search("127.0.0.1", remote_library.http_port, "/no-such-sru", TRANSVAAL, timeout=10)
    body = (
        b'<searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/"><numberOfRecords>0</numberOfRecords>'
        b'<diagnostics><diagnostic xmlns="http://www.loc.gov/zing/srw/diagnostic/">'
        b"<uri>info:srw/diagnostic/1/16</uri><details>foo</details><message>Unsupported index</message>"
        b"</diagnostic></diagnostics></searchRetrieveResponse>"
    )
    with pytest.raises(TargetError, match=r"\[16\] Unsupported index \(foo\)"):
        sru.parse_response(body)
    with pytest.raises(TargetError, match="SRU"):
        sru.parse_response(b"<html><body>hello</body></html>")


@pytest.mark.parametrize("client", ["z3950", "sru"])
def test_refused_connection(client: str, closed_port: int):
    with pytest.raises(TargetError, match="Cannot connect"):
        if client == "z3950":
            z3950.search("127.0.0.1", closed_port, "Default", TRANSVAAL, timeout=5)
        else:
            sru.search("127.0.0.1", closed_port, "/sru", TRANSVAAL, timeout=5)


@pytest.mark.parametrize("client", ["z3950", "sru"])
def test_silent_target_times_out(client: str, silent_port: int):
    started = time.monotonic()
    with pytest.raises(TargetError, match="did not answer within 1 seconds"):
        if client == "z3950":
            z3950.search("127.0.0.1", silent_port, "Default", TRANSVAAL, timeout=1)
        else:
            sru.search("127.0.0.1", silent_port, "/sru", TRANSVAAL, timeout=1)
    assert time.monotonic() - started < 5


def test_unknown_host():
    with pytest.raises(TargetError, match="Cannot connect"):
        z3950.search("no-such-host.invalid", 210, "Default", TRANSVAAL, timeout=3)
