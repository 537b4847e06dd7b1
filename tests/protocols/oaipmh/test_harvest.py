"""Lists over several pages: resumption tokens, selective harvesting by date and set, deletions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kitab.catalogue.models import Record
from kitab.catalogue.services import delete_records
from kitab.core.actor import Actor

from .conftest import NS, bib, error_codes, identifiers, token_of

T0 = datetime(2024, 3, 10, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def twelve(import_raws, settings):
    """12 records with datestamps T0 + n minutes (+ 0.5 s), 4 of them with a copy in CENTRAL; page size 5."""
    settings.KITAB_OAI_PAGE_SIZE = 5
    import_raws(
        [bib(f"c{n:02d}", f"Title {n}", branches=("CENTRAL",) if n % 3 == 0 else ()) for n in range(12)]
    )
    records = list(Record.objects.order_by("pk"))
    for n, record in enumerate(records):
        Record.objects.filter(pk=record.pk).update(updated_at=T0 + timedelta(minutes=n, microseconds=500_000))
    return [r.pk for r in records]


def _oai_id(pk: int) -> str:
    return f"oai:kitab.local:{pk}"


def _harvest(oai, verb="ListIdentifiers", **args) -> tuple[list[str], list]:
    """Follow resumption tokens to the end; returns identifiers and the token elements seen."""
    doc = oai(verb=verb, **args)
    seen = identifiers(doc)
    tokens = []
    while (token := token_of(doc)) is not None and token.text:
        tokens.append(token)
        doc = oai(verb=verb, resumptionToken=token.text)
        seen += identifiers(doc)
    if token is not None:
        tokens.append(token)
    return seen, tokens


def test_paged_harvest_returns_everything_once_in_datestamp_order(oai, twelve):
    seen, tokens = _harvest(oai, metadataPrefix="oai_dc")
    assert seen == [_oai_id(pk) for pk in twelve]
    assert [t.get("cursor") for t in tokens] == ["0", "5", "10"]
    assert {t.get("completeListSize") for t in tokens} == {"12"}
    assert tokens[-1].text is None and tokens[-1].get("expirationDate") is None  # empty token: last page
    assert tokens[0].get("expirationDate").endswith("Z")

    records, _ = _harvest(oai, "ListRecords", metadataPrefix="marc21")
    assert records == seen


def test_records_with_equal_datestamps_are_paged_by_id(oai, twelve):
    Record.objects.update(updated_at=T0)
    seen, tokens = _harvest(oai, metadataPrefix="marc21")
    assert seen == [_oai_id(pk) for pk in twelve]
    assert len(tokens) == 3


def test_changes_during_a_harvest_skip_nothing(oai, twelve, import_raws):
    first = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(first) == [_oai_id(pk) for pk in twelve[:5]]
    # Between pages: one already-sent record and one not yet sent are updated, one not yet sent is deleted,
    # and two records are added.
    now = datetime.now(UTC)
    Record.objects.filter(pk__in=[twelve[1], twelve[7]]).update(updated_at=now)
    delete_records([twelve[8]], actor=Actor.system(), at=now)
    import_raws([bib("new1", "New one"), bib("new2", "New two")])
    added = list(
        Record.objects.filter(control_number__startswith="new").order_by("pk").values_list("pk", flat=True)
    )

    doc = oai(verb="ListIdentifiers", resumptionToken=token_of(first).text)
    rest = identifiers(doc)
    while (token := token_of(doc)) is not None and token.text:
        doc = oai(verb="ListIdentifiers", resumptionToken=token.text)
        rest += identifiers(doc)

    untouched = [pk for pk in twelve[5:] if pk not in (twelve[7], twelve[8])]
    assert rest[: len(untouched)] == [_oai_id(pk) for pk in untouched]
    # Changed records move to the end, in (datestamp, id) order: the updated ones, the deletion, the new ones.
    assert sorted(rest[len(untouched) :]) == sorted(
        _oai_id(pk) for pk in [twelve[1], twelve[7], twelve[8], *added]
    )
    deleted = [h for h in doc.iterfind(".//oai:header", NS) if h.get("status") == "deleted"]
    assert [h.findtext("oai:identifier", namespaces=NS) for h in deleted] == [_oai_id(twelve[8])]
    everything = identifiers(first) + rest
    assert set(everything) == {_oai_id(pk) for pk in [*twelve, *added]}
    assert len(everything) == len(set(everything)) + 1  # only the updated, already-sent record comes twice


def test_from_until_both_granularities(oai, twelve):
    def ids(**args):
        return _harvest(oai, metadataPrefix="oai_dc", **args)[0]

    # Record n has datestamp 2024-03-10T09:0n:00Z (stored with 0.5 s more).
    assert ids(**{"from": "2024-03-10T09:03:00Z", "until": "2024-03-10T09:05:00Z"}) == [
        _oai_id(pk) for pk in twelve[3:6]
    ]
    assert ids(**{"from": "2024-03-10T09:11:00Z"}) == [_oai_id(twelve[11])]
    assert ids(until="2024-03-10T09:00:00Z") == [_oai_id(twelve[0])]
    assert ids(**{"from": "2024-03-10", "until": "2024-03-10"}) == [_oai_id(pk) for pk in twelve]
    assert error_codes(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", until="2024-03-09")) == [
        "noRecordsMatch"
    ]
    doc = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2024-03-10T09:02:00Z"})
    assert doc.find("oai:request", NS).get("from") == "2024-03-10T09:02:00Z"
    assert doc.findtext(".//oai:header/oai:datestamp", namespaces=NS) == "2024-03-10T09:02:00Z"


def test_token_keeps_the_selective_arguments(oai, twelve):
    seen, tokens = _harvest(oai, metadataPrefix="marc21", set="type:book", **{"from": "2024-03-10T09:01:00Z"})
    assert seen == [_oai_id(pk) for pk in twelve[1:]]
    assert tokens[0].get("completeListSize") == "11"


def test_sets(oai, twelve):
    central = [_oai_id(pk) for n, pk in enumerate(twelve) if n % 3 == 0]
    assert _harvest(oai, metadataPrefix="oai_dc", set="branch:CENTRAL")[0] == central
    assert _harvest(oai, metadataPrefix="oai_dc", set="branch")[0] == central
    assert _harvest(oai, metadataPrefix="oai_dc", set="type")[0] == [_oai_id(pk) for pk in twelve]
    assert error_codes(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:map")) == [
        "noRecordsMatch"
    ]

    delete_records([twelve[0], twelve[1]], actor=Actor.system(), at=T0 + timedelta(hours=1))
    doc = oai(
        verb="ListRecords", metadataPrefix="oai_dc", set="branch:CENTRAL", **{"from": "2024-03-10T10:00:00Z"}
    )
    assert identifiers(doc) == [_oai_id(twelve[0])]  # twelve[1] had no copy in CENTRAL
    assert doc.find(".//oai:header", NS).get("status") == "deleted"
    assert doc.find(".//oai:metadata", NS) is None


def test_deleted_records_in_lists_and_dates(oai, twelve):
    delete_records([twelve[2]], actor=Actor.system(), at=datetime(2024, 3, 11, 8, 0, 0, 250_000, tzinfo=UTC))
    seen, _ = _harvest(oai, metadataPrefix="oai_dc")
    assert seen[-1] == _oai_id(twelve[2]) and len(seen) == 12  # its datestamp is now the deletion time
    doc = oai(verb="ListRecords", metadataPrefix="marc21", **{"from": "2024-03-11"})
    head = doc.find(".//oai:record/oai:header", NS)
    assert (head.get("status"), head.findtext("oai:datestamp", namespaces=NS)) == (
        "deleted",
        "2024-03-11T08:00:00Z",
    )
    assert error_codes(oai(verb="ListRecords", metadataPrefix="marc21", until="2024-03-10T08:59:59Z")) == [
        "noRecordsMatch"
    ]


def test_bad_tokens(oai, twelve, settings):
    first = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = token_of(first).text
    # a token belongs to its verb
    assert error_codes(oai(verb="ListRecords", resumptionToken=token)) == ["badResumptionToken"]
    # tampered
    assert error_codes(oai(verb="ListIdentifiers", resumptionToken=token[:-2] + "AA")) == [
        "badResumptionToken"
    ]
    # made with another secret key
    settings.SECRET_KEY = "another-key"
    doc = oai(verb="ListIdentifiers", resumptionToken=token)
    assert error_codes(doc) == ["badResumptionToken"]
    assert doc.find("oai:request", NS).get("resumptionToken") == token


def test_expired_token(oai, twelve, monkeypatch):
    token = token_of(oai(verb="ListIdentifiers", metadataPrefix="oai_dc")).text
    later = datetime.now(UTC) + timedelta(hours=25)
    monkeypatch.setattr("kitab.protocols.oaipmh.views.clock.now", lambda: later)
    assert error_codes(oai(verb="ListIdentifiers", resumptionToken=token)) == ["badResumptionToken"]


def test_records_leaving_an_until_window_mid_harvest(oai, twelve):
    first = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", until="2024-03-10")
    assert len(identifiers(first)) == 5
    Record.objects.filter(pk__in=twelve[5:]).update(updated_at=datetime.now(UTC))
    # nothing is left in the window: the list ends with noRecordsMatch (a list element needs one entry)
    doc = oai(verb="ListIdentifiers", resumptionToken=token_of(first).text)
    assert error_codes(doc) == ["noRecordsMatch"]
