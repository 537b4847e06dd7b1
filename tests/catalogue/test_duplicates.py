"""Duplicate candidates (identifiers, then folded title + author + year) and merging two records."""

from __future__ import annotations

import pytest

from kitab.catalogue import editing, merging
from kitab.catalogue.duplicates import find_duplicates
from kitab.catalogue.errors import CatalogueError
from kitab.catalogue.models import DeletedRecord, Record, RecordVersion
from kitab.core.actor import OVERRIDE_ANY, Actor
from kitab.holds import services as holds
from kitab.holds.models import Hold
from kitab.items.models import Item
from tests.catalogue.marcdata import bib, field
from tests.circulation.factories import ItemFactory, default_rule
from tests.patrons.factories import T0, BranchFactory, PatronFactory

DESK = Actor(
    channel="staff", username="cataloguer", branch_code="MAIN", permissions=frozenset({OVERRIDE_ANY})
)


def _save(marc, capture):
    with capture(execute=True):
        return editing.save_record(record=None, marc=marc, actor=DESK, channel="editor")


def test_candidates_by_identifier_and_by_folded_title(db, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    by_isbn = _save(bib("Completely different", isbn="0-19-852663-6"), capture)
    by_lccn = _save(bib("Other", extra=[field("010", "a", "  2001012345 ")]), capture)
    by_title = _save(
        bib("Kitab-i Dede Qorqud", author="Ergin, M."), capture
    )  # folded: same title and surname
    _save(bib("Kitab-ı Dədə Qorqud", author="Ergin, Muharrem", year="1999"), capture)  # other year
    _save(bib("Kitab-ı Dədə Qorqud", author="Başqası, Ali"), capture)  # other author

    incoming = bib(
        "Kitab-ı Dədə Qorqud",
        author="Ergin, Muharrem",
        isbn="9780198526636",
        extra=[field("010", "a", "2001012345")],
    )
    candidates = find_duplicates(incoming)
    assert [(c.record.pk, c.reasons) for c in candidates] == [
        (by_lccn.pk, ["lccn"]),
        (by_isbn.pk, ["isbn"]),
        (by_title.pk, ["title"]),
    ]
    assert candidates[0].reason_labels == ["same LCCN"]
    assert find_duplicates(incoming, by_title=False)[-1].record.pk == by_isbn.pk
    assert [c.record.pk for c in find_duplicates(incoming, exclude=by_title.pk)] == [by_lccn.pk, by_isbn.pk]


def test_035_and_control_number_match(db):
    first = editing.save_record(
        record=None,
        marc=bib("A", control="c7", extra=[field("035", "a", "(OCoLC)ocm0042")]),
        actor=DESK,
        channel="editor",
    )
    assert find_duplicates(bib("B", extra=[field("035", "a", "(OCoLC)42")]), by_title=False)[0].reasons == [
        "035"
    ]
    assert find_duplicates(bib("B", control="c7"), by_title=False)[0].record.pk == first.pk


@pytest.fixture
def pair(db):
    default_rule()
    main = BranchFactory(code="MAIN")
    survivor = editing.save_record(
        record=None, marc=bib("Survivor", isbn="0-19-852663-6"), actor=DESK, channel="editor"
    )
    loser = editing.save_record(record=None, marc=bib("Loser", control="L1"), actor=DESK, channel="editor")
    return survivor, loser, main


def test_merge_moves_copies_and_holds_and_leaves_a_tombstone(pair):
    survivor, loser, main = pair
    ItemFactory(record=survivor, home_branch=main)
    moved = ItemFactory(record=loser, home_branch=main)
    both, early, late = (
        PatronFactory(home_branch=main),
        PatronFactory(home_branch=main),
        PatronFactory(home_branch=main),
    )
    holds.place_hold(both, survivor, pickup_branch=main, actor=DESK, at=T0.replace(hour=12), override=True)
    holds.place_hold(early, loser, pickup_branch=main, actor=DESK, at=T0, override=True)
    duplicate = holds.place_hold(both, loser, pickup_branch=main, actor=DESK, at=T0, override=True)
    holds.place_hold(late, loser, pickup_branch=main, actor=DESK, at=T0.replace(hour=13), override=True)

    result = merging.merge_records(survivor=survivor, loser=loser, actor=DESK)

    assert (result.items_moved, result.holds_cancelled) == (1, 1)
    assert Item.objects.get(pk=moved.pk).record_id == survivor.pk
    queue = list(
        Hold.objects.queued().filter(record=survivor).order_by("position").values_list("patron_id", flat=True)
    )
    assert queue == [early.pk, both.pk, late.pk]
    assert Hold.objects.get(pk=duplicate.pk).status == Hold.Status.CANCELLED
    assert not Record.objects.filter(pk=loser.pk).exists()
    assert DeletedRecord.objects.filter(pk=loser.pk).exists()
    survivor.refresh_from_db()
    marc = merging.describe(survivor)
    assert "(KITAB)L1" in [v for f in marc.get_fields("035") for v in f.get_subfields("a")]
    assert marc["245"]["a"] == "Survivor"
    latest = RecordVersion.objects.filter(record=survivor).order_by("-number").first()
    assert (latest.channel, latest.reason) == ("merge", f"Merged record {loser.pk} into this record")


def test_merge_can_keep_the_other_description_and_refuses_itself(pair):
    survivor, loser, _main = pair
    with pytest.raises(CatalogueError) as excinfo:
        merging.merge_records(survivor=survivor, loser=survivor, actor=DESK)
    assert excinfo.value.code == "merge_same_record"
    merging.merge_records(survivor=survivor, loser=loser, actor=DESK, marc=bib("Better description"))
    survivor.refresh_from_db()
    assert survivor.title == "Better description"
