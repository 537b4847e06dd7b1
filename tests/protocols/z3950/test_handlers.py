"""The Z39.50 session over 100 real LoC demo records: search counts equal the search service's, present
returns the stored bytes, result sets, piggybacked records, scan, and the Bib-1 diagnostics."""

from __future__ import annotations

import pytest
from lxml import etree

from kitab.catalogue.models import Record
from kitab.marc.iso2709 import parse_record
from kitab.marc.writer import to_marcxml
from kitab.protocols.z3950 import codec, handlers
from kitab.search.services import search
from kitab.search.types import SearchRequest

from .pqf import pqf

MARC_NS = "http://www.loc.gov/MARC21/slim"


@pytest.fixture
def demo(import_demo):  # type: ignore[no-untyped-def]
    return import_demo(100)


def _session(**config) -> handlers.Session:  # type: ignore[no-untyped-def]
    session = handlers.Session(handlers.Config(**config))
    reply = session.respond(
        codec.InitializeRequest(options=frozenset({"search", "present", "scan", "delSet"}))
    )
    assert reply.apdus[0].result
    return session


def _search(session: handlers.Session, query: str, **kw) -> codec.SearchResponse:  # type: ignore[no-untyped-def]
    reply = session.respond(codec.SearchRequest(query=pqf(query), **kw))
    return reply.apdus[0]


def _ids(query: str) -> list[int]:
    return [h.record_id for h in search(SearchRequest(query=query, limit=1000, facets=False)).hits]


def test_init_negotiation():
    session = handlers.Session(handlers.Config(max_message_size=2 << 20))
    resp = session.respond(
        codec.InitializeRequest(
            reference_id=b"r",
            options=frozenset({"search", "present", "delSet", "sort", "scan", "namedResultSets"}),
            preferred_message_size=8 << 20,
            exceptional_record_size=1 << 20,
            authentication=codec.Authentication("idPass", user="someone", password="secret"),
        )
    ).apdus[0]
    assert resp.result and resp.reference_id == b"r"
    assert resp.protocol_versions == {0, 1, 2}
    assert resp.options == {"search", "present", "scan", "namedResultSets"}
    assert resp.preferred_message_size == resp.exceptional_record_size == 2 << 20
    assert resp.implementation_id == "Kitab"
    assert any("UTF-8" in note for note in resp.character_info)
    # version 2 only: accepted as version 2
    v2 = handlers.Session().respond(codec.InitializeRequest(protocol_versions=frozenset({0, 1}))).apdus[0]
    assert v2.result and v2.protocol_versions == {0, 1}
    # no common version
    none = handlers.Session().respond(codec.InitializeRequest(protocol_versions=frozenset({5})))
    assert not none.apdus[0].result and none.close


def test_protocol_errors_close_the_session():
    session = handlers.Session()
    reply = session.respond(codec.SearchRequest(query=pqf("x")))
    assert reply.close and reply.apdus[0].reason == codec.CLOSE_PROTOCOL_ERROR
    session = _session()
    reply = session.respond(codec.UnsupportedAPDU(26, b"ref"))
    assert reply.close and reply.apdus[0].reference_id == b"ref"
    assert "deleteResultSetRequest" in reply.apdus[0].diagnostic_information
    reply = session.respond(codec.InitializeRequest())
    assert reply.close
    reply = _session().respond(codec.Close(reference_id=b"c"))
    assert reply.close and reply.apdus[0] == codec.Close(reason=codec.CLOSE_FINISHED, reference_id=b"c")


@pytest.mark.parametrize(
    ("rpn", "kitab_query"),
    [
        ("@attr 1=4 history", "title:history"),
        ("@attr 1=1016 history", "history"),
        ("@or @attr 1=4 history @attr 1=21 philosophy", "title:history OR subject:philosophy"),
        ("@not @attr 1=4 history @attr 1=31 @attr 2=5 1899", "title:history -year:>1899"),
        ("@attr 1=4 @attr 5=1 hist", "title:hist*"),
        ("@attr 1=1003 smith", "author:smith"),
        ("@and @attr 1=31 @attr 2=4 1890 @attr 1=54 eng", "year:>=1890 language:eng"),
    ],
)
def test_search_counts_and_order_match_the_search_service(demo, rpn, kitab_query):
    session = _session()
    resp = _search(session, rpn, reference_id=b"s1")
    expected = _ids(kitab_query)
    assert resp.search_status and resp.reference_id == b"s1"
    assert resp.result_count == len(expected) > 0
    assert (
        resp.number_of_records_returned == 0 and resp.records is None
    )  # yaz-client's defaults: no piggyback
    assert session.result_sets["default"].ids == expected


