"""The Z39.50 client against YAZ's test server (yaz-ztest, Debian package yaz): another implementation than
ours, with its own synthetic records. Marked `yaz`."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

from kitab.catalogue.models import Record
from kitab.copycat import services
from kitab.copycat.clients import QueryFields, TargetError, z3950
from kitab.copycat.models import RemoteTarget
from kitab.core.actor import Actor
from tests.live_servers import free_port

pytestmark = pytest.mark.yaz


@pytest.fixture(scope="module")
def ztest_port() -> Iterator[int]:
    if shutil.which("yaz-ztest") is None:
        pytest.skip("yaz-ztest is not installed (Debian package yaz)")
    port = free_port()
    proc = subprocess.Popen(["yaz-ztest", f"tcp:127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                z3950.search("127.0.0.1", port, "Default", QueryFields(title="x"), limit=1, timeout=2)
                break
            except TargetError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("yaz-ztest did not start")
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.parametrize("syntax", ["usmarc", "xml"])
def test_search_and_present(ztest_port: int, syntax: str):
    got = z3950.search("127.0.0.1", ztest_port, "Default", QueryFields(title="computer", author="collins"),
                       limit=3, record_syntax=syntax, timeout=10)
    assert got.total > 0
    assert [position for position, _data in got.records] == [1, 2, 3]


def test_records_are_read_and_imported_once(db: None, ztest_port: int):
    target = RemoteTarget.objects.create(name="YAZ test server", host="127.0.0.1", port=ztest_port,
                                         database="Default")
    [result] = services.search_targets([target], QueryFields(title="computer"), limit=5)
    assert result.ok, result.error
    readable = [r for r in result.records if r.record is not None]
    assert readable and all(r.error is None for r in readable)
    first = readable[0]
    assert first.record["245"] is not None
    added = services.import_remote_record(target=target, raw=first.data, actor=Actor.system())
    again = services.import_remote_record(target=target, raw=first.data, actor=Actor.system())
    assert added.status == "added" and again.status == "unchanged"
    assert again.record_id == added.record_id and Record.objects.count() == 1
