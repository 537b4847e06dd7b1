"""Small changes reach the index shortly after they commit, from a background thread, without blocking."""

from __future__ import annotations

from kitab.catalogue.models import Record
from kitab.catalogue.services import delete_records
from kitab.core.actor import Actor
from kitab.search import services
from kitab.search.models import PendingIndexUpdate
from kitab.search.types import SearchRequest


def test_a_delete_is_indexed_in_the_background(transactional_db, import_demo, settings):
    import_demo(6)
    settings.KITAB_INDEX_SYNC = False
    victim = Record.objects.order_by("pk").first()

    delete_records([victim.pk], actor=Actor.system())

    assert services.wait_for(lambda: services.search(SearchRequest(query="")).total == 5, timeout=10)
    assert services.wait_for(lambda: not PendingIndexUpdate.objects.exists(), timeout=10)


def test_a_burst_of_changes_schedules_one_drain(transactional_db, import_demo, settings):
    import_demo(3)
    settings.KITAB_INDEX_SYNC = False
    ids = list(Record.objects.values_list("pk", flat=True))
    services.queue(ids)
    for _ in range(20):
        services.index_pending_soon()
    assert services._soon_timer is not None  # one timer for the whole burst
    assert services.wait_for(lambda: not PendingIndexUpdate.objects.exists(), timeout=10)
    assert services.search(SearchRequest(query="")).total == 3
