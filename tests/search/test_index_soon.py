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


def test_changes_during_a_drain_get_another_round_from_the_same_thread(transactional_db, import_demo, settings,
                                                                       monkeypatch):
    import_demo(4)
    settings.KITAB_INDEX_SYNC = False
    ids = list(Record.objects.order_by("pk").values_list("pk", flat=True))
    threads: set[int] = set()
    real = services._index_pending_quietly
    queued_meanwhile = []

    def drain() -> None:
        import threading

        threads.add(threading.get_ident())
        if not queued_meanwhile:  # a change commits while the first round runs
            queued_meanwhile.append(True)
            services.queue(ids[2:])
            services.index_pending_soon()
            assert services._soon_timer is None  # no second drain thread: the running one goes round again
        real()

    monkeypatch.setattr(services, "_index_pending_quietly", drain)
    services.queue(ids[:2])
    services.index_pending_soon()
    assert services.wait_for(lambda: not PendingIndexUpdate.objects.exists() and not services._draining, timeout=10)
    assert len(threads) == 1
    assert services.search(SearchRequest(query="")).total == 4
