"""Staff hold pages: pull list and hold shelf of the desk branch, a title's queue and the actions on it.
The rules are tested on the services (tests/holds); these check parsing, permissions and messages."""

from __future__ import annotations

from datetime import timedelta

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kitab.circulation import services as circulation
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.holds import services as holds
from kitab.holds.models import Hold, HoldEvent
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import PatronFactory

DESK = Actor(channel="staff", username="librarian", branch_code="MAIN")


def _queue(main, count: int):  # type: ignore[no-untyped-def]
    item = ItemFactory(home_branch=main, barcode="55500001", record__title="Koroğlu")
    readers = [PatronFactory(home_branch=main, card_number=f"Q-{n}", last_name=f"Reader{n}") for n in range(count)]
    placed = [holds.place_hold(reader, item.record, pickup_branch=main, actor=DESK, at=clock.now())
              for reader in readers]
    return item, placed


def test_pull_list_and_scanning_the_pulled_copy(staff_client, main, rule):
    _item, placed = _queue(main, 1)
    page = staff_client.get("/staff/holds/")
    assertContains(page, "Koroğlu")
    assertContains(page, "55500001")
    response = staff_client.post("/staff/holds/trap/", {"barcode": "55500001"}, follow=True)
    assertContains(response, "is set aside on the hold shelf for")
    placed[0].refresh_from_db()
    assert placed[0].status == Hold.Status.READY
    assertContains(response, "Nothing is waiting on the hold shelf.", count=0)
    assertContains(response, "No copy on the shelves here is wanted for a hold.")
    # the same copy again: it is no longer on the shelf; an unknown barcode is a message
    assertContains(staff_client.post("/staff/holds/trap/", {"barcode": "55500001"}, follow=True), "is not on the shelf")
    assertContains(staff_client.post("/staff/holds/trap/", {"barcode": "NOPE"}, follow=True),
                   "No item has the barcode NOPE.")


def test_queue_page_moves_suspends_resumes_and_cancels(staff_client, main, rule):
    item, (first, second, third) = _queue(main, 3)
    url = f"/staff/holds/record/{item.record_id}/"
    assertContains(staff_client.get(url), "Reader2")
    action = f"/staff/holds/{third.pk}/"
    assertRedirects(staff_client.post(action, {"action": "move", "position": "1"}), url)
    assert list(Hold.objects.order_by("position").values_list("pk", flat=True)) == [third.pk, first.pk, second.pk]
    until = (clock.now() + timedelta(days=10)).date().isoformat()
    staff_client.post(f"/staff/holds/{first.pk}/", {"action": "suspend", "until": until})
    first.refresh_from_db()
    assert first.status == Hold.Status.SUSPENDED and first.suspended_until.isoformat() == until
    staff_client.post(f"/staff/holds/{first.pk}/", {"action": "resume"})
    first.refresh_from_db()
    assert first.status == Hold.Status.WAITING
    response = staff_client.post(f"/staff/holds/{second.pk}/", {"action": "cancel", "reason": ""}, follow=True)
    assertContains(response, "Give a reason for cancelling the hold.")
    staff_client.post(f"/staff/holds/{second.pk}/", {"action": "cancel", "reason": "Bought a copy"})
    second.refresh_from_db()
    assert second.status == Hold.Status.CANCELLED and second.cancellation_reason == "Bought a copy"
    assert HoldEvent.objects.filter(hold=second, action="cancel", actor_channel="staff").exists()
    for bad in ({"action": "move", "position": "many"}, {"action": "move", "position": "9"},
                {"action": "suspend", "until": "next week"}, {"action": "explode"}):
        response = staff_client.post(f"/staff/holds/{first.pk}/", bad, follow=True)
        assert response.status_code == 200 and response.redirect_chain[-1][0] == url
    assertNotContains(staff_client.get(url), "Reader1")


def test_hold_pages_need_the_desk_permissions(roleless_client, staff_client, main, rule):
    item, (hold,) = _queue(main, 1)
    assert roleless_client.get("/staff/holds/").status_code == 403
    assert roleless_client.post(f"/staff/holds/{hold.pk}/", {"action": "cancel", "reason": "x"}).status_code == 403
    assert staff_client.get("/staff/holds/record/999999/").status_code == 404
    circulation.checkout(item, hold.patron, actor=DESK)  # fulfils the hold
    assertContains(staff_client.get(f"/staff/holds/record/{item.record_id}/"), "Nobody is waiting for this title.")
