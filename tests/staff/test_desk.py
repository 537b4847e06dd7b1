"""The circulation desk: finding the patron, checkout with refusals and overrides, idempotent double submits,
renewals, check-in at another branch, transits, and bad input."""

from __future__ import annotations

import re

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kitab.circulation import services
from kitab.circulation.models import Loan, Transfer
from kitab.core.actor import Actor
from kitab.items.models import Item
from tests.circulation.factories import default_rule
from tests.patrons.factories import PatronBlockFactory, PatronFactory

DESK = Actor(channel="staff", username="librarian", branch_code="MAIN")


def _key(response) -> str:  # type: ignore[no-untyped-def]
    return re.search(r'name="key" value="([^"]+)"', response.content.decode()).group(1)


def _checkout(client, patron, barcode, **extra):  # type: ignore[no-untyped-def]
    page = client.get(f"/staff/desk/patron/{patron.pk}/")
    data = {"barcode": barcode, "key": _key(page), **extra}
    return client.post(f"/staff/desk/patron/{patron.pk}/checkout/", data, follow=True)


def test_scan_card_opens_the_patron_desk_page(staff_client, patron):
    assertRedirects(staff_client.get("/staff/desk/", {"card": "c-100200"}), f"/staff/desk/patron/{patron.pk}/",
                    fetch_redirect_response=False)
    # one name match opens it too; several are listed
    assertRedirects(staff_client.get("/staff/desk/", {"card": "Mammadova"}), f"/staff/desk/patron/{patron.pk}/",
                    fetch_redirect_response=False)
    PatronFactory(home_branch=patron.home_branch, first_name="Leyla", last_name="Mamedova", card_number="C-2")
    response = staff_client.get("/staff/desk/", {"card": "Leyla"})
    assertContains(response, "Choose the patron")


def test_bad_card_input_is_a_message(staff_client, patron):
    assertContains(staff_client.get("/staff/desk/", {"card": "C-999999"}), "No patron has the card number C-999999.")
    assertContains(staff_client.get("/staff/desk/", {"card": "%%% ???"}), "is not a card number")
    assertContains(staff_client.get("/staff/desk/", {"card": ""}), "Scan a patron card or type a name.")
    assert staff_client.get("/staff/desk/patron/999999/").status_code == 404


def test_desk_page_shows_loans_blocks_and_fines(staff_client, patron, items, main):
    services.checkout(items[0], patron, actor=DESK)
    PatronBlockFactory(patron=patron, reason="Noise in the reading room")
    response = staff_client.get(f"/staff/desk/patron/{patron.pk}/")
    assertContains(response, "1 item on loan", count=2)
    assertContains(response, items[0].barcode)
    assertContains(response, "Noise in the reading room")
    assertContains(response, "Fines owed")
    assertContains(response, 'autofocus')


def test_checkout_shows_due_date_and_refusals(staff_client, patron, items, main):
    response = _checkout(staff_client, patron, items[0].barcode)
    assertContains(response, "Checked out.")
    loan = Loan.objects.get()
    assert loan.branch == main and loan.idempotency_key.startswith("staff-")
    response = _checkout(staff_client, patron, items[0].barcode)
    assertContains(response, f"Item {items[0].barcode} is already on loan.")
    response = _checkout(staff_client, patron, "NO-SUCH-ITEM")
    assertContains(response, "No item has the barcode NO-SUCH-ITEM.")
    response = staff_client.post(f"/staff/desk/patron/{patron.pk}/checkout/", {"barcode": "", "key": ""}, follow=True)
    assertContains(response, "Scan or type an item barcode.")
    assert Loan.objects.count() == 1


def test_same_key_twice_makes_one_loan(staff_client, patron, items, main):
    page = staff_client.get(f"/staff/desk/patron/{patron.pk}/")
    data = {"barcode": items[0].barcode, "key": _key(page)}
    first = staff_client.post(f"/staff/desk/patron/{patron.pk}/checkout/", data)
    second = staff_client.post(f"/staff/desk/patron/{patron.pk}/checkout/", data, follow=True)
    assert first.status_code == 302
    assert Loan.objects.count() == 1
    assertContains(second, "Already checked out by this same scan.")
    assertNotContains(second, "is already on loan")
    # every rendering carries a new key
    assert _key(second) != data["key"]


