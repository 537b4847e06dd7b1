"""Patron merge and anonymisation (kitab.patrons.services) carry the OPAC data along: lists, comments, search
history and saved searches move to the kept patron, and anonymisation erases what identifies the patron."""

from __future__ import annotations

import pytest

from kitab.comments import policy
from kitab.comments import services as comments
from kitab.comments.models import Comment
from kitab.lists import services as lists
from kitab.lists.models import PatronList
from kitab.patrons import services as patrons
from kitab.savedsearches import services as searches
from kitab.savedsearches.models import SavedSearch, SearchHistoryEntry
from kitab.savedsearches.spec import SearchSpec
from tests.circulation.factories import RecordFactory
from tests.lists.factories import OPAC, T0
from tests.patrons.factories import PatronFactory

pytestmark = pytest.mark.django_db


def test_merge_moves_lists_comments_and_searches_renaming_clashes():
    keep, remove = PatronFactory(), PatronFactory()
    record = RecordFactory()
    lists.create_list(patron=keep, name="Poetry", actor=OPAC, at=T0)
    theirs = lists.create_list(patron=remove, name="poetry", actor=OPAC, at=T0)
    lists.add_records(theirs, [record.pk], actor=OPAC, at=T0)
    comment = comments.post_comment(record=record, patron=remove, body="Good", actor=OPAC, at=T0)
    searches.save_search(patron=keep, name="Mine", spec=SearchSpec.of("a"), actor=OPAC, at=T0)
    searches.save_search(patron=remove, name="mine", spec=SearchSpec.of("b"), actor=OPAC, at=T0)
    searches.record_search(patron=remove, spec=SearchSpec.of("history"), total=1, at=T0)

    patrons.merge_patrons(keep=keep, remove=remove, actor=OPAC, at=T0)

    assert sorted(PatronList.objects.filter(patron=keep).values_list("name", flat=True)) == ["Poetry", "poetry (2)"]
    assert PatronList.objects.get(pk=theirs.pk).entries.count() == 1
    assert Comment.objects.get(pk=comment.pk).patron_id == keep.pk
    assert sorted(SavedSearch.objects.filter(patron=keep).values_list("name", flat=True)) == ["Mine", "mine (2)"]
    assert SearchHistoryEntry.objects.get().patron_id == keep.pk


def test_anonymise_erases_lists_searches_and_unpublished_comments():
    patron = PatronFactory(first_name="Leyla", last_name="Əliyeva", email="leyla@example.org")
    record = RecordFactory()
    lists.create_list(patron=patron, name="Leyla's books", actor=OPAC, at=T0, is_public=True)
    searches.save_search(patron=patron, name="alerts", spec=SearchSpec.of("a"), actor=OPAC, at=T0, alert=True)
    searches.record_search(patron=patron, spec=SearchSpec.of("private"), total=1, at=T0)
    published = comments.post_comment(record=record, patron=patron, body="About the book", actor=OPAC, at=T0)
    comments.approve_comment(published, actor=OPAC, at=T0)
    comments.post_comment(record=record, patron=patron, body="Pending", actor=OPAC, at=T0)
    other = PatronFactory()
    lists.create_list(patron=other, name="Untouched", actor=OPAC, at=T0)

    patrons.anonymise_patron(patron, actor=OPAC, at=T0)

    assert list(PatronList.objects.values_list("name", flat=True)) == ["Untouched"]
    assert not SavedSearch.objects.exists() and not SearchHistoryEntry.objects.exists()
    assert list(Comment.objects.values_list("body", flat=True)) == ["About the book"]
    patron.refresh_from_db()
    assert policy.display_name(patron) == "A former reader"
