"""Lending the last copy turns the record's availability facet off once the transaction commits."""

from __future__ import annotations

from kitab.circulation import services
from kitab.search.services import SearchRequest, search
from tests.circulation.factories import ItemFactory, RecordFactory
from tests.marc.builders import cf, df, make_record


def test_checkout_and_checkin_update_the_index(patron, main, desk, t0, django_capture_on_commit_callbacks) -> None:
    from kitab.marc.writer import to_iso2709

    raw = to_iso2709(make_record(cf("001", "circ1"), df("245", "10", "a", "Kitabi Dədə Qorqud")))
    item = ItemFactory(home_branch=main, record=RecordFactory(raw=raw, title="Kitabi Dədə Qorqud"))

    def available() -> bool:
        return search(SearchRequest(query="Qorqud", filters={"available": ["true"]})).total == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.checkout(item, patron, actor=desk, at=t0)
    assert not available()
    with django_capture_on_commit_callbacks(execute=True):
        services.checkin(item, actor=desk, at=t0)
    assert available()