def test_override_button_only_for_permitted_staff(staff_client, supervisor_client, patron, items, main):
    PatronBlockFactory(patron=patron, reason="Unpaid damage")
    response = _checkout(staff_client, patron, items[1].barcode)
    assertContains(response, "The patron is blocked: Unpaid damage")
    assertNotContains(response, ">Override</button>")  # the desk role may only go past the loan limit
    response = _checkout(supervisor_client, patron, items[1].barcode)
    assertContains(response, ">Override</button>")
    # the button resubmits the barcode with override=1 and a fresh key
    form = re.search(r'<form method="post" action="([^"]+)" class="override-form">(.*?)</form>',
                     response.content.decode(), re.DOTALL)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    assert fields["override"] == "1" and fields["barcode"] == items[1].barcode
    response = supervisor_client.post(form.group(1), fields, follow=True)
    assertContains(response, "Checked out.")
    assertContains(response, "overridden")
    assert Loan.objects.get(item=items[1]).override_code == "patron_blocked"


def test_desk_role_overrides_the_loan_limit(staff_client, patron, items, main):
    default_rule(max_loans=1)
    services.checkout(items[0], patron, actor=DESK)
    response = _checkout(staff_client, patron, items[1].barcode)
    assertContains(response, "already has 1 of 1 loans allowed")
    assertContains(response, ">Override</button>")
    response = _checkout(staff_client, patron, items[1].barcode, override="1")
    assertContains(response, "Checked out.")
    assert Loan.objects.get(item=items[1]).override_code == "max_loans_reached"


def test_override_by_unpermitted_staff_is_still_refused(staff_client, patron, items, main):
    PatronBlockFactory(patron=patron, reason="Unpaid damage")
    response = _checkout(staff_client, patron, items[1].barcode, override="1")
    assertContains(response, "The patron is blocked: Unpaid damage")
    assert not Loan.objects.exists()


def test_staff_without_a_role_cannot_lend(roleless_client, patron, items, main):
    page = roleless_client.get("/staff/desk/checkin/")
    assert page.status_code == 403
    response = roleless_client.post(f"/staff/desk/patron/{patron.pk}/checkout/", {"barcode": items[0].barcode,
                                                                                  "key": "staff-x"})
    assertContains(response, "Permission needed: circulation.checkout", status_code=403)
    assert not Loan.objects.exists()


def test_renew_one_and_renew_all(staff_client, patron, items, main):
    default_rule(renewals_allowed=1)
    first = services.checkout(items[0], patron, actor=DESK)
    services.checkout(items[1], patron, actor=DESK)
    response = staff_client.post(f"/staff/desk/patron/{patron.pk}/renew/", {"loan": first.pk}, follow=True)
    assertContains(response, "Renewed.")
    response = staff_client.post(f"/staff/desk/patron/{patron.pk}/renew/", {"all": "1"}, follow=True)
    assertContains(response, "No renewals left (1 of 1 used).")
    assert sorted(Loan.objects.values_list("renewals", flat=True)) == [1, 1]
    response = staff_client.post(f"/staff/desk/patron/{patron.pk}/renew/", {"loan": "abc"}, follow=True)
    assertContains(response, "This loan does not exist.")


