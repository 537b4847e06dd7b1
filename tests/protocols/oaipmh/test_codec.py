"""The OAI-PMH codec on its own: argument checks, datestamps, tokens, set specs, XML (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree

from kitab.marc.summary import BibSummary
from kitab.protocols.oaipmh import codec
from kitab.protocols.oaipmh.codec import OaiError

from .conftest import NS, oai_schema

KEY = b"k" * 32
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _params(**kwargs: str | list[str]) -> dict[str, list[str]]:
    return {k.rstrip("_"): v if isinstance(v, list) else [v] for k, v in kwargs.items()}


def _code(**kwargs: str | list[str]) -> str:
    with pytest.raises(OaiError) as excinfo:
        codec.parse_request(_params(**kwargs))
    return excinfo.value.code


def test_parse_request_accepts_each_verb():
    assert codec.parse_request(_params(verb="Identify")).args == {}
    request = codec.parse_request(
        _params(verb="ListRecords", metadataPrefix="oai_dc", from_="2024-01-01", set="type:book")
    )
    assert request.args == {"metadataPrefix": "oai_dc", "from": "2024-01-01", "set": "type:book"}
    assert codec.parse_request(_params(verb="ListIdentifiers", resumptionToken="abc")).args == {
        "resumptionToken": "abc"
    }


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Frobnicate"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "marc21"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
        ({"verb": "ListSets", "resumptionToken": "x", "set": "type"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": "oai:kitab.local:1"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "branch:"}, "badArgument"),
    ],
)
def test_parse_request_errors(params, code):
    assert _code(**params) == code


def test_datestamps_and_ranges():
    assert codec.parse_datestamp("2024-02-29") == (datetime(2024, 2, 29, tzinfo=UTC), codec.DAY)
    assert codec.parse_datestamp("2024-02-29T23:59:59Z") == (
        datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC),
        codec.SECONDS,
    )
    for bad in [
        "2023-02-29",
        "2024-1-01",
        "2024-01-01T10:00:00",
        "2024-01-01T10:00Z",
        "2024-01-01T25:00:00Z",
        "yesterday",
        "2024-01-01T10:00:00.5Z",
        "٢٠٢٤-01-01",
    ]:
        with pytest.raises(OaiError) as excinfo:
            codec.parse_datestamp(bad)
        assert excinfo.value.code == "badArgument"
    # until is inclusive at its own granularity
    assert codec.date_range("2024-01-01", "2024-01-01") == codec.DateRange(
        datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 2, tzinfo=UTC)
    )
    assert codec.date_range(None, "2024-01-01T10:00:00Z").upper == datetime(2024, 1, 1, 10, 0, 1, tzinfo=UTC)
    assert codec.date_range("2024-01-02", "2024-01-01").empty
    assert codec.date_range(None, "9999-12-31").upper is None
    with pytest.raises(OaiError) as excinfo:
        codec.date_range("2024-01-01", "2024-01-02T00:00:00Z")
    assert excinfo.value.code == "badArgument"
    assert (
        codec.format_datestamp(datetime(2024, 5, 1, 10, 0, 0, 999_999, tzinfo=UTC)) == "2024-05-01T10:00:00Z"
    )


def test_token_round_trip_keeps_microseconds():
    state = codec.ListState(
        verb="ListRecords",
        metadata_prefix="marc21",
        set_spec="branch:CENTRAL",
        from_="2024-01-01",
        until="2024-12-31",
        after=(datetime(2024, 6, 1, 8, 30, 1, 123_456, tzinfo=UTC), 4711),
        cursor=300,
    )
    token = codec.encode_token(state, key=KEY, expires=NOW + timedelta(hours=1))
    assert token.replace("-", "").replace("_", "").replace(".", "").isalnum()
    assert codec.decode_token(token, key=KEY, now=NOW) == state
    first = codec.ListState(verb="ListIdentifiers", metadata_prefix="oai_dc")
    assert codec.decode_token(codec.encode_token(first, key=KEY, expires=NOW), key=KEY, now=NOW) == first


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t + "x",
        lambda t: "A" + t[1:],
        lambda t: t.split(".")[0],
        lambda t: "garbage",
        lambda t: "",
        lambda t: "é.é",
    ],
)
def test_token_tampered_or_garbage(mangle):
    token = codec.encode_token(
        codec.ListState("ListRecords", "oai_dc"), key=KEY, expires=NOW + timedelta(hours=1)
    )
    with pytest.raises(OaiError) as excinfo:
        codec.decode_token(mangle(token), key=KEY, now=NOW)
    assert excinfo.value.code == "badResumptionToken"


def test_token_expired_or_other_key():
    token = codec.encode_token(codec.ListState("ListRecords", "oai_dc"), key=KEY, expires=NOW)
    with pytest.raises(OaiError):
        codec.decode_token(token, key=KEY, now=NOW + timedelta(seconds=1))
    with pytest.raises(OaiError):
        codec.decode_token(token, key=b"other", now=NOW)


def test_set_spec_parts_round_trip():
    for value in ["CENTRAL", "Main Library", "şəhər", "a~b", "x:y", "A-1_(b)"]:
        encoded = codec.encode_spec_part(value)
        assert codec.decode_spec_part(encoded) == value
        assert codec._SET_SPEC_RE.fullmatch(f"branch:{encoded}")
    assert codec.encode_spec_part("Main Library") == "Main~20Library"
    assert codec.decode_spec_part("~ZZ") is None
    assert codec.decode_spec_part("~FF") is None


def test_identifiers():
    assert codec.make_identifier("kitab.local", 42) == "oai:kitab.local:42"
    assert codec.parse_identifier("kitab.local", "oai:kitab.local:42") == 42
    for other in ["oai:other.org:42", "oai:kitab.local:", "oai:kitab.local:4x", "oai:kitab.local:-1", "42"]:
        assert codec.parse_identifier("kitab.local", other) is None


def test_dublin_core_mapping():
    summary = BibSummary(
        title="Kitab-i Dədə Qorqud",
        authors=["Ergin, Muharrem"],
        subjects=["Epic poetry, Turkic"],
        publishers=["Türk Dil Kurumu"],
        year=1958,
        material_type="book",
        physical_description="2 v.",
        isbns=["9789751600000"],
        languages=["tur"],
        series=["Türk Dil Kurumu yayınları"],
        summary="An epic\x07.",
    )
    dc = codec.dublin_core_metadata(summary, identifiers=["http://example.org/record/1/"])
    values = {(etree.QName(e).localname, e.text) for e in dc}
    assert ("title", "Kitab-i Dədə Qorqud") in values
    assert ("creator", "Ergin, Muharrem") in values
    assert ("type", "Text") in values
    assert ("date", "1958") in values
    assert ("identifier", "urn:isbn:9789751600000") in values
    assert ("identifier", "http://example.org/record/1/") in values
    assert ("description", "An epic.") in values  # a control character XML cannot carry is dropped
    assert dc.nsmap["oai_dc"] == NS["oai_dc"]


def test_serialized_documents_validate_offline():
    schema = oai_schema()
    if schema is None:
        pytest.skip("OAI-PMH.xsd is not present")
    error = codec.serialize(
        codec.Response(NOW, "http://x.org/oai", None, errors=[OaiError("badVerb", "no\x01 verb")])
    )
    schema.assertValid(etree.fromstring(error))
    head = codec.Header("oai:kitab.local:1", NOW, ["type:book", "branch:Main~20Library"], deleted=True)
    page = codec.PageInfo("", cursor=100, complete_list_size=101)
    doc = codec.serialize(
        codec.Response(
            NOW,
            "http://x.org/oai",
            {"verb": "ListIdentifiers"},
            body=codec.list_page("ListIdentifiers", [codec.header(head)], page),
        )
    )
    parsed = etree.fromstring(doc)
    schema.assertValid(parsed)
    assert parsed.find(".//oai:header", NS).get("status") == "deleted"
