from __future__ import annotations

import pytest

from kitab.lists import selectors, services
from kitab.lists.errors import ListError
from kitab.lists.models import ListEntry, PatronList
from tests.circulation.factories import RecordFactory
from tests.lists.factories import OPAC, T0
from tests.patrons.factories import PatronFactory

pytestmark = pytest.mark.django_db


def make(patron, name="Summer reading", **kw):  # type: ignore[no-untyped-def]
    return services.create_list(patron=patron, name=name, actor=OPAC, at=T0, **kw)


def test_create_list_cleans_the_name_and_starts_private():
    patron = PatronFactory()
    created = make(patron, name="  Summer   reading ", notes=" for July ")
    assert (created.name, created.notes, created.is_public) == ("Summer reading", "for July", False)
    assert len(created.share_token) >= 20


@pytest.mark.parametrize(("name", "notes", "code"), [
    ("", "", "name_required"),
    ("   ", "", "name_required"),
    ("x" * 121, "", "name_too_long"),
    ("ok", "n" * 2001, "notes_too_long"),
])
def test_create_list_refuses_bad_input(name, notes, code):
    patron = PatronFactory()
    with pytest.raises(ListError) as excinfo:
        make(patron, name=name, notes=notes)
    assert excinfo.value.code == code
    assert not PatronList.objects.exists()


def test_names_are_unique_per_patron_ignoring_case_but_not_across_patrons():
    first, second = PatronFactory(), PatronFactory()
    make(first, name="Poetry")
    with pytest.raises(ListError) as excinfo:
        make(first, name="poetry")
    assert excinfo.value.code == "duplicate_name"
    make(second, name="Poetry")
    assert PatronList.objects.count() == 2


def test_too_many_lists(monkeypatch):
    monkeypatch.setattr(services, "MAX_LISTS_PER_PATRON", 2)
    patron = PatronFactory()
    make(patron, name="a")
    make(patron, name="b")
    with pytest.raises(ListError) as excinfo:
        make(patron, name="c")
    assert excinfo.value.code == "too_many_lists"


def test_update_list_renames_and_publishes():
    patron = PatronFactory()
    mine, other = make(patron, name="a"), make(patron, name="b")
    services.update_list(mine, name="Travel", notes="Baku", is_public=True, actor=OPAC, at=T0)
    mine.refresh_from_db()
    assert (mine.name, mine.notes, mine.is_public) == ("Travel", "Baku", True)
    with pytest.raises(ListError) as excinfo:
        services.update_list(other, name="travel", notes="", is_public=False, actor=OPAC, at=T0)
    assert excinfo.value.code == "duplicate_name"


def test_add_records_keeps_order_skips_duplicates_and_unknown_ids():
    patron = PatronFactory()
    patron_list = make(patron)
    a, b, c = RecordFactory(), RecordFactory(), RecordFactory()
    assert services.add_records(patron_list, [b.pk, a.pk, 999999], actor=OPAC, at=T0) == 2
    assert services.add_records(patron_list, [a.pk, c.pk], actor=OPAC, at=T0) == 1
    assert selectors.record_ids(patron_list) == [b.pk, a.pk, c.pk]


def test_add_only_unknown_records_is_refused():
    patron_list = make(PatronFactory())
    with pytest.raises(ListError) as excinfo:
        services.add_records(patron_list, [424242], actor=OPAC, at=T0)
    assert excinfo.value.code == "record_not_found"


def test_a_full_list_refuses_more_and_stays_as_it_was(monkeypatch):
    monkeypatch.setattr(services, "MAX_ENTRIES_PER_LIST", 2)
    patron_list = make(PatronFactory())
    services.add_records(patron_list, [RecordFactory().pk], actor=OPAC, at=T0)
    with pytest.raises(ListError) as excinfo:
        services.add_records(patron_list, [RecordFactory().pk, RecordFactory().pk], actor=OPAC, at=T0)
    assert excinfo.value.code == "list_full"
    assert ListEntry.objects.filter(patron_list=patron_list).count() == 1


def test_remove_record_and_delete_list():
    patron_list = make(PatronFactory())
    record = RecordFactory()
    services.add_records(patron_list, [record.pk], actor=OPAC, at=T0)
    assert services.remove_record(patron_list, record.pk, actor=OPAC, at=T0) is True
    assert services.remove_record(patron_list, record.pk, actor=OPAC, at=T0) is False
    services.add_records(patron_list, [record.pk], actor=OPAC, at=T0)
    services.delete_list(patron_list, actor=OPAC, at=T0)
    assert not ListEntry.objects.exists()
    assert record.__class__.objects.filter(pk=record.pk).exists()


def test_owned_list_is_none_for_someone_elses_list_even_when_public():
    owner, stranger = PatronFactory(), PatronFactory()
    public = make(owner, is_public=True)
    assert selectors.owned_list(owner, public.pk) == public
    assert selectors.owned_list(stranger, public.pk) is None
    assert selectors.owned_list(None, public.pk) is None


def test_shared_list_only_while_public_and_a_new_link_retires_the_old_one():
    patron_list = make(PatronFactory(), is_public=True)
    token = patron_list.share_token
    assert selectors.shared_list(token) == patron_list
    services.new_share_link(patron_list, actor=OPAC, at=T0)
    assert selectors.shared_list(token) is None
    assert selectors.shared_list(patron_list.share_token) == patron_list
    services.update_list(patron_list, name=patron_list.name, notes="", is_public=False, actor=OPAC, at=T0)
    assert selectors.shared_list(patron_list.share_token) is None
    assert selectors.shared_list("") is None