def test_present_usmarc_is_the_stored_record_and_xml_is_marcxml(demo):
    session = _session()
    total = _search(session, "@attr 1=4 history").result_count
    ids = _ids("title:history")
    resp = session.respond(codec.PresentRequest(start_point=2, number_of_records=3, reference_id=b"p")).apdus[
        0
    ]
    assert resp.reference_id == b"p"
    assert resp.present_status == codec.PRESENT_SUCCESS
    assert resp.number_of_records_returned == 3 and resp.next_result_set_position == 5
    raws = {r.pk: bytes(r.raw) for r in Record.objects.filter(pk__in=ids)}
    assert [r.record.data for r in resp.records] == [raws[i] for i in ids[1:4]]
    assert all(r.record.syntax == codec.USMARC and r.database == "Default" for r in resp.records)

    xml = session.respond(
        codec.PresentRequest(
            start_point=1,
            number_of_records=total,
            element_set_names="B",
            preferred_record_syntax=codec.TEXT_XML,
        )
    ).apdus[0]
    assert xml.number_of_records_returned == total and xml.next_result_set_position == 0
    for npr, record_id in zip(xml.records, ids, strict=True):
        assert npr.record.syntax == codec.TEXT_XML
        assert npr.record.data == to_marcxml(parse_record(raws[record_id])[0])
        root = etree.fromstring(npr.record.data)
        assert root.tag == f"{{{MARC_NS}}}record"


def test_named_result_sets_are_kept_apart(demo):
    session = _session()
    a = _search(session, "@attr 1=4 history", result_set_name="a")
    b = _search(session, "@attr 1=31 1899", result_set_name="b")
    assert a.result_count != b.result_count
    first_a = session.respond(codec.PresentRequest(result_set_id="a")).apdus[0].records[0].record.data
    first_b = session.respond(codec.PresentRequest(result_set_id="b")).apdus[0].records[0].record.data
    assert parse_record(first_a)[0]["245"]["a"].lower().count("history")
    assert first_a != first_b
    # replaceIndicator off on an existing name
    again = _search(session, "@attr 1=4 war", result_set_name="a", replace_indicator=False)
    assert not again.search_status and again.diagnostics[0].condition == 21
    # unknown result set
    missing = session.respond(codec.PresentRequest(result_set_id="zzz")).apdus[0]
    assert missing.present_status == codec.PRESENT_FAILURE
    assert (missing.diagnostics[0].condition, missing.diagnostics[0].addinfo) == (30, "zzz")


def test_result_sets_are_stable_and_capped(demo):
    session = _session(max_result_set_records=5, max_result_sets=2)
    resp = _search(session, "@attr 1=1016 the")
    assert resp.result_count > 5  # the real count ...
    assert len(session.result_sets["default"].ids) == 5  # ... but only the first 5 ids are kept
    beyond = session.respond(codec.PresentRequest(start_point=6, number_of_records=1)).apdus[0]
    assert beyond.diagnostics[0].condition == 13
    part = session.respond(codec.PresentRequest(start_point=4, number_of_records=5)).apdus[0]
    assert part.number_of_records_returned == 2 and part.present_status == codec.PRESENT_PARTIAL_2
    # a record deleted after the search comes back as a surrogate diagnostic, positions do not move
    first_id = session.result_sets["default"].ids[0]
    Record.objects.filter(pk=first_id).delete()
    after = session.respond(codec.PresentRequest(start_point=1, number_of_records=2)).apdus[0]
    assert after.number_of_records_returned == 2
    assert after.records[0].record == codec.Diagnostic(14, f"record {first_id} has been deleted")
    assert isinstance(after.records[1].record, codec.ExternalRecord)
    _search(session, "@attr 1=4 history", result_set_name="second")
    third = _search(session, "@attr 1=4 war", result_set_name="third")
    assert third.diagnostics[0].condition == 112


def test_piggybacked_records(demo):
    session = _session()
    total = _search(session, "@attr 1=4 history").result_count
    small = _search(
        session, "@attr 1=4 history", small_set_upper_bound=total, preferred_record_syntax=codec.TEXT_XML
    )
    assert small.number_of_records_returned == total and small.present_status == codec.PRESENT_SUCCESS
    assert all(r.record.syntax == codec.TEXT_XML for r in small.records)
    medium = _search(
        session,
        "@attr 1=4 history",
        small_set_upper_bound=1,
        large_set_lower_bound=total + 1,
        medium_set_present_number=2,
    )
    assert medium.number_of_records_returned == 2 and medium.next_result_set_position == 3
    large = _search(
        session,
        "@attr 1=4 history",
        small_set_upper_bound=1,
        large_set_lower_bound=2,
        medium_set_present_number=2,
    )
    assert large.number_of_records_returned == 0 and large.records is None
    bad = _search(
        session, "@attr 1=4 history", small_set_upper_bound=total, preferred_record_syntax=codec.SUTRS
    )
    assert bad.search_status and bad.result_count == total
    assert bad.present_status == codec.PRESENT_FAILURE and bad.diagnostics[0].condition == 239


