"""The patron's notice page: notices due now, Send now (the notices service, for this patron only), the log."""

from __future__ import annotations

from django.core import mail
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kitab.circulation import services
from kitab.core import clock
from kitab.core.actor import Actor
from kitab.holds import services as holds
from kitab.notices.models import NoticeLog
from tests.circulation.factories import ItemFactory
from tests.patrons.factories import PatronFactory

DESK = Actor(channel="staff", username="librarian", branch_code="MAIN")


def _hold_ready(patron, main):  # type: ignore[no-untyped-def]
    item = ItemFactory(home_branch=main, record__title="Leyli və Məcnun")
    other = PatronFactory(home_branch=main, card_number="C-777")
    services.checkout(item, other, actor=DESK)
    holds.place_hold(patron, item.record, pickup_branch=main, actor=DESK, at=clock.now())
    services.checkin(item, actor=DESK)  # trapped: on the hold shelf for the patron
    return item


def test_send_now_mails_the_hold_ready_notice_once_and_logs_it(staff_client, patron, main):
    patron.email = "leyla@example.org"
    patron.save()
    bystander = PatronFactory(home_branch=main, card_number="C-888", email="other@example.org")
    services.checkout(ItemFactory(home_branch=main), bystander, actor=DESK, at=clock.now().replace(year=2020))
    _hold_ready(patron, main)
    url = f"/staff/patrons/{patron.pk}/notices/"
    page = staff_client.get(url)
    assertContains(page, "Your hold is ready: &quot;Leyli və Məcnun&quot;")
    assertContains(page, "by email to leyla@example.org")
    assertContains(page, "No notice has been sent to this patron yet.")

    assertRedirects(staff_client.post(url), url)
    assert [message.to for message in mail.outbox] == [["leyla@example.org"]]  # not the bystander's overdue
    assert "Leyli və Məcnun" in mail.outbox[0].subject
    logged = NoticeLog.objects.get(patron=patron)
    assert logged.kind == "hold_ready" and logged.sent_by == "staff:librarian"
    page = staff_client.get(url)
    assertContains(page, "Hold ready for pickup")
    assertContains(page, "No notice is due for this patron.")
    assertNotContains(page, "Send now")

    staff_client.post(url)  # nothing due any more: nothing sent twice
    assert len(mail.outbox) == 1


def test_notice_page_permissions(roleless_client, staff_client, patron):
    assert roleless_client.get(f"/staff/patrons/{patron.pk}/notices/").status_code == 403
    assert staff_client.get("/staff/patrons/999999/notices/").status_code == 404
