"""search_targets and import_remote_record: several targets at once (Kitab's own Z39.50 and SRU servers, a dead
one and a hung one), and imports that add, then update, never duplicate."""

from __future__ import annotations

import time

import pymarc
import pytest

from kitab.catalogue.display import record_from_raw
from kitab.catalogue.models import Record
from kitab.copycat import selectors, services
from kitab.copycat.clients import QueryFields
from kitab.copycat.errors import CopycatError
from kitab.copycat.models import RemoteTarget
from kitab.core.actor import Actor
from kitab.marc.writer import to_iso2709

from .conftest import RemoteLibrary
from .test_clients import TRANSVAAL, _demo

ACTOR = Actor(channel="staff", username="cataloguer")


@pytest.fixture
def z_target(db: None, remote_library: RemoteLibrary) -> RemoteTarget:
    return RemoteTarget.objects.create(
        name="Remote Z39.50", protocol="z3950", host="127.0.0.1", port=remote_library.z3950_port, database="Default"
    )


@pytest.fixture
def sru_target(db: None, remote_library: RemoteLibrary) -> RemoteTarget:
    return RemoteTarget.objects.create(
        name="Remote SRU", protocol="sru", host="127.0.0.1", port=remote_library.http_port, database="/sru"
    )


def _fields(record) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(f) for f in record.fields]


def test_targets_are_searched_at_once_and_failures_stay_in_their_column(z_target, sru_target, silent_port, closed_port):
    hung = RemoteTarget.objects.create(name="Hung", host="127.0.0.1", port=silent_port, database="Default")
    dead = RemoteTarget.objects.create(name="Dead", protocol="sru", host="127.0.0.1", port=closed_port)
    started = time.monotonic()
    results = services.search_targets([z_target, hung, sru_target, dead], TRANSVAAL, timeout=2)
    assert time.monotonic() - started < 6  # in parallel: the hung target costs its own timeout only
    assert [r.target for r in results] == [z_target, hung, sru_target, dead]
    z, h, s, d = results
    assert z.ok and s.ok and z.total == s.total == 1
    expected = _fields(record_from_raw(_demo("00000200")))
    assert _fields(z.records[0].record) == expected
    assert _fields(s.records[0].record) == expected
    assert "did not answer within 2 seconds" in (h.error or "")
    assert "Cannot connect" in (d.error or "")


def test_empty_query_is_refused(z_target):
    with pytest.raises(CopycatError) as excinfo:
        services.search_targets([z_target], QueryFields(title=" "))
    assert excinfo.value.code == "empty_query"


@pytest.mark.parametrize("which", ["z_target", "sru_target"])
def test_import_adds_then_updates_never_duplicates(which, request):
    target = request.getfixturevalue(which)
    [result] = services.search_targets([target], TRANSVAAL)
    remote = result.records[0]
    assert selectors.local_candidates(remote.record) == []

    first = services.import_remote_record(target=target, raw=remote.data, actor=ACTOR)
    assert first.status == "added"
    local = Record.objects.get()
    assert local.pk == first.record_id
    assert _fields(record_from_raw(local.raw)) == _fields(record_from_raw(_demo("00000200")))

    [candidate] = selectors.local_candidates(remote.record)
    assert candidate.record.pk == local.pk and candidate.updates_on_import
    assert "ctl" in candidate.kinds and "035" in candidate.kinds

    again = services.import_remote_record(target=target, raw=remote.data, actor=ACTOR)
    assert (again.record_id, again.status) == (local.pk, "unchanged")

    changed = record_from_raw(remote.data) if remote.format == "iso2709" else remote.record
    changed["245"]["a"] = "The Transvaal (revised)"
    updated = services.import_remote_record(
        target=RemoteTarget(name="edited", host="x", record_syntax="usmarc"), raw=to_iso2709(changed), actor=ACTOR
    )
    assert (updated.record_id, updated.status) == (local.pk, "updated")
    assert Record.objects.count() == 1
    assert Record.objects.get().title.startswith("The Transvaal (revised)")


def test_isbn_match_is_shown_as_a_candidate(db, z_target):
    [result] = services.search_targets([z_target], TRANSVAAL)
    remote = result.records[0]
    other = record_from_raw(remote.data)
    other["001"].data = "local-1"
    other.remove_fields("035", "003", "010")
    other.add_field(pymarc.Field(tag="020", indicators=[" ", " "],
                                                subfields=[pymarc.Subfield("a", "9780306406157")]))
    services.import_remote_record(target=z_target, raw=to_iso2709(other), actor=ACTOR)
    remote.record.add_field(pymarc.Field(tag="020", indicators=[" ", " "],
                                                       subfields=[pymarc.Subfield("a", "0-306-40615-2")]))
    [candidate] = selectors.local_candidates(remote.record)
    assert candidate.kinds == ["isbn"] and not candidate.updates_on_import


def test_unreadable_record_is_refused(z_target):
    with pytest.raises(CopycatError) as excinfo:
        services.import_remote_record(target=z_target, raw=b"00010nam  garbage", actor=ACTOR)
    assert excinfo.value.code == "unreadable_record"
    assert Record.objects.count() == 0
