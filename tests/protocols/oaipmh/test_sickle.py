"""A real harvester (Sickle, over HTTP) against the live server: whole catalogue, oai_dc, a set, incremental
harvests with deletions, and records added while a harvest is under way."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pymarc
import pytest
from lxml import etree

from kitab.catalogue.models import Record
from kitab.catalogue.services import delete_records
from kitab.core.actor import Actor
from kitab.marc.iso2709 import parse_record

from .conftest import NS, bib

sickle = pytest.importorskip("sickle")

pytestmark = pytest.mark.django_db(transaction=True)


def _fields(record: pymarc.Record) -> list[tuple]:
    out: list[tuple] = []
    for field in record.fields:
        if field.control_field:
            out.append((field.tag, field.data))
        else:
            out.append(
                (field.tag, tuple(field.indicators), tuple((s.code, s.value) for s in field.subfields))
            )
    return out


def _local_id(identifier: str) -> int:
    return int(identifier.rsplit(":", 1)[1])


@pytest.fixture
def harvester(live_server, settings):
    settings.KITAB_OAI_PAGE_SIZE = 40
    return sickle.Sickle(live_server.url + "/oai")


def test_full_harvest_of_250_records(harvester, import_demo, live_server):
    import_demo(250)
    stored = {r.pk: r for r in Record.objects.all()}
    assert len(stored) == 250

    # marc21: every record read back from MARCXML equals the stored ISO 2709 record
    seen: list[int] = []
    for oai_record in harvester.ListRecords(metadataPrefix="marc21"):
        assert not oai_record.header.deleted
        record_id = _local_id(oai_record.header.identifier)
        marc_xml = oai_record.xml.find(".//marc:record", NS)
        parsed = pymarc.parse_xml_to_array(io.BytesIO(etree.tostring(marc_xml)))
        assert len(parsed) == 1
        expected, _warnings = parse_record(bytes(stored[record_id].raw))
        assert _fields(parsed[0]) == _fields(expected), record_id
        assert str(parsed[0].leader)[5:12] == str(expected.leader)[5:12]
        seen.append(record_id)
    assert sorted(seen) == sorted(stored) and len(seen) == len(set(seen))
    assert seen == sorted(seen, key=lambda pk: (stored[pk].updated_at, pk))

    # oai_dc, by POST this time: every record once, with its title
    harvester_post = sickle.Sickle(live_server.url + "/oai", http_method="POST")
    titles = {}
    for oai_record in harvester_post.ListRecords(metadataPrefix="oai_dc"):
        titles[_local_id(oai_record.header.identifier)] = oai_record.metadata.get("title", [""])[0]
    assert titles.keys() == stored.keys()
    assert all(titles[pk] == r.title for pk, r in stored.items() if r.title)

    # a set
    serials = {pk for pk, r in stored.items() if r.material_type == "serial"}
    books = {pk for pk, r in stored.items() if r.material_type == "book"}
    harvested_books = {
        _local_id(h.identifier) for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", set="type:book")
    }
    assert harvested_books == books and not harvested_books & serials


def test_incremental_harvest_after_updates_and_a_deletion(harvester, import_demo, import_raws):
    import_demo(60)
    import_raws(
        [bib("b1", "Branch copy", branches=("CENTRAL",)), bib("b2", "Another", branches=("CENTRAL",))]
    )
    old = datetime(2024, 1, 1, tzinfo=UTC)
    Record.objects.update(updated_at=old)
    ids = list(Record.objects.order_by("pk").values_list("pk", flat=True))
    changed_at = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=5)
    Record.objects.filter(pk__in=ids[:3]).update(updated_at=changed_at)
    central = Record.objects.get(control_number="b1").pk
    delete_records([ids[10], central], actor=Actor.system(), at=changed_at)

    since = changed_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    headers = {
        _local_id(r.header.identifier): r.header.deleted
        for r in harvester.ListRecords(metadataPrefix="marc21", **{"from": since})
    }
    assert headers == {ids[0]: False, ids[1]: False, ids[2]: False, ids[10]: True, central: True}

    # the deleted copy-holding record still shows up in its branch set, as deleted
    in_central = {
        _local_id(h.identifier): h.deleted
        for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", set="branch:CENTRAL")
    }
    assert in_central == {central: True, Record.objects.get(control_number="b2").pk: False}

    # ignore_deleted harvests skip the tombstones; day granularity works too
    day = changed_at.strftime("%Y-%m-%d")
    live = {
        _local_id(h.identifier)
        for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=True, **{"from": day})
    }
    assert live == set(ids[:3])


def test_records_added_between_pages_are_not_skipped(harvester, import_demo, import_raws):
    import_demo(100)
    before = set(Record.objects.values_list("pk", flat=True))
    headers = harvester.ListIdentifiers(metadataPrefix="marc21")
    seen = [_local_id(next(headers).identifier) for _ in range(40)]  # exactly the first page
    assert headers.resumption_token.token and headers.resumption_token.cursor == "0"

    import_raws([bib(f"late{n}", f"Added during the harvest {n}") for n in range(5)])
    after = set(Record.objects.values_list("pk", flat=True))

    seen += [_local_id(h.identifier) for h in headers]
    assert len(seen) == len(set(seen)) == 105
    assert set(seen) == after and after > before
    assert seen[-5:] == sorted(after - before)  # new records come last