@pytest.mark.parametrize(
    ("request_kw", "condition", "addinfo"),
    [
        ({"preferred_record_syntax": codec.SUTRS}, 239, codec.SUTRS),
        ({"preferred_record_syntax": "1.2.840.10003.5.109.3"}, 239, "1.2.840.10003.5.109.3"),
        ({"element_set_names": "X"}, 25, "X"),
        ({"element_set_names": codec.DatabaseSpecificESN((("Default", "F"),))}, 26, ""),
        ({"start_point": 0}, 13, None),
        ({"start_point": 10_000}, 13, None),
        ({"additional_ranges": True}, 243, ""),
        ({"comp_spec": True}, 244, ""),
    ],
)
def test_present_diagnostics(demo, request_kw, condition, addinfo):
    session = _session()
    _search(session, "@attr 1=4 history")
    resp = session.respond(codec.PresentRequest(**request_kw)).apdus[0]
    assert resp.present_status == codec.PRESENT_FAILURE and resp.number_of_records_returned == 0
    assert resp.diagnostics[0].condition == condition
    if addinfo is not None:
        assert resp.diagnostics[0].addinfo == addinfo


def test_present_respects_the_message_size(demo):
    session = _session()
    session.preferred_message_size = 2000  # as if negotiated: about one record
    session.exceptional_record_size = 2000
    _search(session, "@attr 1=4 history")
    resp = session.respond(codec.PresentRequest(number_of_records=5)).apdus[0]
    assert 1 <= resp.number_of_records_returned < 5 and resp.present_status == codec.PRESENT_PARTIAL_2
    session.exceptional_record_size = 100
    session.preferred_message_size = 100
    resp = session.respond(codec.PresentRequest(number_of_records=1)).apdus[0]
    assert resp.records[0].record.condition == 17


@pytest.mark.parametrize(
    ("request_kw", "condition", "addinfo"),
    [
        ({"database_names": ("Other",)}, 235, "Other"),
        ({"database_names": ("Default", "Other")}, 235, "Other"),
        ({"query": codec.OtherQuery(2)}, 107, "2"),
        ({"query": pqf("@attr 1=9999 x")}, 114, "9999"),
        ({"query": pqf("@attr 1=4 @attr 5=2 x")}, 120, "2"),
        ({"result_set_name": ""}, 128, ""),
    ],
)
def test_search_diagnostics(demo, request_kw, condition, addinfo):
    session = _session()
    request_kw.setdefault("query", pqf("history"))
    resp = session.respond(codec.SearchRequest(**request_kw)).apdus[0]
    assert not resp.search_status and resp.result_set_status == 3 and resp.result_count == 0
    assert (resp.diagnostics[0].condition, resp.diagnostics[0].addinfo) == (condition, addinfo)


def test_database_name_is_configurable_and_case_insensitive(demo):
    session = _session(database="LoC")
    assert _search(session, "history", database_names=("loc",)).search_status
    assert _search(session, "history", database_names=("Default",)).diagnostics[0].condition == 235


def test_scan_titles_and_authors(demo):
    session = _session()
    resp = session.respond(
        codec.ScanRequest(
            term=pqf("@attr 1=4 history").rpn,
            number_of_terms_requested=5,
            preferred_position=2,
            reference_id=b"sc",
        )
    ).apdus[0]
    assert resp.scan_status == codec.SCAN_SUCCESS and resp.reference_id == b"sc"
    assert resp.number_of_entries_returned == len(resp.entries) == 5
    keys = [e.term.lower() for e in resp.entries]
    assert keys == sorted(keys)
    assert keys[0] < "history" <= keys[1] and resp.position_of_term == 2
    for entry in resp.entries:
        assert entry.occurrences == Record.objects.filter(title__iexact=entry.term).count()
    authors = session.respond(codec.ScanRequest(term=pqf("@attr 1=1003 a").rpn, number_of_terms_requested=3))
    assert [e.term for e in authors.apdus[0].entries] == sorted(
        {r.author for r in Record.objects.exclude(author="")}, key=str.lower
    )[:3]


@pytest.mark.parametrize(
    ("request_kw", "condition"),
    [
        ({"term": pqf("@attr 1=21 history").rpn}, 114),
        ({"term": pqf("history").rpn}, 116),
        ({"database_names": ("Nope",)}, 235),
        ({"step_size": 2}, 205),
        ({"attribute_set": "1.2.840.10003.3.2"}, 121),
    ],
)
def test_scan_diagnostics(demo, request_kw, condition):
    request_kw.setdefault("term", pqf("@attr 1=4 history").rpn)
    resp = _session().respond(codec.ScanRequest(**request_kw)).apdus[0]
    assert resp.scan_status == codec.SCAN_FAILURE and resp.diagnostics[0].condition == condition
