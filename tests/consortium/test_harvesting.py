"""The harvester against a fake OAI-PMH repository: paging, resuming, incremental harvests, deletions, errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kitab.catalogue import services as catalogue_services
from kitab.catalogue.models import DeletedRecord, Record, RecordIdentifier
from kitab.consortium.errors import ConsortiumError
from kitab.consortium.harvesting import harvest, harvest_members
from kitab.consortium.models import HarvestRun, MemberLibrary
from kitab.consortium.services import add_member
from kitab.core.actor import Actor
from kitab.search.services import SearchRequest, search
from tests.conftest import demo_raw_records

from .conftest import demo_xml, error, list_page, record_xml

ACTOR = Actor.system()


def _ids(code: str, numbers: range) -> list[str]:
    return [f"oai:{code.lower()}:{n}" for n in numbers]


@pytest.fixture
def twelve() -> list[str]:
    return demo_xml(12)


def _three_pages(repository, records: list[str], code: str = "north") -> None:
    ids = _ids(code, range(12))
    rows = [record_xml(ids[n], records[n]) for n in range(12)]
    repository.pages[""] = list_page(rows[0:4], "p2")
    repository.pages["p2"] = list_page(rows[4:8], "p3")
    repository.pages["p3"] = list_page(rows[8:12], "")


@pytest.fixture
def member(db, repository) -> MemberLibrary:
    return add_member("NORTH", "North Library", repository.url, actor=ACTOR)


def test_full_harvest_follows_resumption_tokens(member, repository, twelve):
    _three_pages(repository, twelve)
    run = harvest(member, actor=ACTOR)
    assert run.status == HarvestRun.Status.FINISHED, run.error
    assert (run.pages, run.added, run.updated, run.deleted, run.rejected) == (3, 12, 0, 0, 0)
    assert [q.get("resumptionToken") for q in repository.list_requests()] == [None, "p2", "p3"]
    assert "from" not in repository.list_requests()[0]  # never harvested: everything
    assert set(Record.objects.values_list("source", flat=True)) == {"NORTH"}
    member.refresh_from_db()
    assert member.last_datestamp == datetime(2025, 5, 1, 10, 0, tzinfo=UTC)  # the repository's clock
    assert member.resumption_token == "" and member.harvest_started is None
    # Indexed, with the library facet and filter.
    result = search(SearchRequest(filters={"library": ["NORTH"]}, limit=1))
    assert result.total == 12
    assert {v.value: v.count for v in result.facets["library"]} == {"NORTH": 12}


def test_incremental_harvest_picks_up_changes_and_deletions(member, repository, twelve):
    _three_pages(repository, twelve)
    assert harvest(member, actor=ACTOR).status == "finished"
    ids = _ids("north", range(12))
    first = Record.objects.get(identifiers__kind="oai", identifiers__value=f"NORTH|{ids[0]}")
    doomed = Record.objects.get(identifiers__kind="oai", identifiers__value=f"NORTH|{ids[5]}")
    changed = twelve[0].replace("</record>", '<datafield tag="500" ind1=" " ind2=" ">'
                                              '<subfield code="a">Changed at the member.</subfield></datafield></record>')
    repository.pages.clear()
    repository.requests.clear()
    repository.pages[""] = list_page(
        [record_xml(ids[0], changed), record_xml(ids[1], twelve[1]), record_xml(ids[5], None)],
        response_date="2025-05-02T08:00:00Z",
    )
    run = harvest(member, actor=ACTOR)
    assert run.status == "finished", run.error
    assert (run.added, run.updated, run.unchanged, run.deleted) == (0, 1, 1, 1)
    assert repository.list_requests()[0]["from"] == "2025-05-01T09:55:00Z"  # last harvest minus the overlap
    assert Record.objects.count() == 11
    first.refresh_from_db()
    assert b"Changed at the member." in bytes(first.raw)
    tombstone = DeletedRecord.objects.get(pk=doomed.pk)  # our own tombstone, for our harvesters
    assert tombstone.control_key.startswith("NORTH|")
    # The same deletion reported again (overlapping harvests) changes nothing.
    again = harvest(member, actor=ACTOR)
    assert (again.status, again.deleted, again.updated) == ("finished", 0, 0)
    # A deleted record that comes back is revived under its old id.
    repository.pages[""] = list_page([record_xml(ids[5], twelve[5])])
    back = harvest(member, actor=ACTOR)
    assert back.added == 1 and Record.objects.filter(pk=doomed.pk, source="NORTH").exists()


def test_interrupted_harvest_resumes_from_the_saved_page(member, repository, twelve):
    _three_pages(repository, twelve)
    repository.fail_once["p3"] = 500
    run = harvest(member, actor=ACTOR)
    assert run.status == "failed"
    assert "HTTP 500" in run.error
    assert (run.pages, run.added) == (2, 8)
    member.refresh_from_db()
    assert member.resumption_token == "p3" and member.harvest_started is not None
    assert Record.objects.count() == 8

    repository.requests.clear()
    again = harvest(member, actor=ACTOR)
    assert again.status == "finished" and again.resumed
    assert [q.get("verb") for q in repository.requests] == ["ListRecords"]  # no Identify, no first page again
    assert repository.requests[0]["resumptionToken"] == "p3"
    assert (again.pages, again.added) == (1, 4)
    assert Record.objects.count() == 12
    values = list(RecordIdentifier.objects.filter(kind="oai").values_list("value", flat=True))
    assert len(values) == len(set(values)) == 12
    member.refresh_from_db()
    assert member.last_datestamp == datetime(2025, 5, 1, 10, 0, tzinfo=UTC)


def test_a_page_is_stored_whole_or_not_at_all(member, repository, twelve, monkeypatch):
    ids = _ids("north", range(12))
    repository.pages[""] = list_page([record_xml(ids[n], twelve[n]) for n in range(4)], "p2")
    repository.pages["p2"] = list_page([record_xml(ids[n], twelve[n]) for n in range(4, 8)]
                                       + [record_xml(ids[0], None)], "")

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(catalogue_services, "delete_records", explode)
    run = harvest(member, actor=ACTOR)
    assert run.status == "failed" and "disk full" in run.error
    assert run.pages == 1
    assert Record.objects.count() == 4  # none of page 2's records
    member.refresh_from_db()
    assert member.resumption_token == "p2"  # page 2 is asked for again next time


def test_no_records_match_is_an_empty_harvest(member, repository):
    run = harvest(member, actor=ACTOR)
    assert run.status == "finished" and run.pages == 0
    member.refresh_from_db()
    assert member.last_datestamp is not None


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (error("cannotDisseminateFormat", "no marc21 here"), "cannotDisseminateFormat: no marc21 here"),
        (503, "HTTP 503"),
        (b"<html>not xml", "well-formed XML"),
        (b"<other/>", "not answer with an OAI-PMH document"),
    ],
)
def test_errors_fail_the_run_with_a_clear_message(member, repository, answer, message):
    repository.pages[""] = answer
    run = harvest(member, actor=ACTOR)
    assert run.status == "failed"
    assert message in run.error
    assert Record.objects.count() == 0
    member.refresh_from_db()
    assert member.last_datestamp is None


def test_unreachable_repository(db):
    member = add_member("GONE", "Gone", "http://127.0.0.1:9/oai", actor=ACTOR)
    run = harvest(member, actor=ACTOR)
    assert run.status == "failed" and "Cannot reach" in run.error


def test_records_that_are_not_marc_are_rejected_and_the_rest_stored(member, repository, twelve):
    dc = '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"><title>x</title></oai_dc:dc>'
    repository.pages[""] = list_page([record_xml("oai:x:1", dc), record_xml("oai:x:2", twelve[0]),
                                      "<record><header><identifier>oai:x:3</identifier></header></record>"])
    run = harvest(member, actor=ACTOR)
    assert (run.status, run.added, run.rejected) == ("finished", 1, 2)


def test_an_expired_token_restarts_the_list_with_the_same_from(member, repository, twelve):
    _three_pages(repository, twelve)
    MemberLibrary.objects.filter(pk=member.pk).update(
        resumption_token="stale", harvest_from="2025-01-01T00:00:00Z",
        harvest_started=datetime(2025, 4, 30, tzinfo=UTC),
    )
    member.refresh_from_db()
    run = harvest(member, actor=ACTOR)
    assert run.status == "finished" and run.added == 12
    assert repository.list_requests()[1]["from"] == "2025-01-01T00:00:00Z"
    member.refresh_from_db()
    assert member.last_datestamp == datetime(2025, 4, 30, tzinfo=UTC)


def test_full_harvest_ignores_the_last_datestamp_and_saved_token(member, repository, twelve):
    _three_pages(repository, twelve)
    MemberLibrary.objects.filter(pk=member.pk).update(resumption_token="p3",
                                                      last_datestamp=datetime(2025, 1, 1, tzinfo=UTC))
    member.refresh_from_db()
    run = harvest(member, actor=ACTOR, full=True)
    assert run.status == "finished" and run.added == 12 and not run.resumed
    assert "from" not in repository.list_requests()[0]


def test_members_with_the_same_control_numbers_stay_apart(db, repository, twelve, marc_file):
    _three_pages(repository, twelve)
    north = add_member("NORTH", "North", repository.url, actor=ACTOR)
    south = add_member("SOUTH", "South", repository.url, actor=ACTOR)
    assert harvest(north, actor=ACTOR).added == 12
    assert harvest(south, actor=ACTOR).added == 12
    assert Record.objects.filter(source="SOUTH").count() == 12
    ctl = RecordIdentifier.objects.filter(kind="ctl", record__source="SOUTH").values_list("value", flat=True)
    assert all(value.startswith("SOUTH|") for value in ctl)
    # A local import of the same records is a third, separate copy whose keys stay 003|001.
    report = catalogue_services.import_file(marc_file(list(demo_raw_records(12))), actor=ACTOR)
    assert report.added == 12
    local = RecordIdentifier.objects.filter(kind="ctl", record__source="").values_list("value", flat=True)
    assert len(local) == 12 and all(value.count("|") == 1 for value in local)


def test_harvest_members_checks_codes(member, repository):
    with pytest.raises(ConsortiumError) as excinfo:
        harvest_members(["NORTH", "NOPE"], actor=ACTOR)
    assert excinfo.value.code == "unknown_member"
    assert HarvestRun.objects.count() == 0


@pytest.mark.parametrize(
    ("code", "url", "error_code"),
    [("local", "http://x/oai", "bad_code"), ("a b", "http://x/oai", "bad_code"), ("OK", "ftp://x", "bad_url"),
     ("NORTH", "http://x/oai", "duplicate_code")],
)
def test_add_member_refuses(member, code, url, error_code):
    with pytest.raises(ConsortiumError) as excinfo:
        add_member(code, "Name", url, actor=ACTOR)
    assert excinfo.value.code == error_code
