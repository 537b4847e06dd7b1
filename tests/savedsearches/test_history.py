from __future__ import annotations

from datetime import timedelta

import pytest

from kitab.savedsearches import services, session_history
from kitab.savedsearches.models import SearchHistoryEntry
from kitab.savedsearches.spec import SearchSpec
from tests.lists.factories import OPAC, T0
from tests.patrons.factories import PatronFactory


def test_spec_cleans_filters_and_sort_and_builds_the_search_address():
    spec = SearchSpec.of(" poems ", {"language": ["aze", "aze", " "], "nonsense": ["x"], "year": ["1990-2000"]},
                         "sideways")
    assert spec.filters == {"language": ["aze"], "year": ["1990-2000"]} and spec.sort == "relevance"
    assert spec.querystring() == "q=poems&language=aze&year=1990-2000"
    assert SearchSpec.of("x", {}, "year_desc").querystring() == "q=x&sort=year_desc"
    assert SearchSpec.from_json(spec.to_json()) == spec
    assert SearchSpec.of("", {"language": ["b", "a"]}).key() == SearchSpec.of("", {"language": ["a", "b"]}).key()
    assert SearchSpec.of("  ").is_empty


@pytest.mark.django_db
def test_history_keeps_the_latest_first_without_repeats_and_is_capped(monkeypatch):
    monkeypatch.setattr(services, "HISTORY_KEEP", 3)
    patron, other = PatronFactory(), PatronFactory()
    for minute, query in enumerate(["a", "b", "b", "c", "d"]):
        services.record_search(patron=patron, spec=SearchSpec.of(query), total=minute,
                               at=T0 + timedelta(minutes=minute))
    services.record_search(patron=other, spec=SearchSpec.of("theirs"), total=1, at=T0)
    assert services.record_search(patron=patron, spec=SearchSpec.of(""), total=0, at=T0) is None
    mine = list(SearchHistoryEntry.objects.filter(patron=patron).values_list("query", "total"))
    assert mine == [("d", 4), ("c", 3), ("b", 2)]


@pytest.mark.django_db
def test_clear_history_erases_only_the_patrons_own():
    patron, other = PatronFactory(), PatronFactory()
    services.record_search(patron=patron, spec=SearchSpec.of("a"), total=1, at=T0)
    services.record_search(patron=other, spec=SearchSpec.of("b"), total=1, at=T0)
    assert services.clear_history(patron=patron, actor=OPAC, at=T0) == 1
    assert list(SearchHistoryEntry.objects.values_list("query", flat=True)) == ["b"]


def _carry(response, request_factory):  # type: ignore[no-untyped-def]
    """A new request carrying the cookies `response` set, as the browser would send them."""
    request = request_factory.get("/")
    request.COOKIES.update({name: morsel.value for name, morsel in response.cookies.items()})
    return request


def test_visitor_history_lives_in_a_signed_cookie(rf):
    from django.http import HttpResponse

    request = rf.get("/")
    assert session_history.entries(request) == []
    for minute, query in enumerate(["a", "a", "b"] + [f"q{n}" for n in range(25)]):
        session_history.remember(request, SearchSpec.of(query), minute, T0 + timedelta(minutes=minute))
    response = session_history.store(request, HttpResponse())
    cookie = response.cookies[session_history.COOKIE]
    assert cookie["httponly"] and not cookie["max-age"]  # gone when the browser closes
    later = _carry(response, rf)
    entries = session_history.entries(later)
    assert len(entries) == session_history.KEEP and entries[0]["spec"].query == "q24"
    assert entries[0]["at"] == T0 + timedelta(minutes=27) and entries[0]["total"] == 27

    # a forged cookie is ignored, a long query is not kept, the cookie stays small
    forged = rf.get("/")
    forged.COOKIES[session_history.COOKIE] = '[["planted",{},"relevance",1,0]]'
    assert session_history.entries(forged) == []
    forged.COOKIES[session_history.COOKIE] = response.cookies[session_history.COOKIE].value[:-3] + "abc"
    assert session_history.entries(forged) == []
    session_history.remember(later, SearchSpec.of("x" * 1000), 1, T0)
    assert all(e["spec"].query != "x" * 1000 for e in session_history.entries(later))
    for n in range(10):
        session_history.remember(later, SearchSpec.of(("ə" * 250) + str(n)), 1, T0)
    value = session_history.store(later, HttpResponse()).cookies[session_history.COOKIE].value
    assert len(value) < 4000 and value.isascii()

    cleared = session_history.clear(HttpResponse())
    assert cleared.cookies[session_history.COOKIE]["max-age"] == 0
