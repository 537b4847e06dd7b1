"""Deleting records leaves tombstones (for OAI-PMH harvesters); re-importing a deleted record revives it."""

from __future__ import annotations

from datetime import UTC, datetime

import pymarc

from kitab.catalogue.models import DeletedRecord, Record
from kitab.catalogue.services import delete_records, import_file
from kitab.core.actor import Actor
from kitab.items.models import Item
from kitab.search.models import PendingIndexUpdate

ACTOR = Actor.cli("tester")
AT = datetime(2025, 1, 2, 3, 4, 5, 678_000, tzinfo=UTC)


def _bib(control: str, title: str, *branches: str) -> bytes:
    record = pymarc.Record(force_utf8=True, leader="00000nam a2200000 a 4500")
    record.add_field(pymarc.Field(tag="001", data=control))
    record.add_field(pymarc.Field(tag="003", data="KITAB"))
    record.add_field(pymarc.Field(tag="245", indicators=["1", "0"], subfields=[pymarc.Subfield("a", title)]))
    for n, code in enumerate(branches):
        record.add_field(
            pymarc.Field(
                tag="952",
                indicators=[" ", " "],
                subfields=[pymarc.Subfield("a", code), pymarc.Subfield("p", f"{control}-{n}")],
            )
        )
    return record.as_marc()


def test_delete_writes_tombstones_with_set_memberships(db, marc_file):
    import_file(
        marc_file([_bib("c1", "One", "CENTRAL", "EAST", "CENTRAL"), _bib("c2", "Two"), _bib("c3", "Three")]),
        actor=ACTOR,
    )
    one, two, three = Record.objects.order_by("pk")

    assert delete_records([one.pk, two.pk, 999_999], actor=ACTOR, at=AT) == 2

    assert list(Record.objects.values_list("pk", flat=True)) == [three.pk]
    assert not Item.objects.filter(record_id=one.pk).exists()
    tomb = DeletedRecord.objects.get(pk=one.pk)
    assert (tomb.control_number, tomb.control_key, tomb.deleted_at, tomb.material_type) == (
        "c1",
        "KITAB|c1",
        AT,
        "book",
    )
    assert tomb.branches() == ["CENTRAL", "EAST"]
    assert (
        DeletedRecord.objects.filter(branch_codes__contains=DeletedRecord.branch_token("EAST")).count() == 1
    )
    assert DeletedRecord.objects.get(pk=two.pk).branch_codes == ""
    assert not DeletedRecord.objects.filter(pk=999_999).exists()
    # queued for the index in the same transaction (indexed on commit)
    assert {one.pk, two.pk} <= set(PendingIndexUpdate.objects.values_list("record_id", flat=True))


def test_delete_is_atomic_with_the_tombstones(db, marc_file, monkeypatch):
    import_file(marc_file([_bib("c1", "One")]), actor=ACTOR)
    record = Record.objects.get()

    def boom(ids):
        raise RuntimeError("index queue down")

    monkeypatch.setattr("kitab.catalogue.services.search_services.queue", boom)
    try:
        delete_records([record.pk], actor=ACTOR)
    except RuntimeError:
        pass
    assert Record.objects.filter(pk=record.pk).exists()
    assert not DeletedRecord.objects.exists()


def test_reimport_of_deleted_record_revives_it_under_its_old_id(db, marc_file):
    import_file(marc_file([_bib("c1", "One"), _bib("c2", "Two")], name="a.mrc"), actor=ACTOR)
    one = Record.objects.get(control_number="c1")
    delete_records([one.pk], actor=ACTOR, at=AT)

    report = import_file(marc_file([_bib("c1", "One again"), _bib("c9", "New")], name="b.mrc"), actor=ACTOR)

    assert report.added == 2
    revived = Record.objects.get(control_number="c1")
    assert revived.pk == one.pk
    assert revived.title == "One again"
    assert revived.updated_at > AT
    assert not DeletedRecord.objects.exists()
    assert Record.objects.get(control_number="c9").pk > one.pk


def test_reimport_matches_on_003_and_001(db, marc_file):
    import_file(marc_file([_bib("c1", "One")], name="a.mrc"), actor=ACTOR)
    one = Record.objects.get()
    delete_records([one.pk], actor=ACTOR, at=AT)
    other = pymarc.Record(data=_bib("c1", "Same 001, other 003"), force_utf8=True)
    other["003"].data = "OTHER"

    import_file(marc_file([other.as_marc()], name="b.mrc"), actor=ACTOR)

    assert Record.objects.get().pk != one.pk
    assert DeletedRecord.objects.filter(pk=one.pk).exists()