def test_checkin_at_another_branch_goes_in_transit_then_received(staff_client, patron, items, main, east):
    services.checkout(items[0], patron, actor=DESK)
    staff_client.post("/staff/desk/branch/", {"branch": "EAST"})
    page = staff_client.get("/staff/desk/checkin/")
    assertContains(page, "East branch")
    response = staff_client.post("/staff/desk/checkin/", {"barcode": items[0].barcode, "key": _key(page)}, follow=True)
    assertContains(response, "In transit to Main library.")
    assertContains(response, "Returned by")
    transfer = Transfer.objects.get()
    assert transfer.from_branch == east and transfer.to_branch == main
    # the same key again is a replay, not a second return
    again = staff_client.post("/staff/desk/checkin/", {"barcode": items[0].barcode, "key": _key(page)}, follow=True)
    assertContains(again, "In transit to Main library.")
    # East sees it going out; Main receives it
    assertContains(staff_client.get("/staff/desk/transits/"), items[0].barcode)
    listing = staff_client.get("/staff/desk/transits/", {"branch": "MAIN"})
    assertContains(listing, ">Receive</button>")
    response = staff_client.post("/staff/desk/transits/?branch=MAIN", {"item": items[0].pk}, follow=True)
    assertContains(response, f"Item {items[0].barcode} received.")
    assertContains(response, "Nothing is on its way here.")
    item = Item.objects.get(pk=items[0].pk)
    assert item.status == Item.Status.AVAILABLE and item.holding_branch == main
    response = staff_client.post("/staff/desk/transits/?branch=MAIN", {"item": items[0].pk}, follow=True)
    assertContains(response, "is not in transit")


def test_checkin_at_home_branch_shelves_and_shows_fine(staff_client, patron, items, main):
    from datetime import timedelta

    from django.utils import timezone

    services.checkout(items[0], patron, actor=DESK, at=timezone.now() - timedelta(days=20))
    page = staff_client.get("/staff/desk/checkin/")
    response = staff_client.post("/staff/desk/checkin/", {"barcode": items[0].barcode, "key": _key(page)}, follow=True)
    assertContains(response, "Shelve it here.")
    assertContains(response, "Fine 3.00")


def test_checkin_bad_input_is_a_message(staff_client, items, main):
    page = staff_client.get("/staff/desk/checkin/")
    response = staff_client.post("/staff/desk/checkin/", {"barcode": "NOPE", "key": _key(page)}, follow=True)
    assert response.status_code == 200
    assertContains(response, "No item has the barcode NOPE.")
    response = staff_client.post("/staff/desk/checkin/", {"barcode": items[1].barcode, "key": _key(page) + "x"},
                                 follow=True)
    assertContains(response, f"Item {items[1].barcode} is not on loan.")
    response = staff_client.post("/staff/desk/checkin/", {"barcode": ""}, follow=True)
    assertContains(response, "Scan or type an item barcode.")
    response = staff_client.post("/staff/desk/transits/", {"item": "zzz"}, follow=True)
    assertContains(response, "This item does not exist.")


def test_place_a_hold_trap_it_at_checkin_and_fill_it(staff_client, patron, items, main):
    other = PatronFactory(home_branch=main, card_number="C-800800")
    services.checkout(items[0], other, actor=DESK)
    page = staff_client.get(f"/staff/desk/patron/{patron.pk}/")
    form = re.search(r'action="(/staff/desk/patron/\d+/hold/)".*?name="key" value="([^"]+)"', page.content.decode(),
                     re.DOTALL)
    assert form
    data = {"barcode": items[0].barcode, "pickup_branch": main.pk, "key": form.group(2)}
    response = staff_client.post(form.group(1), data, follow=True)
    assertContains(response, "Hold placed on")
    assertContains(response, "number 1 in the queue")
    again = staff_client.post(form.group(1), {**data, "key": "staff-other"}, follow=True)
    assert "Hold placed on" not in again.content.decode()  # the service refuses a second live hold
    assert staff_client.post(form.group(1), {"barcode": "NOPE", "pickup_branch": main.pk, "key": "k"},
                             follow=True).status_code == 200
    # the copy comes back: it goes on the hold shelf for the patron
    checkin_page = staff_client.get("/staff/desk/checkin/")
    response = staff_client.post("/staff/desk/checkin/", {"barcode": items[0].barcode, "key": _key(checkin_page)},
                                 follow=True)
    assertContains(response, f"Put it on the hold shelf for {patron}.")
    desk_page = staff_client.get(f"/staff/desk/patron/{patron.pk}/")
    assertContains(desk_page, "1 hold waiting on the hold shelf")
    assertContains(desk_page, "Ready for pickup")
    # lending it to the patron fills the hold
    response = _checkout(staff_client, patron, items[0].barcode)
    assertContains(response, "Checked out.")
    assertContains(response, "No holds.")
