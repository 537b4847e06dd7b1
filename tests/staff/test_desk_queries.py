"""The desk page of a busy patron reads a fixed number of queries, however many loans, holds and fines."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains

from kitab.circulation import fines, services
from kitab.core.actor import Actor
from kitab.holds import services as holds
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import T0

DESK = Actor(channel="staff", username="librarian", branch_code="MAIN")
MAX_QUERIES = 14


def _lend(patron, main, count: int) -> None:  # type: ignore[no-untyped-def]
    for _n in range(count):
        services.checkout(ItemFactory(home_branch=main), patron, actor=DESK, at=T0)


def _desk_queries(client, patron) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    client.get(f"/staff/desk/patron/{patron.pk}/")  # session and staff roles warmed up as for a working desk
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/staff/desk/patron/{patron.pk}/")
    assert response.status_code == 200
    return len(queries.captured_queries), [q["sql"] for q in queries.captured_queries]


def test_desk_page_queries_do_not_grow_with_loans_holds_and_fines(staff_client, patron, main, rule):
    rule.max_loans = 100
    rule.save()
    _lend(patron, main, 3)
    few, _sql = _desk_queries(staff_client, patron)

    _lend(patron, main, 47)
    for _n in range(3):
        record = ItemFactory(home_branch=main).record
        holds.place_hold(patron, record, pickup_branch=main, actor=DESK, at=T0)
    for _n in range(3):
        fines.charge(patron, Decimal("1.50"), actor=DESK, at=T0, note="Damaged")
    many, sql = _desk_queries(staff_client, patron)
    response = staff_client.get(f"/staff/desk/patron/{patron.pk}/")
    assertContains(response, "50 items on loan", count=2)
    assert many == few, "\n".join(sql)
    assert many <= MAX_QUERIES, "\n".join(sql)


def test_overdue_loans_are_counted_without_more_queries(staff_client, patron, main, rule):
    _lend(patron, main, 2)
    before, _sql = _desk_queries(staff_client, patron)
    services.checkout(ItemFactory(home_branch=main), patron, actor=DESK, at=T0 - timedelta(days=60))
    after, sql = _desk_queries(staff_client, patron)
    assert after == before, "\n".join(sql)
