"""`kitab demo`: the shipped Library of Congress records, synthetic copies and a working staff login."""

from __future__ import annotations

from django.contrib.auth import authenticate

from kitab.catalogue.demo import DEMO_USERNAME, load_demo
from kitab.catalogue.models import Record
from kitab.items.models import Branch, Item
from kitab.search import services as search_services
from kitab.search.types import SearchRequest


def test_demo_loads_once_and_prints_a_working_login(db):
    messages: list[str] = []
    info = load_demo(on_message=messages.append)

    assert info.records == Record.objects.count() == 4049
    assert Item.objects.count() > 4049
    assert set(Branch.objects.values_list("code", flat=True)) >= {"CENTRAL", "NORTH", "RIVER", "CHILD"}
    assert authenticate(username=DEMO_USERNAME, password=info.password).is_staff
    result = search_services.search(SearchRequest(query="Kıbrıs", filters={"available": ["yes"]}))
    assert result.total > 0
    assert {f.value for f in result.facets["branch"]} <= {"CENTRAL", "NORTH", "RIVER", "CHILD"}

    again = load_demo(on_message=messages.append)
    assert Record.objects.count() == 4049  # not loaded twice
    assert again.password != info.password  # a fresh password each start
    assert any("already has" in m for m in messages)
