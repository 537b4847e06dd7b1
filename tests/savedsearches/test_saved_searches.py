from __future__ import annotations

import pytest

from kitab.savedsearches import selectors, services
from kitab.savedsearches.errors import SavedSearchError
from kitab.savedsearches.models import SavedSearch
from kitab.savedsearches.spec import SearchSpec
from tests.lists.factories import OPAC, T0
from tests.patrons.factories import PatronFactory

pytestmark = pytest.mark.django_db
POEMS = SearchSpec.of("poems", {"language": ["aze"]}, "year_desc")


def save(patron, name="Poems", spec=POEMS, alert=False):  # type: ignore[no-untyped-def]
    return services.save_search(patron=patron, name=name, spec=spec, actor=OPAC, at=T0, alert=alert)


def test_save_keeps_words_filters_and_sort():
    saved = save(PatronFactory(email="a@example.org"), alert=True)
    assert saved.spec == POEMS and saved.alert and saved.alerts_since == T0


@pytest.mark.parametrize(("name", "spec", "alert", "email", "code"), [
    ("", POEMS, False, "", "name_required"),
    ("x" * 121, POEMS, False, "", "name_too_long"),
    ("Empty", SearchSpec.of(""), False, "", "empty_search"),
    ("Alert", POEMS, True, "", "no_email"),
])
def test_save_refusals(name, spec, alert, email, code):
    with pytest.raises(SavedSearchError) as excinfo:
        save(PatronFactory(email=email), name=name, spec=spec, alert=alert)
    assert excinfo.value.code == code
    assert not SavedSearch.objects.exists()


def test_names_unique_per_patron_and_a_limit(monkeypatch):
    patron = PatronFactory()
    save(patron)
    with pytest.raises(SavedSearchError) as excinfo:
        save(patron, name="POEMS")
    assert excinfo.value.code == "duplicate_name"
    save(PatronFactory())  # another patron may use the name
    monkeypatch.setattr(services, "MAX_SAVED", 1)
    with pytest.raises(SavedSearchError) as excinfo:
        save(patron, name="Other")
    assert excinfo.value.code == "too_many_saved"


def test_alert_switch_counts_new_records_from_the_moment_it_is_on():
    patron = PatronFactory(email="a@example.org")
    saved = save(patron)
    later = T0.replace(hour=12)
    services.set_alert(saved, on=True, actor=OPAC, at=later)
    saved.refresh_from_db()
    assert saved.alert and saved.alerts_since == later
    services.set_alert(saved, on=False, actor=OPAC, at=later)
    assert not SavedSearch.objects.get().alert
    patron.email = ""
    patron.save()
    with pytest.raises(SavedSearchError) as excinfo:
        services.set_alert(SavedSearch.objects.get(), on=True, actor=OPAC, at=later)
    assert excinfo.value.code == "no_email"


def test_own_saved_is_none_for_other_patrons():
    owner, other = PatronFactory(), PatronFactory()
    saved = save(owner)
    assert selectors.own_saved(owner, saved.pk) == saved
    assert selectors.own_saved(other, saved.pk) is None
    services.delete_saved_search(saved, actor=OPAC, at=T0)
    assert not SavedSearch.objects.exists()
