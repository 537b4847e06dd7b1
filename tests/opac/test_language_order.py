"""Alphabetical lists follow the interface language: Turkish and Azerbaijani order is not code-point order (Ç, Ş,
Ə sort after Z by code point), on the OPAC's hold page, the staff patron search and the staff branch pickers."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from kitab.core.alphabetical import alphabetical
from tests.accounts.factories import PASSWORD, patron_with_account
from tests.circulation.factories import ItemFactory, RecordFactory, default_rule
from tests.patrons.factories import BranchFactory, PatronCategoryFactory, PatronFactory

pytestmark = pytest.mark.django_db

# Azerbaijani: B C Ç ... E Ə ... Z; by code point Ç (U+00C7) and Ə (U+018F) come after Z.
AZ_BRANCHES = ["Zığ", "Əhmədli", "Çinar", "Ceyranbatan", "Bakı"]
AZ_ORDER = ["Bakı", "Ceyranbatan", "Çinar", "Əhmədli", "Zığ"]


def _in_page_order(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=lambda name: page.index(name))


def _speak(client, language: str) -> None:  # type: ignore[no-untyped-def]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


@pytest.fixture
def supervisor(client, django_user_model, db):  # type: ignore[no-untyped-def]
    client.force_login(django_user_model.objects.create_user("chief", password="x", is_staff=True,
                                                             is_superuser=True))
    return client


@pytest.fixture
def branches(settings):  # type: ignore[no-untyped-def]
    settings.KITAB_INDEX_AFTER_CIRCULATION = False
    default_rule()
    PatronCategoryFactory(code="ADULT")
    return [BranchFactory(code=f"B{n}", name=name) for n, name in enumerate(AZ_BRANCHES)]


def test_hold_page_lists_pickup_branches_and_copies_in_azerbaijani_order(client, branches):
    patron = patron_with_account(card_number="AZ0001", home_branch=branches[0])
    record = RecordFactory(title="Əli və Nino")
    for branch in branches:
        ItemFactory(record=record, home_branch=branch)
    client.post("/account/login/", {"identifier": "AZ0001", "password": PASSWORD})
    _speak(client, "az")
    page = client.get(f"/record/{record.pk}/reserve/").content.decode()
    assert 'lang="az"' in page
    picker = page.split('name="pickup_branch"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r">([^<]+)</option>", picker)[1:] == AZ_ORDER  # after the empty choice
    copies = page.split('name="item"', 1)[1]
    assert _in_page_order(copies, [f"{name} ·" for name in AZ_BRANCHES]) == [f"{name} ·" for name in AZ_ORDER]
    assert patron.pk


def test_staff_patron_search_results_in_turkish_order(supervisor, branches):
    # Turkish: C < Ç < ... < I (ı) < İ (i) < ... < S < Ş; by code point Ç, İ and Ş come after every ASCII letter.
    for surname in ["Şahin", "Sarı", "İnce", "Işık", "Çelik", "Cem", "Tekin"]:
        PatronFactory(first_name="Deniz", last_name=surname, home_branch=branches[0])
    _speak(supervisor, "tr")
    page = supervisor.get("/staff/patrons/", {"q": "Deniz"}).content.decode()
    surnames = ["Cem", "Çelik", "Işık", "İnce", "Sarı", "Şahin", "Tekin"]
    found = [s for s in surnames if f"{s}, Deniz" in page or f">{s}" in page]
    assert found == surnames, "every patron is listed"
    assert _in_page_order(page, [f"{s}" for s in surnames]) == surnames


def test_surname_comes_before_first_name():
    class P:
        def __init__(self, last: str, first: str) -> None:
            self.last_name, self.first_name = last, first

    people = [P("Aliyeva", "Anna"), P("Aliyev", "Zaur")]
    assert [p.last_name for p in alphabetical(people, key=lambda p: (p.last_name, p.first_name), language="az")] \
        == ["Aliyev", "Aliyeva"]


def test_staff_branch_picker_follows_the_interface_language(supervisor, branches):
    _speak(supervisor, "az")
    page = supervisor.get("/staff/patrons/").content.decode()
    picker = page.split('id="id_branch"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r">([^<]+)</option>", picker)[1:] == AZ_ORDER  # after "Any branch"
    _speak(supervisor, "en")
    page = supervisor.get("/staff/patrons/").content.decode()
    picker = page.split('id="id_branch"', 1)[1].split("</select>", 1)[0]
    english = re.findall(r">([^<]+)</option>", picker)[1:]
    # English (root) order reads Ç as C, so Çinar sorts with the C names, not after Z as by code point.
    assert english.index("Çinar") < english.index("Zığ")


def test_facet_values_with_equal_counts_read_alphabetically_for_the_language():
    from django.http import QueryDict
    from django.utils import translation

    from kitab.opac.views import _facet_groups
    from kitab.search.types import FacetValue, SearchResult

    authors = [FacetValue("Zeki", 3), FacetValue("Şahin", 2), FacetValue("Tekin", 2), FacetValue("Sarı", 2),
               FacetValue("Çelik", 2), FacetValue("Cem", 2), FacetValue("Uysal", 1, selected=True)]
    years = [FacetValue("2001", 1), FacetValue("1999", 5)]
    result = SearchResult(total=12, hits=[], facets={"author": authors, "year": years}, took_ms=1.0)
    with translation.override("tr"):
        groups = {g.name: g for g in _facet_groups(result, QueryDict("q=x&author=Uysal"), {})}
    # the selected value first, then by count, equal counts in Turkish order (Ç after C, Ş after S)
    assert [c.value for c in groups["author"].choices] == ["Uysal", "Zeki", "Cem", "Çelik", "Sarı", "Şahin", "Tekin"]
    assert [c.value for c in groups["year"].choices] == ["2001", "1999"]  # the engine's order (newest first) stays
    # each value's link toggles it, keeps the other parameters and drops the page number
    links = {c.value: c.url for c in groups["author"].choices}
    assert links["Uysal"] == "?q=x" and links["Cem"] == "?q=x&author=Uysal&author=Cem"
